import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestInfo } from '#shared/domain/broadcast';
import { startTestServer, type TestServer } from '../../test/harness';
import { addTalk } from '../../test/ingest';
import { api, createAccount, grant, login } from '../../test/staff';

/** The stream key's routes answer on every process, with or without the ingest running there. */
describe("an event's stream key over HTTP", () => {
  let server: TestServer;
  let moderator: string;
  let otherModerator: string;

  beforeAll(async () => {
    server = await startTestServer();
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
    expect(first.body).toMatchObject({ state: 'idle', reconnectDeadline: null, health: null });
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
