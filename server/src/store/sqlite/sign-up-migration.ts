/**
 * Migration 7: sign-up. Events gain their waiting-list switch, their form and their iCalendar sequence; series their
 * recurrence rule and fair cap. Then the people who sign up, their registrations, each registration event's private
 * settings, the outbox of emails and the deadlines (jobs).
 *
 * Instants that are compared (offer deadlines, due times, leases) are also kept as epoch milliseconds: ISO text only
 * sorts right when every writer formats it the same way.
 */
export const SIGN_UP_MIGRATION = `
  ALTER TABLE events ADD COLUMN waitlist INTEGER CHECK (waitlist IN (0, 1));
  ALTER TABLE events ADD COLUMN form TEXT;
  ALTER TABLE events ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE series ADD COLUMN recurrence TEXT;
  ALTER TABLE series ADD COLUMN fair_cap INTEGER;

  CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    email      TEXT UNIQUE,
    name       TEXT,
    language   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    link_epoch INTEGER NOT NULL DEFAULT 0,
    erased_at  TEXT
  ) STRICT;

  CREATE TABLE registrations (
    id               TEXT PRIMARY KEY,
    event_id         TEXT NOT NULL,
    person_id        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'offered', 'cancelled', 'expired')),
    wait_seq         INTEGER,
    capped           INTEGER NOT NULL DEFAULT 0 CHECK (capped IN (0, 1)),
    name             TEXT,
    email            TEXT,
    phone            TEXT,
    language         TEXT NOT NULL,
    answers          TEXT NOT NULL DEFAULT '{}',
    source           TEXT NOT NULL CHECK (source IN ('online', 'desk')),
    series_id        TEXT,
    week_key         TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    offer_expires_at TEXT,
    offer_expires_ms INTEGER,
    cancelled_at     TEXT,
    attended_at      TEXT,
    erased_at        TEXT
  ) STRICT;
  -- One active registration per person per event: the database itself refuses a second.
  CREATE UNIQUE INDEX registrations_one_active ON registrations(event_id, person_id)
    WHERE status IN ('confirmed', 'waitlisted', 'offered');
  CREATE INDEX registrations_by_event ON registrations(event_id, status, wait_seq);
  CREATE INDEX registrations_by_person ON registrations(person_id, series_id, week_key);
  CREATE INDEX registrations_due_offers ON registrations(offer_expires_ms) WHERE status = 'offered';

  CREATE TABLE registration_settings (
    event_id TEXT PRIMARY KEY,
    join_url TEXT
  ) STRICT;

  CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    dedupe_key      TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    language        TEXT NOT NULL,
    person_id       TEXT,
    registration_id TEXT,
    event_id        TEXT,
    payload         TEXT NOT NULL,
    due_at          TEXT NOT NULL,
    due_ms          INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_ms        INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    created_seq     INTEGER NOT NULL,
    sent_at         TEXT
  ) STRICT;
  CREATE INDEX outbox_due ON outbox(state, due_ms);
  CREATE INDEX outbox_by_seq ON outbox(created_seq);
  CREATE INDEX outbox_by_person ON outbox(person_id);

  CREATE TABLE jobs (
    key      TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    due_at   TEXT NOT NULL,
    due_ms   INTEGER NOT NULL,
    payload  TEXT NOT NULL,
    lease_ms INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX jobs_due ON jobs(due_ms);
`;
