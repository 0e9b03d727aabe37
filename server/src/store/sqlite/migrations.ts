/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Never edit a shipped entry:
 * append a new one.
 */
import { MODERATION_MIGRATION } from './sqlite-moderation';
import { INGEST_MIGRATION } from './sqlite-ingest';
import { POLLS_MIGRATION } from './sqlite-polls';
import { SIGN_UP_MIGRATION } from './sign-up-migration';
import { REACTIONS_MIGRATION } from './sqlite-reactions';
import { REPLAYS_MIGRATION } from './sqlite-replays';
import { AUDIENCE_MIGRATION } from './sqlite-audience';
import { CAPTIONS_MIGRATION } from './sqlite-captions';
import { APPOINTMENTS_MIGRATION } from './sqlite-appointments';

export const migrations: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE series (
    id      TEXT PRIMARY KEY,
    title   TEXT NOT NULL,
    summary TEXT NOT NULL
  ) STRICT;

  CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL,
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    status     TEXT NOT NULL,
    access     TEXT NOT NULL,
    capacity   INTEGER,
    series_id  TEXT REFERENCES series(id) ON DELETE SET NULL,
    speakers   TEXT NOT NULL,
    language   TEXT NOT NULL,
    stream_url TEXT,
    replay_url TEXT
  ) STRICT;
  CREATE INDEX events_by_start ON events(starts_at);
  CREATE INDEX events_by_series ON events(series_id);

  CREATE TABLE chat_messages (
    event_id    TEXT NOT NULL,
    offset      INTEGER NOT NULL,
    id          TEXT NOT NULL UNIQUE,
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    text        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    PRIMARY KEY (event_id, offset),
    UNIQUE (event_id, author_id, client_id)
  ) STRICT, WITHOUT ROWID;
  `,
  // 2: accounts, per-event roles, refresh sessions, token revocation, invitations and the audit log. Instants that
  // the store compares or orders by are kept twice: the ISO text as given (returned unchanged) and epoch ms, so that
  // "2026-01-01T10:00:00Z" and "2026-01-01T10:00:00.000Z" compare as the same instant.
  `
  CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    email         TEXT UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT,
    is_admin      INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
    created_at    TEXT NOT NULL
  ) STRICT;

  CREATE TABLE event_roles (
    event_id     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL,
    granted_at   TEXT NOT NULL,
    PRIMARY KEY (event_id, user_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    expires_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sessions_by_user ON sessions(user_id);
  CREATE INDEX sessions_by_expiry ON sessions(expires_ms);

  CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);

  CREATE TABLE token_cutoffs (
    user_id    TEXT PRIMARY KEY,
    not_before INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE invites (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL,
    role       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    expires_ms INTEGER NOT NULL,
    revoked_at TEXT,
    used_by    TEXT,
    used_at    TEXT
  ) STRICT;
  CREATE INDEX invites_by_event ON invites(event_id);

  CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    at         TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    details    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_log_by_at ON audit_log(at_ms, seq);
  `,
  // 3: questions and their votes. A partial unique index makes "at most one live question per event" a rule of the
  // schema too; votes are rows, so `votes` is kept equal to their count inside the transactions that change them.
  `
  CREATE TABLE questions (
    event_id        TEXT NOT NULL,
    id              TEXT NOT NULL,
    text            TEXT NOT NULL,
    anonymous       INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    author_id       TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    state           TEXT NOT NULL,
    votes           INTEGER NOT NULL DEFAULT 0,
    starred         INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    position        INTEGER,
    created_at      TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    live_at         TEXT,
    answered_at     TEXT,
    rejected_reason TEXT,
    merged_into     TEXT,
    PRIMARY KEY (event_id, id),
    UNIQUE (event_id, author_id, client_id)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX questions_one_live ON questions(event_id) WHERE state = 'live';

  CREATE TABLE question_votes (
    event_id    TEXT NOT NULL,
    question_id TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    PRIMARY KEY (event_id, question_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX question_votes_by_user ON question_votes(event_id, user_id);
  `,
  MODERATION_MIGRATION,
  POLLS_MIGRATION,
  // 6: an event the admin leaves out of the public programme (reachable by its link only).
  `ALTER TABLE events ADD COLUMN unlisted INTEGER NOT NULL DEFAULT 0 CHECK (unlisted IN (0, 1));`,
  // 7: sign-up (issue 10).
  SIGN_UP_MIGRATION,
  // 8: the ingest (issue 11): stream keys and broadcasts.
  INGEST_MIGRATION,
  // 9: the reaction bursts of a live, for its replay (issue 11).
  REACTIONS_MIGRATION,
  // 10: the replay (issue 11): an event's thumbnail, and the replays with their settings.
  `ALTER TABLE events ADD COLUMN thumbnail_url TEXT;
  ${REPLAYS_MIGRATION}`,
  // 11: question origin (issue 12): where each question was asked, the auditorium's phone page or online. The rows
  // already there were all asked online, which the default says.
  `ALTER TABLE questions ADD COLUMN origin TEXT NOT NULL DEFAULT 'online' CHECK (origin IN ('online', 'room'));`,
  // 12: audience figures (issue 12): viewer samples per process, watch time per person, replay views, players' delays.
  AUDIENCE_MIGRATION,
  // 13: live captions (issue 12): cues, the seqs seen, ingest secrets.
  CAPTIONS_MIGRATION,
  // 14: the deleted messages of an event, counted for the chat's revision (sqlite-chat.ts) without reading the rest.
  `CREATE INDEX chat_messages_deleted ON chat_messages(event_id) WHERE deleted = 1;`,
  // 15: rooms (issue 14): an event held in a Parvis room.
  `ALTER TABLE events ADD COLUMN room TEXT CHECK (room IN ('parvis'));`,
  // 16: help desks and their appointments' partners (issue 14).
  APPOINTMENTS_MIGRATION,
];
