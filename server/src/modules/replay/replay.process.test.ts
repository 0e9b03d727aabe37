import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayInfo } from '#shared/domain/broadcast';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import { spawnParvis, type ParvisProcess } from '../../test/process';
import { api, createAccount, login, testEvent } from '../../test/staff';
import { probe, recordSession } from './test-recording';

const T0 = Date.parse('2026-12-01T19:00:00.000Z');
/** Live when Parvis is killed. */
const LIVE = 'rencontre-en-direct';
/** Ended just before Parvis is killed, its recordings not yet assembled. */
const ENDED = 'rencontre-terminee';

let dataDir: string;
let parvis: ParvisProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parvis-replay-kill-'));
  const store = openSqliteStore(join(dataDir, 'parvis.sqlite'));
  await createAccount(store, { email: 'admin@example.org', password: 'admin-password-1', isAdmin: true });
  await store.programme.saveProgramme(
    [],
    [
      testEvent(LIVE, { status: 'live', replayUrl: undefined }),
      testEvent(ENDED, { status: 'ended', replayUrl: undefined }),
    ],
  );
  await store.close();
});

afterAll(async () => {
  await parvis?.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}\n${parvis?.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const replayOf = async (eventId: string) => (await api<ReplayInfo>(parvis!.url, 'GET', `/api/events/${eventId}/replay`)).body;

describe('a SIGKILL of Parvis during the live', () => {
  it('still gives the replay of everything recorded, once the event ends', async () => {
    parvis = await spawnParvis({ DATA_DIR: dataDir });
    // While Parvis runs, the transcoder records two sessions into RECORDINGS_DIR (DATA_DIR/media by default).
    await recordSession(join(dataDir, 'media', LIVE), { session: 1, seconds: 6, startsAt: T0 });
    await recordSession(join(dataDir, 'media', LIVE), { session: 2, seconds: 4, startsAt: T0 + 9000 });
    await recordSession(join(dataDir, 'media', ENDED), { session: 1, seconds: 4, startsAt: T0 });
    await parvis.kill('SIGKILL');

    parvis = await spawnParvis({ DATA_DIR: dataDir });
    // The event that had ended is assembled by the restart alone; the live one is left as the disk has it.
    const ended = await until(() => replayOf(ENDED), (r) => r.state === 'ready', 'the ended event’s replay');
    expect(ended.durationSeconds).toBe(4);
    expect((await readdir(join(dataDir, 'media', LIVE, 'sessions'))).sort()).toEqual(['1', '2']);
    expect((await replayOf(LIVE)).state).toBe('none');

    // The broadcast ends (here a moderator's hand: the admin's), and the replay is made from what was on disk.
    const { token } = await login(parvis.url, 'admin@example.org', 'admin-password-1');
    expect((await api(parvis.url, 'POST', `/api/events/${LIVE}/status`, { token, body: { status: 'ended' } })).status).toBe(200);
    const replay = await until(() => replayOf(LIVE), (r) => r.state === 'ready', 'the replay');
    expect(replay).toMatchObject({ published: true, durationSeconds: 10, url: `/media/events/${LIVE}/replay/master.m3u8` });
    expect(replay.map.spans.map((s) => s.at)).toEqual([new Date(T0).toISOString(), new Date(T0 + 9000).toISOString()]);
    const probed = await probe(`${parvis.url}${replay.url}`);
    expect(Math.abs(probed.duration - 10)).toBeLessThanOrEqual(2);
    expect(await readdir(join(dataDir, 'media', LIVE))).not.toContain('sessions');
    await parvis.stop();
  }, 180_000);
});
