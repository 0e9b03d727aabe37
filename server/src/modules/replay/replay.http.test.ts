import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayInfo, TimelineItem } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import type { ReplayAdminInfo, ReplayThumbnail } from '#shared/protocol/replay';
import { guestToken, startTestServer, type TestServer } from '../../test/harness';
import { api, createAccount, grant, login, testEvent } from '../../test/staff';
import { probe, recordSession } from './test-recording';

const T0 = Date.parse('2026-12-01T19:00:00.000Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const EVENT = 'cine-club-chili';
const REPLAY = `/media/events/${EVENT}/replay`;

let server: TestServer;
let admin: string;
let moderator: string;

beforeAll(async () => {
  server = await startTestServer();
  await createAccount(server.store, { email: 'admin@example.org', password: 'admin-password-1', displayName: 'Adèle', isAdmin: true });
  const mod = await createAccount(server.store, { email: 'mod@example.org', password: 'mod-password-1', displayName: 'Modeste' });
  admin = (await login(server.url, 'admin@example.org', 'admin-password-1')).token;
  moderator = (await login(server.url, 'mod@example.org', 'mod-password-1')).token;
  await server.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'cine_conference', status: 'live', replayUrl: undefined })]);
  await grant(server.store, EVENT, mod, 'moderator');
  // What the transcoder leaves in RECORDINGS_DIR: two sessions, the publisher having dropped for 3 s in between.
  const eventDir = join(server.dataDir, 'media', EVENT);
  await recordSession(eventDir, { session: 1, seconds: 6, startsAt: T0 });
  await recordSession(eventDir, { session: 2, seconds: 4, startsAt: T0 + 9000 });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** An API call, as the admin unless another token is given (null: nobody signed in). */
const call = <T = any>(method: string, path: string, body?: unknown, token: string | null = admin) =>
  api<T>(server.url, method, path, { token: token ?? undefined, body });

/** Asks again until `check` holds: the assembly runs in the background once the event has ended. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fetchText = async (path: string) => {
  const res = await fetch(path.startsWith('http') ? path : `${server.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), text: await res.text() };
};

/** The segment URIs a playlist lists, as written. */
const uris = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

