import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '#shared/domain/broadcast';
import { loadConfig } from '../../config';
import { startTestServer, type TestServer } from '../../test/harness';
import { addTalk } from '../../test/ingest';
import { freePort } from '../../test/process';
import { api, createAccount, grant, login } from '../../test/staff';

const MEDIA_MACHINE = 'rtmp://media.bibliotheque.example:1935/live';

/**
 * The stream key's routes answer on every process of a deployment that takes broadcasts from OBS, with or without the
 * ingest running there: here a web process whose ingest runs on a media machine (INGEST_RTMP_URL, no RTMP_PORT).
 */
describe("an event's stream key over HTTP", () => {
  let server: TestServer;
  let moderator: string;
  let otherModerator: string;

  beforeAll(async () => {
    server = await startTestServer({ ingest: { ...loadConfig({ INGEST_RTMP_URL: MEDIA_MACHINE }).ingest } });
    await addTalk(server.store, 'talk');
    await addTalk(server.store, 'other');
    const mod = await createAccount(server.store, { email: 'mod@bibliotheque.example', password: 'a-long-password' });
    const other = await createAccount(server.store, { email: 'other@bibliotheque.example', password: 'a-long-password' });
    await grant(server.store, 'talk', mod, 'moderator');
    await grant(server.store, 'other', other, 'moderator');
    moderator = (await login(server.url, 'mod@bibliotheque.example', 'a-long-password')).token;
    otherModerator = (await login(server.url, 'other@bibliotheque.example', 'a-long-password')).token;
  });

  afterAll(async () => {
    await server.stop();
  });

  it("gives the event's moderators its key, the same at every request, and keeps it from caches", async () => {
    const first = await api<IngestInfo>(server.url, 'GET', '/api/events/talk/ingest', { token: moderator });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    expect(first.body).toMatchObject({ rtmpUrl: MEDIA_MACHINE, state: 'idle', reconnectDeadline: null, health: null });
    const again = await api<IngestInfo>(server.url, 'GET', '/api/events/talk/ingest', { token: moderator });
    expect(again.body.streamKey).toBe(first.body.streamKey);
  });

  it('refuses anyone else, before making a key', async () => {
    expect((await api(server.url, 'GET', '/api/events/talk/ingest')).status).toBe(401);
    expect((await api(server.url, 'GET', '/api/events/talk/ingest', { token: otherModerator })).status).toBe(403);
    expect((await api(server.url, 'POST', '/api/events/talk/ingest/rotate', { token: otherModerator })).status).toBe(403);
    expect((await api(server.url, 'GET', '/api/events/no-such-event/ingest', { token: moderator })).status).toBe(403);
    expect(await server.store.ingest.keyOf('other', 'untouched')).toBe('untouched');
  });

  it('rotates the key for a moderator, and the audit log says who did', async () => {
    const before = await api<IngestInfo>(server.url, 'GET', '/api/events/talk/ingest', { token: moderator });
    const rotated = await api<IngestInfo>(server.url, 'POST', '/api/events/talk/ingest/rotate', { token: moderator });
    expect(rotated.status).toBe(200);
    expect(rotated.body.streamKey).not.toBe(before.body.streamKey);
    expect(await server.store.ingest.eventOfKey(before.body.streamKey)).toBeUndefined();
    expect(await server.store.ingest.eventOfKey(rotated.body.streamKey)).toBe('talk');
    const entries = await server.store.audit.list({ limit: 1 });
    expect(entries[0]).toMatchObject({ action: 'ingest.rotate', target: 'event:talk', actor: { displayName: 'mod' } });
    expect(JSON.stringify(entries[0])).not.toContain(rotated.body.streamKey);
  });
});

/** A server that takes no broadcasts from OBS says so, and makes no key: the console then leaves its stream panel out. */
describe('a server without an ingest', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function moderatorOn(started: TestServer): Promise<string> {
    await addTalk(started.store, 'talk');
    const mod = await createAccount(started.store, { email: 'mod@bibliotheque.example', password: 'a-long-password' });
    await grant(started.store, 'talk', mod, 'moderator');
    return (await login(started.url, 'mod@bibliotheque.example', 'a-long-password')).token;
  }

  async function expectNoIngest(started: TestServer, token: string, why: RegExp): Promise<void> {
    const info = await api<{ error: { code: string; message: string } }>(started.url, 'GET', '/api/events/talk/ingest', { token });
    expect(info.status).toBe(404);
    expect(info.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(why) });
    expect((await api(started.url, 'POST', '/api/events/talk/ingest/rotate', { token })).status).toBe(404);
    // Who asks is still checked first, and no key was made.
    expect((await api(started.url, 'GET', '/api/events/talk/ingest')).status).toBe(401);
    expect(await started.store.ingest.keyOf('talk', 'untouched')).toBe('untouched');
  }

  it('answers NOT_FOUND without RTMP_PORT or INGEST_RTMP_URL', async () => {
    server = await startTestServer();
    await expectNoIngest(server, await moderatorOn(server), /takes no broadcasts from OBS: set RTMP_PORT/);
  });

  it('answers NOT_FOUND when RTMP_PORT is set but nginx is missing, as the log says', async () => {
    const rtmpPort = await freePort();
    server = await startTestServer({ ingest: { ...loadConfig({}).ingest, rtmpPort, nginxPath: '/nonexistent/nginx' } });
    expect(server.ingest.offered).toBe(false);
    await expectNoIngest(server, await moderatorOn(server), /not running on this server.*its log says why/);
  });
});
