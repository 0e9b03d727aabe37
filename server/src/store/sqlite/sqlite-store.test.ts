import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { runStoreContracts, type StorePair } from '../contracts';
import { migrations } from './migrations';
import { openSqliteStore } from './sqlite-store';

/** The directory of each pair of connections, removed with it. */
const pairDirs = new WeakMap<StorePair, string>();

runStoreContracts('SQLite', async () => openSqliteStore(':memory:'), (store) => store.close(), {
  // Two connections to one file, as two processes would open it.
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-pair-'));
    const path = join(dir, 'parvis.sqlite');
    const pair = { one: openSqliteStore(path), two: openSqliteStore(path) };
    pairDirs.set(pair, dir);
    return pair;
  },
  dispose: async (pair) => {
    await pair.one.close();
    await pair.two.close();
    rmSync(pairDirs.get(pair)!, { recursive: true, force: true });
  },
});

describe('SQLite file store', () => {
  it('keeps chat and programme across a restart, in WAL mode, at the latest schema version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    try {
      const first = openSqliteStore(path);
      await first.meta.set('programme.source', 'demo');
      const { message } = await first.chat.append({
        eventId: 'e1',
        author: { id: 'u1', displayName: 'Ana', role: 'guest' },
        text: 'persisté',
        clientId: 'c1',
        sentAt: new Date().toISOString(),
      });
      await first.close();

      const second = openSqliteStore(path);
      expect(await second.chat.tail('e1', 10)).toEqual([message]);
      expect(await second.meta.get('programme.source')).toBe('demo');
      await second.close();

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
      raw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a database of schema 1 in place, keeping its programme and chat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    try {
      const v1 = new Database(path);
      v1.exec(migrations[0]!);
      v1.pragma('user_version = 1');
      v1.exec(`INSERT INTO series VALUES ('s1', 'Cycle', '');
               INSERT INTO events VALUES ('e1', 'lecture', 'Rencontre', '', '2026-12-01T18:00:00.000Z',
                 '2026-12-01T19:00:00.000Z', 'Europe/Paris', 'scheduled', 'open', NULL, 's1', '[]', 'fr', NULL, NULL);
               INSERT INTO chat_messages VALUES ('e1', 1, 'm1', 'u1', 'Ana', 'guest', 'salut', '2026-11-25T10:00:00.000Z', 'c1');`);
      v1.close();

      const store = openSqliteStore(path);
      expect(await store.programme.getEvent('e1')).toMatchObject({ seriesId: 's1', title: 'Rencontre' });
      expect(await store.chat.lastOffset('e1')).toBe(1);
      expect(await store.programme.deleteSeries('s1')).toBe(true);
      expect(await store.programme.getEvent('e1')).not.toHaveProperty('seriesId');
      expect(await store.accounts.countAdmins()).toBe(0);
      await store.close();

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
      raw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the questions stored before origins existed as asked online', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    try {
      // The schema just before the question-origin migration (found by what it does: the lead renumbers on merging).
      const before = migrations.findIndex((m) => m.includes('ADD COLUMN origin'));
      expect(before).toBeGreaterThan(0);
      const old = new Database(path);
      for (const migration of migrations.slice(0, before)) old.exec(migration);
      old.pragma(`user_version = ${before}`);
      old.exec(`INSERT INTO questions (event_id, id, text, anonymous, author_id, author_name, client_id, state, created_at, created_ms)
                VALUES ('e1', 'q1', 'Et demain ?', 0, 'u1', 'Ana', 'c1', 'approved', '2026-11-25T10:00:00.000Z', 1795600800000)`);
      old.close();

      const store = openSqliteStore(path);
      expect(await store.questions.get('e1', 'q1')).toMatchObject({ text: 'Et demain ?', origin: 'online' });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forgets revoked tokens once they have expired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    try {
      const store = openSqliteStore(path);
      const nowSec = Math.floor(Date.now() / 1000);
      await store.accounts.revokeToken('live', nowSec + 3600);
      const raw = new Database(path);
      // As if this token had been revoked a while ago and had expired since.
      raw.prepare('INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)').run('stale', nowSec - 60);
      await store.accounts.revokeToken('another', nowSec + 3600);
      const jtis = raw.prepare('SELECT jti FROM revoked_tokens ORDER BY jti').pluck().all();
      expect(jtis).toEqual(['another', 'live']);
      raw.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers UNAVAILABLE while the file is locked by another writer or read-only, and works again after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    const db = new Database(path);
    // What the server's log hears about: the storage failure itself, which callers only see as UNAVAILABLE.
    const told: unknown[] = [];
    const store = openSqliteStore(db, { onUnavailable: (err) => told.push((err as { code?: string }).code) });
    const other = new Database(path);
    const message = (clientId: string) => ({
      eventId: 'e1',
      author: { id: 'u1', displayName: 'Ana', role: 'guest' as const },
      text: 'bonjour',
      clientId,
      sentAt: new Date().toISOString(),
    });
    /** The SQLite code behind the UNAVAILABLE that `call` rejected with. */
    const unavailableFrom = async (call: Promise<unknown>) => {
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
      return ((err as DomainError).cause as { code?: string }).code;
    };
    try {
      // Another process holds the write lock for longer than this connection waits.
      db.pragma('busy_timeout = 50');
      other.exec('BEGIN IMMEDIATE');
      expect(await unavailableFrom(store.chat.append(message('c1')))).toBe('SQLITE_BUSY');
      expect(await unavailableFrom(store.clearAll())).toBe('SQLITE_BUSY');
      other.exec('ROLLBACK');
      expect((await store.chat.append(message('c1'))).message.offset).toBe(1);

      db.pragma('query_only = 1');
      expect(await unavailableFrom(store.meta.set('k', 'v'))).toBe('SQLITE_READONLY');
      await store.ping();
      db.pragma('query_only = 0');
      await store.meta.set('k', 'v');
      expect(await store.meta.get('k')).toBe('v');
      expect(told).toEqual(['SQLITE_BUSY', 'SQLITE_BUSY', 'SQLITE_READONLY']);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives 500 sign-ups from two processes on one file exactly 20 seats and places 1…480', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-storm-'));
    const path = join(dir, 'parvis.sqlite');
    // The schema first, so that neither process migrates while the other starts.
    await openSqliteStore(path).close();
    const worker = fileURLToPath(new URL('./sign-up-storm.worker.ts', import.meta.url));
    const children = [0, 250].map((first) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, path, 'storm', String(first), '250', '20'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.startsWith('ready\n')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the worker exited with ${code} before it was ready: ${err}`)));
      });
      const done = new Promise<unknown[]>((resolve, reject) => {
        child.once('exit', (code) => {
          if (code === 0) resolve(JSON.parse(out.slice('ready\n'.length)) as unknown[]);
          else reject(new Error(`the worker exited with ${code}: ${err}`));
        });
      });
      return { child, ready, done };
    });
    try {
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.child.stdin.write('go\n');
      const answers = (await Promise.all(children.map((c) => c.done))).flat() as { status?: string; position?: number }[];
      expect(answers.filter((a) => !a.status)).toEqual([]);
      expect(answers.filter((a) => a.status === 'confirmed')).toHaveLength(20);
      const places = answers.filter((a) => a.status === 'waitlisted').map((a) => a.position!);
      expect(places.sort((a, b) => a - b)).toEqual(Array.from({ length: 480 }, (_, i) => i + 1));

      const store = openSqliteStore(path);
      expect(await store.registrations.counts('storm', 20)).toEqual({ capacity: 20, confirmed: 20, offered: 0, waitlisted: 480, free: 0 });
      expect((await store.outbox.list({ limit: 1000 })).length).toBe(500);
      await store.close();
    } finally {
      for (const c of children) c.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database written by a newer Parvis', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    try {
      const raw = new Database(path);
      raw.pragma(`user_version = ${migrations.length + 1}`);
      raw.close();
      expect(() => openSqliteStore(path)).toThrow(/newer than this Parvis/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