describe('the replay of a broadcast, over HTTP', () => {
  it('lets only the event’s moderators mark the end of the film', async () => {
    const guest = await guestToken(server.url, 'Ana');
    expect((await call('POST', `/api/events/${EVENT}/ingest/talk-starts`, {}, guest)).status).toBe(403);
    expect((await call('POST', `/api/events/${EVENT}/ingest/talk-starts`, {}, null)).status).toBe(401);
    const marked = await call('POST', `/api/events/${EVENT}/ingest/talk-starts`, { at: iso(2.5) }, moderator);
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ talkStartsAt: iso(2.5) });
  });

  it('assembles a VOD replay as long as what was recorded once a moderator ends the event', async () => {
    expect((await call('POST', `/api/events/${EVENT}/status`, { status: 'ended' }, moderator)).status).toBe(200);
    const info = await until(
      async () => (await call<ReplayInfo>('GET', `/api/events/${EVENT}/replay`, undefined, null)).body,
      (body) => body.state === 'ready',
      'the replay',
    );
    expect(info).toMatchObject({ published: true, url: `${REPLAY}/master.m3u8`, durationSeconds: 10 });
    expect(info.map.spans).toEqual([
      { offset: 0, at: iso(0), duration: 6 },
      { offset: 6, at: iso(9), duration: 4 },
    ]);
    expect(await readdir(join(server.dataDir, 'media', EVENT))).not.toContain('sessions');

    const master = await fetchText(`${REPLAY}/master.m3u8`);
    expect(master).toMatchObject({ status: 200, type: 'application/vnd.apple.mpegurl', cache: 'no-cache' });
    expect(uris(master.text)).toEqual(['source.m3u8', '360p.m3u8']);
    const media = await fetchText(`${REPLAY}/source.m3u8`);
    expect(media.text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(media.text.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(media.text.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(media.text.match(/#EXT-X-PROGRAM-DATE-TIME:.*/g)).toEqual([0, 2, 4, 9, 11].map((s) => `#EXT-X-PROGRAM-DATE-TIME:${iso(s)}`));
    const segment = await fetch(`${server.url}${REPLAY}/${uris(media.text)[0]}`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(segment.headers.get('access-control-allow-origin')).toBe('*');

    const probed = await probe(`${server.url}${REPLAY}/master.m3u8`);
    expect(probed.codecs).toEqual(expect.arrayContaining(['h264', 'aac']));
    expect(Math.abs(probed.duration - 10)).toBeLessThanOrEqual(2);

    const { event } = (await call<{ event: Event }>('GET', `/api/events/${EVENT}`, undefined, null)).body;
    expect(event.replayUrl).toBe(`${REPLAY}/master.m3u8`);
    expect(event.thumbnailUrl).toMatch(new RegExp(`^/media/events/${EVENT}/thumbs/\\d+\\.jpg$`));
    const picture = await fetch(`${server.url}${event.thumbnailUrl}`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
  }, 60_000);

  it('trims the playlists and shifts the map, and undoes it', async () => {
    const trimmed = await call<ReplayAdminInfo>('PUT', `/api/admin/events/${EVENT}/replay`, { trimIn: 3, trimOut: 8.5 });
    expect(trimmed.status).toBe(200);
    expect(trimmed.body).toMatchObject({ trimIn: 3, trimOut: 8.5, durationSeconds: 5.5 });
    expect(uris((await fetchText(`${REPLAY}/source.m3u8`)).text)).toEqual([
      '1-source_00001.ts',
      '1-source_00002.ts',
      '2-source_00000.ts',
      '2-source_00001.ts',
    ]);
    const { body } = await call<ReplayInfo>('GET', `/api/events/${EVENT}/replay`, undefined, null);
    expect(body.map.spans).toEqual([
      { offset: 1, at: iso(3), duration: 3 },
      { offset: 4, at: iso(9), duration: 2.5 },
    ]);
    // What was trimmed away is not served to the public any more.
    expect((await fetch(`${server.url}${REPLAY}/1-source_00000.ts`)).status).toBe(404);
    expect((await call('PUT', `/api/admin/events/${EVENT}/replay`, { trimIn: 9, trimOut: 2 })).status).toBe(400);

    await call('PUT', `/api/admin/events/${EVENT}/replay`, { trimIn: null, trimOut: null });
    expect(uris((await fetchText(`${REPLAY}/source.m3u8`)).text)).toHaveLength(5);
    expect((await fetch(`${server.url}${REPLAY}/1-source_00000.ts`)).status).toBe(200);
  });

  it('hides an unpublished replay from the public, and lets an admin preview it with a signed address', async () => {
    const res = await call<ReplayAdminInfo>('PUT', `/api/admin/events/${EVENT}/replay`, { published: false });
    expect(res.body.published).toBe(false);
    for (const path of ['master.m3u8', 'source.m3u8', '1-source_00000.ts']) {
      expect((await fetch(`${server.url}${REPLAY}/${path}`)).status, path).toBe(404);
    }
    const { event } = (await call<{ event: Event }>('GET', `/api/events/${EVENT}`, undefined, null)).body;
    expect(event).not.toHaveProperty('replayUrl');
    const { events } = (await call<{ events: Event[] }>('GET', '/api/events', undefined, null)).body;
    expect(events.find((e) => e.id === EVENT)).not.toHaveProperty('replayUrl');
    expect((await call<ReplayInfo>('GET', `/api/events/${EVENT}/replay`, undefined, null)).body).toMatchObject({ state: 'none' });
    // Nor does its timeline lay anything out on it for them (a message said a second in), and it has no chapters.
    await server.store.chat.append({
      eventId: EVENT,
      author: { id: 'guest_ana', displayName: 'Ana', role: 'guest' },
      text: 'On vous entend bien',
      clientId: 'c-unpublished',
      sentAt: iso(1),
    });
    const placed = async (token: string | null) =>
      (await call<{ items: TimelineItem[] }>('GET', `/api/events/${EVENT}/timeline`, undefined, token)).body.items.find((i) => i.type === 'chat')?.offset;
    expect(await placed(null)).toBeNull();
    expect(await placed(moderator)).toBeNull();
    expect(await placed(admin)).toBe(1);
    expect((await call('GET', `/api/events/${EVENT}/chapters.vtt`, undefined, null)).status).toBe(404);
    const chapters = await fetch(`${server.url}/api/events/${EVENT}/chapters.vtt`, { headers: { authorization: `Bearer ${admin}` } });
    expect(chapters.status).toBe(200);

    const { previewUrl } = (await call<ReplayAdminInfo>('GET', `/api/admin/events/${EVENT}/replay`)).body;
    expect(previewUrl).toMatch(/\?preview=.+&view=full$/);
    const master = await fetchText(previewUrl!);
    expect(master.status).toBe(200);
    const variant = uris(master.text)[0]!;
    expect(variant).toMatch(/^source\.m3u8\?preview=.+&view=full$/);
    const media = await fetchText(new URL(variant, `${server.url}${previewUrl}`).href);
    expect(media.status).toBe(200);
    const first = uris(media.text)[0]!;
    expect(first).toMatch(/^1-source_00000\.ts\?preview=/);
    expect((await fetch(new URL(first, `${server.url}${REPLAY}/`).href)).status).toBe(200);
    const probed = await probe(`${server.url}${previewUrl}`);
    expect(Math.abs(probed.duration - 10)).toBeLessThanOrEqual(2);
    // A token for another event, or a forged one, opens nothing.
    const token = new URL(`${server.url}${previewUrl}`).searchParams.get('preview')!;
    expect((await fetch(`${server.url}/media/events/other/replay/master.m3u8?preview=${token}`)).status).toBe(404);
    expect((await fetch(`${server.url}${REPLAY}/master.m3u8?preview=${token.slice(0, -2)}xx`)).status).toBe(404);
    // The admin's own answer to the public route carries a preview too.
    const own = (await call<ReplayInfo>('GET', `/api/events/${EVENT}/replay`)).body;
    expect(own.url).toMatch(/\?preview=/);

    await call('PUT', `/api/admin/events/${EVENT}/replay`, { published: true });
    expect((await fetch(`${server.url}${REPLAY}/master.m3u8`)).status).toBe(200);
    expect(await placed(null)).toBe(1);
  }, 60_000);

  it('takes thumbnail candidates and makes the chosen one the event’s picture', async () => {
    const taken = await call<{ thumbnails: ReplayThumbnail[] }>('POST', `/api/admin/events/${EVENT}/replay/thumbnails`, { count: 3 });
    expect(taken.status).toBe(200);
    expect(taken.body.thumbnails.length).toBeGreaterThanOrEqual(3);
    const listed = (await call<{ thumbnails: ReplayThumbnail[] }>('GET', `/api/admin/events/${EVENT}/replay/thumbnails`)).body.thumbnails;
    expect(listed).toEqual(taken.body.thumbnails);
    const pick = listed.at(-1)!;
    const chosen = await call<ReplayAdminInfo>('PUT', `/api/admin/events/${EVENT}/replay/thumbnail`, { file: pick.file });
    expect(chosen.body.thumbnail?.file).toBe(pick.file);
    const { event } = (await call<{ event: Event }>('GET', `/api/events/${EVENT}`, undefined, null)).body;
    expect(event.thumbnailUrl).toBe(pick.url);
    expect((await call('PUT', `/api/admin/events/${EVENT}/replay/thumbnail`, { file: '../x.jpg' })).status).toBe(400);
    expect((await call('POST', `/api/admin/events/${EVENT}/replay/thumbnails`, { count: 2 }, moderator)).status).toBe(403);
  }, 60_000);

  it('shows admins the disk each event takes', async () => {
    const usage = await call('GET', '/api/admin/media/usage');
    expect(usage.status).toBe(200);
    const mine = usage.body.events.find((e: { eventId: string }) => e.eventId === EVENT);
    expect(mine).toMatchObject({ title: `Test event ${EVENT}` });
    expect(mine.bytes).toBeGreaterThan(100_000);
    expect(usage.body.totalBytes).toBeGreaterThanOrEqual(mine.bytes);
    expect((await call('GET', '/api/admin/media/usage', undefined, moderator)).status).toBe(403);
    expect((await call('GET', `/api/admin/events/${EVENT}/replay`)).body.diskBytes).toBe(mine.bytes);
  });

  it('writes every admin and moderator action in the audit log', async () => {
    const { entries } = (await call<{ entries: { action: string; target: string }[] }>('GET', '/api/audit?limit=50')).body;
    const actions = entries.filter((e) => e.target === `event:${EVENT}`).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['replay.talk-starts', 'replay.settings', 'replay.thumbnails', 'replay.thumbnail']));
  });
});
