/*
 * The peer of the sign-up row: the same request (`POST /api/events/:id/registrations` with a JSON body) against a bare
 * Express 5 route that does one SQLite insert (better-sqlite3, WAL, synchronous=NORMAL, as Parvis opens its file) and
 * answers 201 with a registration. No validation, no rate limit, no seat rule, no outbox: what a sign-up costs at the
 * least on this machine, measured in the same run as Parvis.
 */
import Database from 'better-sqlite3';
import express from 'express';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'parvis-bench-peer-'));
const db = new Database(join(dir, 'peer.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE registrations (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
  language TEXT NOT NULL, created_at TEXT NOT NULL)`);
const insert = db.prepare('INSERT INTO registrations (id, event_id, email, name, language, created_at) VALUES (?, ?, ?, ?, ?, ?)');

const app = express();
app.post('/api/events/:id/registrations', express.json(), (req, res) => {
  const body = req.body as { email?: string; name?: string; language?: string };
  const id = randomUUID();
  insert.run(id, req.params.id, String(body.email ?? ''), String(body.name ?? ''), String(body.language ?? 'fr'), new Date().toISOString());
  res.status(201).json({ registration: { id, eventId: req.params.id, status: 'confirmed' } });
});

const server = app.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as AddressInfo).port });
});
const quit = () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('disconnect', quit);
process.on('SIGTERM', quit);
