import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestInfo, StreamHealth } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import { listSessions } from '../../media/recordings';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import { connectViewer, eventually, ok, request, type TestClient } from '../../test/harness';
import { addTalk, publish, startIngestServer, type IngestTestServer, type Publisher } from '../../test/ingest';
import { freePort, spawnParvis } from '../../test/process';
import { api, createAccount, login } from '../../test/staff';
import { newStreamKey } from './ingest.service';

/*
 * The ingest with the real programs: Debian's nginx with its RTMP module, started by Parvis on free ports in a fresh
 * data directory, and ffmpeg publishing a test pattern with sound as OBS would. Media stay a few seconds long.
 */

const SECRET = 'hook-secret-for-the-tests-0123456789';

let server: IngestTestServer | undefined;
const sockets: TestClient[] = [];
const publishers: Publisher[] = [];

afterEach(async () => {
  for (const p of publishers.splice(0)) await p.stop();
  for (const s of sockets.splice(0)) s.close();
  await server?.stop();
  server = undefined;
});

async function signInAdmin(s: IngestTestServer): Promise<string> {
  await createAccount(s.store, { email: 'admin@bibliotheque.example', password: 'a-long-password', isAdmin: true });
  return (await login(s.url, 'admin@bibliotheque.example', 'a-long-password')).token;
}

async function ingestInfo(s: IngestTestServer, token: string, eventId: string): Promise<IngestInfo> {
  const res = await api<IngestInfo>(s.url, 'GET', `/api/events/${eventId}/ingest`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

/** A socket that joined the event's room; what it hears is kept in order. */
async function joined(s: IngestTestServer, eventId: string, token?: string) {
  const socket = await connectViewer(s.url, token);
  sockets.push(socket);
  const updates: Event[] = [];
  const health: StreamHealth[] = [];
  socket.on('event:updated', ({ event }) => {
    if (event.id === eventId) updates.push(event);
  });
  socket.on('ingest:health', (payload) => {
    if (payload.eventId === eventId) health.push(payload.health);
  });
  await ok(request(socket, 'event:join', { eventId }));
  return { socket, updates, health };
}

function started(p: Publisher): Publisher {
  publishers.push(p);
  return p;
}

function ffprobe(url: string): Promise<{ streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', url],
      { timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}

async function hook(s: IngestTestServer, path: string, body: Record<string, string>, query = '', headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/api/ingest/hooks/nginx/${path}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body).toString(),
  });
  await res.arrayBuffer();
  return res.status;
}

const mediaSequence = (playlist: string) => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? 0);

