import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { JanusError, VideoroomHandle, type JanusMessage } from './janus-client';
import { DEBIAN_JANUS_LIB, loadedModules } from './janus-config';
import { JanusProvider } from './janus-provider';
import { waitForPort } from '../../ops/child-processes';
import { freeLoopbackPort, JanusSupervisor } from './janus-supervisor';
import { signJanusToken } from './janus-tokens';
import type { RoomSpec } from './room-provider';

/* Debian's Janus, run from the generated config by the supervisor, and what Janus itself accepts or refuses. */

const TOKEN_SECRET = 'janus-test-token-secret';
const HOUR = 3_600_000;
let dir: string;
let janus: JanusSupervisor;
let provider: JanusProvider;
const open: VideoroomHandle[] = [];

const spec = (key: string): RoomSpec => ({
  key,
  title: `Atelier ${key}`,
  maxPublishers: 6,
  opensAt: new Date(),
  endsAt: new Date(Date.now() + HOUR),
});
const member = (memberKey: string, host = false) => ({ memberKey, display: memberKey, host });

/** A browser's session: attach to the videoroom with its token, join the room as a publisher without media. */
async function enter(token: string, room: number, participantId: number): Promise<{ handle: VideoroomHandle; joined: Record<string, unknown> }> {
  const handle = await VideoroomHandle.open(janus.url, token);
  open.push(handle);
  const joined = await handle.async({ request: 'join', ptype: 'publisher', room, id: participantId, display: `p${participantId}`, token });
  return { handle, joined };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parvis-janus-'));
  janus = new JanusSupervisor({
    janusPath: '/usr/bin/janus',
    libDir: DEBIAN_JANUS_LIB,
    dir: join(dir, 'rooms'),
    wsPort: await freeLoopbackPort(),
    rtpPorts: { min: 20000, max: 20199 },
    tokenSecret: TOKEN_SECRET,
    adminKey: 'janus-test-admin-key',
    log: pino({ level: 'silent' }),
    restart: { minMs: 50, maxMs: 200 },
  });
  await janus.start();
  provider = new JanusProvider({ url: janus.url, tokenSecret: TOKEN_SECRET, adminKey: 'janus-test-admin-key', serverSecret: 'server-secret', iceServers: [] });
});
afterAll(async () => {
  for (const h of open) h.close();
  await janus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the supervised Janus', () => {
  it('loads the videoroom plugin and the WebSocket transport only', async () => {
    expect(await loadedModules(join(dir, 'rooms'))).toEqual({ plugins: ['libjanus_videoroom.so'], transports: ['libjanus_websockets.so'] });
    const handle = await VideoroomHandle.open(janus.url, signJanusToken(TOKEN_SECRET, new Date(Date.now() + 60_000)));
    open.push(handle);
    const info = await handle.connection.request({ janus: 'info', token: signJanusToken(TOKEN_SECRET, new Date(Date.now() + 60_000)) });
    expect(Object.keys(info.plugins as object)).toEqual(['janus.plugin.videoroom']);
    expect(Object.keys(info.transports as object)).toEqual(['janus.transport.websockets']);
  });

  it('starts Janus again after it is killed', async () => {
    const first = janus.pid!;
    process.kill(first, 'SIGKILL');
    await eventually(() => janus.pid !== undefined && janus.pid !== first, 10_000, 'a new Janus');
    expect(await waitForPort('127.0.0.1', Number(new URL(janus.url).port), 10_000)).toBe(true);
    // It works again: a room can be opened in the new Janus.
    await provider.open(spec('after-restart'));
    await provider.close('after-restart');
  });
});

