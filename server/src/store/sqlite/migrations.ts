/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Never edit a shipped entry:
 * append a new one.
 */
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
];