describe('broadcasting from OBS through nginx-rtmp', { timeout: 120_000 }, () => {
  it('refuses a wrong key, and the right key takes the event live: programme, room, playable HLS, stream health', async () => {
    server = await startIngestServer({ hookSecret: SECRET });
    const talk = await addTalk(server.store, 'talk');
    const token = await signInAdmin(server);
    const info = await ingestInfo(server, token, 'talk');
    expect(info).toMatchObject({
      rtmpUrl: `rtmp://127.0.0.1:${server.rtmpPort}/live`,
      state: 'idle',
      reconnectDeadline: null,
      health: null,
      diskBytes: 0,
      validFrom: new Date(Date.parse(talk.startsAt) - 60 * 60_000).toISOString(),
      validUntil: new Date(Date.parse(talk.endsAt) + 180 * 60_000).toISOString(),
    });
    expect(info.streamKey).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect((await ingestInfo(server, token, 'talk')).streamKey).toBe(info.streamKey);

    const viewer = await joined(server, 'talk');
    const staff = await joined(server, 'talk', token);

    const wrong = started(publish(server.rtmpPort, 'not-the-key', 3));
    expect(await wrong.exited).not.toBe(0);
    // Only nginx, which carries the secret, may call the hooks: a request from this machine without it is refused.
    expect(await hook(server, 'publish', { name: info.streamKey, clientid: '999', app: 'live' })).toBe(403);
    expect(await hook(server, 'publish', { name: info.streamKey, clientid: '999', app: 'live' }, '?secret=wrong-secret-0123456789')).toBe(403);
    expect((await ingestInfo(server, token, 'talk')).state).toBe('idle');

    started(publish(server.rtmpPort, info.streamKey, 12));
    await eventually(() => viewer.updates.some((e) => e.status === 'live'), 60_000, 'the room to hear that the event is live');
    const live = viewer.updates.find((e) => e.status === 'live')!;
    expect(live.streamUrl).toBe('/media/events/talk/live/master.m3u8');
    const listing = await api<{ events: Event[] }>(server.url, 'GET', '/api/events');
    expect(listing.body.events.find((e) => e.id === 'talk')).toMatchObject({ status: 'live', streamUrl: live.streamUrl });

    // Players choose a rendition by what the master says of each.
    const master = await (await fetch(`${server.url}${live.streamUrl}`)).text();
    expect(master.match(/#EXT-X-STREAM-INF:BANDWIDTH=\d+,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",RESOLUTION=640x360/g)).toHaveLength(2);
    expect(master.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['source.m3u8', '360p.m3u8']);
    const probed = await ffprobe(`${server.url}${live.streamUrl}`);
    expect(probed.streams).toContainEqual(expect.objectContaining({ codec_type: 'video', codec_name: 'h264', width: 640, height: 360 }));
    expect(probed.streams).toContainEqual(expect.objectContaining({ codec_type: 'audio', codec_name: 'aac' }));

    await eventually(() => staff.health.some((h) => h.connected && h.width !== null), 30_000, 'the stream health');
    const health = staff.health.findLast((h) => h.connected && h.width !== null)!;
    expect(health).toMatchObject({ connected: true, width: 640, height: 360, audio: true });
    // 360 lines: viewers on a big screen will see it; the console says so.
    expect(health.warnings).toContain('resolution-low');
    expect(health.warnings).not.toContain('no-audio');

    const during = await ingestInfo(server, token, 'talk');
    expect(during.state).toBe('live');
    expect(during.health).toMatchObject({ width: 640, height: 360 });
    expect(during.diskBytes).toBeGreaterThan(0);

    // A moderator ends the event by hand: the broadcast ends with it at the next sweep, ffmpeg stops, and the staff
    // hear that the stream is gone.
    const ended = await api(server.url, 'POST', '/api/events/talk/status', { token, body: { status: 'ended' } });
    expect(ended.status).toBe(200);
    await server.ingest.sweeper!.runOnce(new Date());
    expect(server.ended).toEqual(['talk']);
    expect((await ingestInfo(server, token, 'talk')).state).toBe('ended');
    // A change everyone hears, made after the last health report: once it has arrived, so has every report.
    const marker = await api(server.url, 'PATCH', '/api/events/talk', { token, body: { title: 'Rencontre (terminée)' } });
    expect(marker.status).toBe(200);
    const heard = (updates: Event[]) => updates.some((e) => e.title === 'Rencontre (terminée)');
    await eventually(() => heard(viewer.updates) && heard(staff.updates), 10_000, 'the marker');
    expect(staff.health.at(-1)?.connected).toBe(false);
    expect(viewer.health).toEqual([]);
  });

  it('keeps one broadcast and one live playlist when OBS drops and comes back within the window, and ends it after', async () => {
    server = await startIngestServer();
    await addTalk(server.store, 'talk');
    const token = await signInAdmin(server);
    const { streamKey } = await ingestInfo(server, token, 'talk');
    const viewer = await joined(server, 'talk');

    // Everything a player would see of the live playlist, read all along.
    const playlists: string[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await fetch(`${server!.url}/media/events/talk/live/source.m3u8`);
        const text = await res.text();
        if (res.status === 200) playlists.push(text);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    const first = started(publish(server.rtmpPort, streamKey, 5));
    await eventually(() => viewer.updates.some((e) => e.status === 'live'), 60_000, 'the event to go live');
    expect(await first.exited).toBe(0);
    await expect.poll(async () => (await ingestInfo(server!, token, 'talk')).state, { timeout: 30_000 }).toBe('reconnecting');

    started(publish(server.rtmpPort, streamKey, 5));
    await eventually(() => playlists.some((p) => p.includes('../sessions/2/')), 60_000, 'the second session in the live playlist');
    await expect.poll(async () => (await ingestInfo(server!, token, 'talk')).state, { timeout: 30_000 }).toBe('reconnecting');
    polling = false;
    await poller;

    // The session is recorded once ffmpeg's files of every rendition are there and probed: a moment after the playlist.
    await expect.poll(async () => (await server!.store.ingest.getBroadcast('talk'))?.currentSession, { timeout: 30_000 }).toBe(2);
    expect(await server.store.ingest.getBroadcast('talk')).toMatchObject({ state: 'reconnecting', publishes: 2 });
    expect(await listSessions(`${server.dataDir}/media`, 'talk')).toEqual([1, 2]);
    const sequences = playlists.map(mediaSequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    const last = playlists.at(-1)!;
    const boundary = last.indexOf('#EXT-X-DISCONTINUITY\n');
    expect(boundary).toBeGreaterThan(last.lastIndexOf('../sessions/1/'));
    expect(boundary).toBeLessThan(last.indexOf('../sessions/2/'));

    // The window runs out: not a moment before its deadline, and at once after it (the clock is moved, not waited).
    const info = await ingestInfo(server, token, 'talk');
    const deadline = Date.parse(info.reconnectDeadline!);
    await server.ingest.sweeper!.runOnce(new Date(deadline - 1000));
    expect(server.ended).toEqual([]);
    expect((await server.store.programme.getEvent('talk'))?.status).toBe('live');
    await server.ingest.sweeper!.runOnce(new Date(deadline + 1000));
    expect(server.ended).toEqual(['talk']);
    expect((await server.store.programme.getEvent('talk'))?.status).toBe('ended');
    expect((await ingestInfo(server, token, 'talk')).state).toBe('ended');
    await eventually(() => viewer.updates.some((e) => e.status === 'ended'), 10_000, 'the room to hear that the event ended');
    // One live and one end for the whole broadcast: the reconnect did not take the event off air and on again.
    expect(viewer.updates.map((e) => e.status)).toEqual(['live', 'ended']);
    // Ended once only.
    await server.ingest.sweeper!.runOnce(new Date(deadline + 60_000));
    expect(server.ended).toEqual(['talk']);
  });

  it('refuses a second publisher on a live key, and the first goes on', async () => {
    server = await startIngestServer();
    await addTalk(server.store, 'talk');
    const token = await signInAdmin(server);
    const { streamKey } = await ingestInfo(server, token, 'talk');
    const viewer = await joined(server, 'talk');

    const first = started(publish(server.rtmpPort, streamKey, 30));
    await eventually(() => viewer.updates.some((e) => e.status === 'live'), 60_000, 'the event to go live');
    const second = started(publish(server.rtmpPort, streamKey, 3));
    expect(await second.exited).not.toBe(0);
    expect(server.logs.some((l) => l.reason === 'busy')).toBe(true);
    expect(await server.store.ingest.getBroadcast('talk')).toMatchObject({ state: 'live', publishes: 1 });
    expect((await ingestInfo(server, token, 'talk')).state).toBe('live');
    await first.stop();
    await expect.poll(async () => (await ingestInfo(server!, token, 'talk')).state, { timeout: 30_000 }).toBe('reconnecting');
  });

  it('refuses a rotated key, and takes the new one', async () => {
    server = await startIngestServer();
    await addTalk(server.store, 'talk');
    const token = await signInAdmin(server);
    const before = await ingestInfo(server, token, 'talk');
    const rotated = await api<IngestInfo>(server.url, 'POST', '/api/events/talk/ingest/rotate', { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.streamKey).not.toBe(before.streamKey);
    expect((await ingestInfo(server, token, 'talk')).streamKey).toBe(rotated.body.streamKey);
    const audit = await api<{ entries: { action: string; target: string }[] }>(server.url, 'GET', '/api/audit?limit=5', { token });
    expect(audit.body.entries[0]).toMatchObject({ action: 'ingest.rotate', target: 'event:talk' });

    const viewer = await joined(server, 'talk');
    const old = started(publish(server.rtmpPort, before.streamKey, 3));
    expect(await old.exited).not.toBe(0);
    started(publish(server.rtmpPort, rotated.body.streamKey, 8));
    await eventually(() => viewer.updates.some((e) => e.status === 'live'), 60_000, 'the event to go live with the new key');
  });

  it('records into a new session of the same broadcast when ffmpeg dies while OBS is still on', async () => {
    server = await startIngestServer();
    await addTalk(server.store, 'talk');
    const token = await signInAdmin(server);
    const { streamKey } = await ingestInfo(server, token, 'talk');
    const viewer = await joined(server, 'talk');
    started(publish(server.rtmpPort, streamKey, 30));
    await eventually(() => viewer.updates.some((e) => e.status === 'live'), 60_000, 'the event to go live');

    process.kill(server.ingest.transcoder!.ffmpegPid('talk')!, 'SIGKILL');
    await expect
      .poll(async () => (await fetch(`${server!.url}/media/events/talk/live/source.m3u8`)).text(), { timeout: 60_000 })
      .toContain('../sessions/2/');
    await expect.poll(async () => (await server!.store.ingest.getBroadcast('talk'))?.currentSession, { timeout: 30_000 }).toBe(2);
    expect(await server.store.ingest.getBroadcast('talk')).toMatchObject({ state: 'live', publishes: 1 });
    expect(viewer.updates.map((e) => e.status)).toEqual(['live']);
  });

  it('starts nginx again when it dies, and OBS can publish to it', async () => {
    server = await startIngestServer();
    await addTalk(server.store, 'talk');
    const token = await signInAdmin(server);
    const { streamKey } = await ingestInfo(server, token, 'talk');
    const supervisor = server.ingest.supervisor!;
    const killed = supervisor.pid!;
    process.kill(killed, 'SIGKILL');
    await eventually(() => supervisor.pid !== undefined && supervisor.pid !== killed, 30_000, 'nginx to be started again');
    expect(server.logs.some((l) => String(l.msg).startsWith('nginx (ingest) exited'))).toBe(true);

    const viewer = await joined(server, 'talk');
    // The new nginx binds its port as it starts: like OBS, publish again if the first attempt came too early.
    let live = false;
    for (let attempt = 0; attempt < 5 && !live; attempt++) {
      const p = started(publish(server.rtmpPort, streamKey, 10));
      const outcome = await Promise.race([
        p.exited.then(() => 'exited' as const),
        eventually(() => viewer.updates.some((e) => e.status === 'live'), 60_000, 'the event to go live').then(() => 'live' as const),
      ]);
      live = outcome === 'live' || viewer.updates.some((e) => e.status === 'live');
    }
    expect(live).toBe(true);
  });
});

describe('the ingest without nginx', { timeout: 60_000 }, () => {
  it('starts Parvis without the ingest and says why in one line', async () => {
    server = await startIngestServer({ nginxPath: '/nonexistent/sbin/nginx' });
    expect(server.ingest.running).toBe(false);
    const said = server.logs.filter((l) => (l.level as number) >= 40 && /ingest|nginx|rtmp/i.test(String(l.msg)));
    expect(said).toHaveLength(1);
    expect(String(said[0]!.msg)).toContain('/nonexistent/sbin/nginx');
    expect(String(said[0]!.msg)).toContain('No ingest');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await hook(server, 'publish', { name: 'anything', clientid: '1', app: 'live' })).toBe(404);
  });
});

describe("the publish hook's rules", { timeout: 60_000 }, () => {
  it('lets a key in only around its event, never for a cancelled one, and only from this machine', async () => {
    server = await startIngestServer();
    const now = Date.now();
    const hour = 3600_000;
    await addTalk(server.store, 'soon');
    await addTalk(server.store, 'tomorrow', { startsAt: new Date(now + 24 * hour).toISOString(), endsAt: new Date(now + 25 * hour).toISOString() });
    await addTalk(server.store, 'yesterday', { startsAt: new Date(now - 26 * hour).toISOString(), endsAt: new Date(now - 25 * hour).toISOString() });
    await addTalk(server.store, 'overran', { startsAt: new Date(now - 4 * hour).toISOString(), endsAt: new Date(now - 2.5 * hour).toISOString() });
    await addTalk(server.store, 'cancelled', { status: 'cancelled' });
    const token = await signInAdmin(server);
    const keys: Record<string, string> = {};
    for (const id of ['soon', 'tomorrow', 'yesterday', 'overran', 'cancelled']) keys[id] = (await ingestInfo(server, token, id)).streamKey;

    const tryPublish = (id: string, clientid: string, headers: Record<string, string> = {}) =>
      hook(server!, 'publish', { name: keys[id] ?? id, clientid, app: 'live', addr: '192.0.2.10' }, '', headers);
    expect(await tryPublish('tomorrow', '1')).toBe(403);
    expect(await tryPublish('yesterday', '2')).toBe(403);
    expect(await tryPublish('cancelled', '3')).toBe(403);
    expect(await tryPublish('no-such-key', '4')).toBe(403);
    // Forwarded by a proxy: not nginx on this machine.
    expect(await tryPublish('soon', '5', { 'x-forwarded-for': '203.0.113.9' })).toBe(403);
    // Two and a half hours after its planned end, within the three hours of grace.
    expect(await tryPublish('overran', '6')).toBe(204);
    expect(await tryPublish('soon', '7')).toBe(204);
    expect(await tryPublish('soon', '8')).toBe(403);
    expect(server.logs.filter((l) => l.reason).map((l) => l.reason)).toEqual(['too-early', 'too-late', 'cancelled', 'unknown-key', 'busy']);

    // A goodbye from a publisher that is not the one on changes nothing; the right one starts the window.
    expect(await hook(server, 'publish-done', { name: keys.soon!, clientid: '8', app: 'live' })).toBe(204);
    expect((await server.store.ingest.getBroadcast('soon'))?.state).toBe('live');
    expect(await hook(server, 'publish-done', { name: keys.soon!, clientid: '7', app: 'live' })).toBe(204);
    const broadcast = await server.store.ingest.getBroadcast('soon');
    expect(broadcast?.state).toBe('reconnecting');
    expect(Date.parse(broadcast!.reconnectDeadline!) - Date.parse(broadcast!.disconnectedAt!)).toBe(60_000);
    expect(await hook(server, 'publish-done', { name: keys.overran!, clientid: '6', app: 'live' })).toBe(204);
  });
});

describe('a Parvis killed during a live', { timeout: 120_000 }, () => {
  it('stops the nginx it left behind when it starts again, and the broadcast goes on when OBS comes back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parvis-ingest-crash-'));
    const rtmpPort = await freePort();
    const env = { DATA_DIR: dataDir, RTMP_PORT: String(rtmpPort), INGEST_HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const pidFile = join(dataDir, 'ingest', 'nginx.pid');
    // The store of the processes, opened beside them (SQLite in WAL mode takes several).
    const store = openSqliteStore(join(dataDir, 'parvis.sqlite'));
    let parvis = await spawnParvis(env);
    try {
      await addTalk(store, 'talk');
      const streamKey = await store.ingest.keyOf('talk', newStreamKey());
      const first = started(publish(rtmpPort, streamKey, 60));
      await expect.poll(async () => (await store.programme.getEvent('talk'))?.status, { timeout: 60_000 }).toBe('live');

      await parvis.kill('SIGKILL');
      const stale = Number(readFileSync(pidFile, 'utf8'));
      expect(isAlive(stale)).toBe(true);

      parvis = await spawnParvis(env);
      // The ingest starts once Parvis listens: the old nginx goes then.
      await expect.poll(() => isAlive(stale), { timeout: 30_000 }).toBe(false);
      // The publisher was on the old nginx: it lost its connection, and the window runs from the new start.
      expect(await first.exited).not.toBe(0);
      await expect.poll(async () => (await store.ingest.getBroadcast('talk'))?.state, { timeout: 30_000 }).toBe('reconnecting');

      started(publish(rtmpPort, streamKey, 8));
      await expect
        .poll(async () => (await fetch(`${parvis.url}/media/events/talk/live/source.m3u8`)).text(), { timeout: 60_000 })
        .toContain('../sessions/2/');
      expect(await store.ingest.getBroadcast('talk')).toMatchObject({ state: 'live', publishes: 2 });
      expect((await store.programme.getEvent('talk'))?.status).toBe('live');
    } finally {
      await parvis.stop();
      // Whatever happened above, no nginx of this test outlives it.
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
      if (pid > 1 && isAlive(pid)) process.kill(-pid, 'SIGKILL');
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Whether the process runs (a zombie nobody reaped yet does not). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('a media machine (INGEST_ONLY)', { timeout: 60_000 }, () => {
  it('serves the ingest and the media, and neither the client, the rest of the API nor the live room', async () => {
    server = await startIngestServer({ only: true });
    await addTalk(server.store, 'talk');
    const token = await signInAdmin(server).catch(() => undefined);
    // Signing in is the web processes' business.
    expect(token).toBeUndefined();
    expect((await api(server.url, 'GET', '/api/events')).status).toBe(404);
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/media/events/talk/live/master.m3u8`)).status).toBe(404);
    expect((await fetch(`${server.url}/media/demo/master.m3u8`)).status).toBe(200);
    await expect(connectViewer(server.url)).rejects.toThrow();
    const key = await server.store.ingest.keyOf('talk', newStreamKey());
    expect(await hook(server, 'publish', { name: key, clientid: '1', app: 'live' })).toBe(204);
    expect(await hook(server, 'publish-done', { name: key, clientid: '1', app: 'live' })).toBe(204);
    expect((await server.store.ingest.getBroadcast('talk'))?.state).toBe('reconnecting');
    // The demo programme is the web processes' to seed.
    expect(await server.store.programme.listEvents({})).toHaveLength(1);
  });
});