describe('rooms on Janus', () => {
  it('opens a room once however often asked, and closes it once', async () => {
    await provider.open(spec('idem'));
    await provider.open(spec('idem'));
    await Promise.all([provider.open(spec('idem')), provider.open(spec('idem'))]);
    const grant = await provider.grant(spec('idem'), member('ana'), new Date(Date.now() + HOUR), 'https://parvis.example.org');
    expect(grant).toMatchObject({ provider: 'janus', server: 'wss://parvis.example.org/janus', room: provider.roomId('idem') });
    expect(grant.participantId).toBe(provider.participantId('idem', 'ana'));
    expect((await enter(grant.token, grant.room as number, grant.participantId)).joined).toMatchObject({ videoroom: 'joined' });

    await provider.close('idem');
    await provider.close('idem');
    const again = await VideoroomHandle.open(janus.url, grant.token);
    open.push(again);
    await expect(again.async({ request: 'join', ptype: 'publisher', room: grant.room, id: 99, token: grant.token })).rejects.toMatchObject({ code: 426 });
  });

  it('lets in a valid token, and Janus itself refuses one for another room, an expired one and a forged one', async () => {
    await provider.open(spec('here'));
    await provider.open(spec('there'));
    const until = new Date(Date.now() + HOUR);
    const here = await provider.grant(spec('here'), member('bruno'), until, 'http://127.0.0.1');
    const there = await provider.grant(spec('there'), member('chloe'), until, 'http://127.0.0.1');
    const room = here.room as number;

    expect((await enter(here.token, room, here.participantId)).joined).toMatchObject({ videoroom: 'joined', id: here.participantId });

    // Signed, valid and on the other room's list, but not on this one's.
    await expect(enter(there.token, room, there.participantId)).rejects.toMatchObject({ code: 433 });
    // Expired: the core refuses the session.
    const expired = signJanusToken(TOKEN_SECRET, new Date(Date.now() - 5000), [`room=${room}`, 'p=5']);
    await expect(VideoroomHandle.open(janus.url, expired)).rejects.toMatchObject({ code: 403 });
    // Forged: signed with another secret.
    const forged = signJanusToken('not-the-secret', until, [`room=${room}`, `p=${here.participantId}`]);
    await expect(VideoroomHandle.open(janus.url, forged)).rejects.toBeInstanceOf(JanusError);
    await expect(VideoroomHandle.open(janus.url, forged)).rejects.toMatchObject({ code: 403 });
    // The same text as a valid token with another room in it: the signature no longer matches.
    const tampered = here.token.replace(`room=${room}`, `room=${there.room}`);
    await expect(VideoroomHandle.open(janus.url, tampered)).rejects.toMatchObject({ code: 403 });
  });

  it('removes someone: they are kicked, the others see them leave, and they are not let back in', async () => {
    const s = spec('kick');
    await provider.open(s);
    const until = new Date(Date.now() + HOUR);
    const host = await provider.grant(s, member('host', true), until, 'http://127.0.0.1');
    const guest = await provider.grant(s, member('guest'), until, 'http://127.0.0.1');
    const watcher = await enter(host.token, host.room as number, host.participantId);
    const seen: JanusMessage[] = [];
    watcher.handle.connection.on('event', (m) => seen.push(m));
    const kicked = await enter(guest.token, guest.room as number, guest.participantId);
    const theirs: JanusMessage[] = [];
    kicked.handle.connection.on('event', (m) => theirs.push(m));

    await provider.remove('kick', guest.participantId);
    await eventually(() => theirs.some((m) => m.plugindata?.data.reason === 'kicked'), 5000, 'the kick');
    await eventually(() => seen.some((m) => m.plugindata?.data.leaving === guest.participantId || m.plugindata?.data.kicked === guest.participantId), 5000, 'the others told');

    // Their token is off the list, and a new one is not given.
    await expect(enter(guest.token, guest.room as number, guest.participantId)).rejects.toMatchObject({ code: 433 });
    await expect(provider.grant(s, member('guest'), until, 'http://127.0.0.1')).rejects.toMatchObject({ code: 'FORBIDDEN', reason: 'removed' });
    // Muting someone who sends no media is not an error.
    await provider.mute('kick', host.participantId);
    await provider.close('kick');
  });
});
