import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storeContract } from '../store.contract';
import { migrations } from './migrations';
import { openSqliteStore } from './sqlite-store';

storeContract(
  'SQLite',
  async () => openSqliteStore(':memory:'),
  (store) => store.close(),
);

describe('SQLite file store', () => {
  it('keeps chat and programme across a restart, in WAL mode, at the latest schema version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parvis-sqlite-'));
    const path = join(dir, 'parvis.sqlite');
    try {
      const first = openSqliteStore(path);
      await first.setMeta('programme.source', 'demo');
      const { message } = await first.appendChat({
        eventId: 'e1',
        author: { id: 'u1', displayName: 'Ana', role: 'guest' },
        text: 'persisté',
        clientId: 'c1',
        sentAt: new Date().toISOString(),
      });
      await first.close();

      const second = openSqliteStore(path);
      expect(await second.chatTail('e1', 10)).toEqual([message]);
      expect(await second.getMeta('programme.source')).toBe('demo');
      await second.close();

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
      raw.close();
    } finally {
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
