import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaptionCue } from '#shared/domain/caption';
import type { ReplayMap } from '#shared/domain/replay-map';
import type { JoinResult } from '#shared/protocol/events';
import { connectViewer, eventually, guestToken, ok, request, startTestServer, type TestClient, type TestServer } from '../../test/harness';
import { api, createAccount, grant, login, testEvent } from '../../test/staff';
import { readCaptions } from '../../test/webvtt';

/*
 * Captions on the real server: a captioner at the desk and captioning software posting to the ingest URL, both heard
 * by a viewer in the room; the join ack of a latecomer; the WebVTT file on a replay map built by hand; the admin's
 * corrections.
 */

let server: TestServer;
const tokens: Record<'captioner' | 'moderator' | 'speaker' | 'admin', string> = { captioner: '', moderator: '', speaker: '', admin: '' };
const open: TestClient[] = [];
const LIVE = 'captions-live';
const INVITE = 'captions-invite';
const ENDED = 'captions-ended';
const maps = new Map<string, ReplayMap>();

beforeAll(async () => {
  server = await startTestServer({}, undefined, { replayMaps: { map: async (eventId) => maps.get(eventId) ?? null } });
  await server.store.programme.saveProgramme(
    [],
    [
      testEvent(LIVE, { status: 'live', language: 'fr-FR' }),
      testEvent(INVITE, { status: 'live', access: 'invite' }),
      testEvent(ENDED, { status: 'ended' }),
    ],
  );
  const password = 'correct horse battery';
  for (const role of ['captioner', 'moderator', 'speaker'] as const) {
    const account = await createAccount(server.store, { email: `captions-${role}@example.org`, password });
    for (const id of [LIVE, INVITE, ENDED]) await grant(server.store, id, account, role);
    tokens[role] = (await login(server.url, `captions-${role}@example.org`, password)).token;
  }
  await createAccount(server.store, { email: 'captions-admin@example.org', password, isAdmin: true });
  tokens.admin = (await login(server.url, 'captions-admin@example.org', password)).token;
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await server.stop();
});

/** A person in an event's room, with every `captions:cue` they hear. */
async function inRoom(token: string | undefined, eventId = LIVE): Promise<{ socket: TestClient; heard: CaptionCue[]; joined: JoinResult }> {
  const socket = await connectViewer(server.url, token);
  open.push(socket);
  const heard: CaptionCue[] = [];
  socket.on('captions:cue', ({ eventId: id, cue }) => {
    if (id === eventId) heard.push(cue);
  });
  const joined = await ok(request<JoinResult>(socket, 'event:join', { eventId }));
  return { socket, heard, joined };
}

const send = (socket: TestClient, payload: Record<string, unknown>) => request<{ cue: CaptionCue }>(socket, 'caption:send', payload);

async function ingestUrl(eventId = LIVE): Promise<string> {
  const answer = await api<{ url: string }>(server.url, 'GET', `/api/events/${eventId}/captions/ingest`, { token: tokens.moderator });
  expect(answer.status).toBe(200);
  return answer.body.url;
}

/** What captioning software does: POST plain text to the URL it was given, with `seq` (and `lang`) added. */
async function post(url: string, params: Record<string, string | number>, body: string): Promise<{ status: number; text: string }> {
  // The URL names the configured public origin; the test server listens on a port of its own.
  const given = new URL(url);
  const full = new URL(given.pathname + given.search, server.url);
  for (const [k, v] of Object.entries(params)) full.searchParams.set(k, String(v));
  const res = await fetch(full, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
  return { status: res.status, text: await res.text() };
}

const youTube = (date: Date) => date.toISOString().replace('Z', '');

describe('the caption desk', () => {
  it('sends a line that every viewer of the room hears, and the next one ends it', async () => {
    const viewer = await inRoom(await guestToken(server.url, 'Léa'));
    const desk = await inRoom(tokens.captioner);
    const first = await ok(send(desk.socket, { eventId: LIVE, lang: 'fr', text: '  Bonsoir   à toutes et à tous ' }));
    expect(first.cue).toMatchObject({ eventId: LIVE, lang: 'fr', source: 'desk', text: 'Bonsoir à toutes et à tous', endAt: null });
    await eventually(() => viewer.heard.some((c) => c.id === first.cue.id), 5000, 'the first line');
    const second = await ok(send(desk.socket, { eventId: LIVE, lang: 'fr', text: 'Bienvenue.' }));
    await eventually(() => viewer.heard.some((c) => c.id === second.cue.id), 5000, 'the second line');
    // The first line came again, ended where the second starts, before the second.
    const ended = viewer.heard.findLast((c) => c.id === first.cue.id)!;
    expect(ended.endAt).toBe(second.cue.startAt);
    expect(viewer.heard.findLastIndex((c) => c.id === first.cue.id)).toBeLessThan(viewer.heard.findIndex((c) => c.id === second.cue.id));
  });

  it('corrects a line: viewers get the same cue with the new text', async () => {
    const viewer = await inRoom(undefined);
    const desk = await inRoom(tokens.captioner);
    const { cue } = await ok(send(desk.socket, { eventId: LIVE, lang: 'fr', text: 'La médiatèque' }));
    const fixed = await ok(send(desk.socket, { eventId: LIVE, lang: 'fr', text: 'La médiathèque', replaces: cue.id }));
    expect(fixed.cue).toMatchObject({ id: cue.id, text: 'La médiathèque', startAt: cue.startAt });
    expect(fixed.cue.editedAt).not.toBeNull();
    await eventually(() => viewer.heard.some((c) => c.id === cue.id && c.text === 'La médiathèque'), 5000, 'the correction');
    const refused = await send(desk.socket, { eventId: LIVE, lang: 'fr', text: 'x', replaces: 'no-such-cue' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('takes lines from moderators and admins, and refuses guests, viewers and speakers', async () => {
    for (const role of ['moderator', 'admin'] as const) {
      const { socket } = await inRoom(tokens[role]);
      await ok(send(socket, { eventId: LIVE, lang: 'en', text: `From the ${role}` }));
    }
    const guest = await inRoom(await guestToken(server.url, 'Paul'));
    expect(await send(guest.socket, { eventId: LIVE, lang: 'fr', text: 'Je sous-titre ?' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const speaker = await inRoom(tokens.speaker);
    expect(await send(speaker.socket, { eventId: LIVE, lang: 'fr', text: 'Moi aussi ?' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const anonymous = await inRoom(undefined);
    expect(await send(anonymous.socket, { eventId: LIVE, lang: 'fr', text: 'Et moi ?' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const bad = await send(guest.socket, { eventId: LIVE, lang: 'not a language', text: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('lets a captioner into an invite-only event as staff, but not into its moderators’ tools', async () => {
    const desk = await inRoom(tokens.captioner, INVITE);
    expect(desk.joined.role).toBe('captioner');
    expect(desk.joined.staff).toBeUndefined();
    await ok(send(desk.socket, { eventId: INVITE, lang: 'fr', text: 'Sur invitation' }));
    const refused = await request(desk.socket, 'room:configure', { eventId: INVITE, slowModeSeconds: 5 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('takes no more lines once the event has ended', async () => {
    const desk = await inRoom(tokens.captioner, ENDED);
    expect(desk.joined.captions).toBeUndefined();
    expect(await send(desk.socket, { eventId: ENDED, lang: 'fr', text: 'Trop tard' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'event-closed' },
    });
  });

  it('gives a latecomer the last lines of each language in the join ack', async () => {
    const desk = await inRoom(tokens.captioner);
    for (let i = 1; i <= 12; i++) await ok(send(desk.socket, { eventId: LIVE, lang: 'es', text: `línea ${i}` }));
    const late = await inRoom(undefined);
    const spanish = late.joined.captions!.filter((c) => c.lang === 'es').map((c) => c.text);
    expect(spanish).toEqual(Array.from({ length: 10 }, (_, i) => `línea ${i + 3}`));
    expect(late.joined.captions!.some((c) => c.lang === 'en')).toBe(true);
  });
});

describe('the caption ingest URL', () => {
  it('is given to moderators and admins only, with its secret', async () => {
    const url = await ingestUrl();
    expect(url).toMatch(new RegExp(`/api/events/${LIVE}/captions/ingest\\?token=[\\w-]{32}$`));
    const admin = await api(server.url, 'GET', `/api/events/${LIVE}/captions/ingest`, { token: tokens.admin });
    expect(admin.body.url).toBe(url);
    expect(admin.headers.get('cache-control')).toContain('no-store');
    for (const role of ['captioner', 'speaker'] as const) {
      expect((await api(server.url, 'GET', `/api/events/${LIVE}/captions/ingest`, { token: tokens[role] })).status).toBe(403);
    }
    expect((await api(server.url, 'GET', `/api/events/${LIVE}/captions/ingest`)).status).toBe(401);
  });

  it('takes YouTube-format lines, answers the server time, and reaches the viewers', async () => {
    const viewer = await inRoom(undefined);
    const url = await ingestUrl();
    const said = new Date(Date.now() - 2000);
    const answer = await post(url, { seq: 1 }, `${youTube(said)}\nBonsoir<br>et bienvenue\n`);
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\n$/);
    await eventually(() => viewer.heard.some((c) => c.text === 'Bonsoir\net bienvenue'), 5000, 'the posted line');
    const cue = viewer.heard.find((c) => c.text === 'Bonsoir\net bienvenue')!;
    // The event's language (fr-FR) without lang=, and the captioner's instant.
    expect(cue).toMatchObject({ lang: 'fr', source: 'ingest', seq: 1, startAt: said.toISOString() });
  });

  it('takes Zoom-format lines with lang=en-US as English', async () => {
    const viewer = await inRoom(undefined);
    const answer = await post(await ingestUrl(), { seq: 1, lang: 'en-US' }, 'Good evening, everyone');
    expect(answer.status).toBe(200);
    await eventually(() => viewer.heard.some((c) => c.text === 'Good evening, everyone'), 5000, 'the Zoom line');
    expect(viewer.heard.find((c) => c.text === 'Good evening, everyone')!.lang).toBe('en');
  });

  it('stores a repeated seq once and tells viewers once; an out-of-order one takes its place in time', async () => {
    const viewer = await inRoom(undefined);
    const url = await ingestUrl();
    const base = Date.now() - 60_000;
    const line = (s: number, text: string) => `${youTube(new Date(base + s * 1000))}\n${text}`;
    expect((await post(url, { seq: 20, lang: 'de' }, line(0, 'eins'))).status).toBe(200);
    expect((await post(url, { seq: 22, lang: 'de' }, line(20, 'drei'))).status).toBe(200);
    expect((await post(url, { seq: 20, lang: 'de' }, line(0, 'eins'))).status).toBe(200);
    expect((await post(url, { seq: 21, lang: 'de' }, line(10, 'zwei'))).status).toBe(200);
    // A marker after them all: once it is heard, everything before it has been.
    expect((await post(url, { seq: 23, lang: 'de' }, line(30, 'Ende'))).status).toBe(200);
    await eventually(() => viewer.heard.some((c) => c.text === 'Ende'), 5000, 'the marker');
    expect(viewer.heard.filter((c) => c.text === 'eins' && c.endAt === null)).toHaveLength(1);
    const stored = await server.store.captions.list(LIVE, 'de');
    expect(stored.map((c) => c.text)).toEqual(['eins', 'zwei', 'drei', 'Ende']);
    expect(stored.map((c) => c.endAt)).toEqual([stored[1]!.startAt, stored[2]!.startAt, stored[3]!.startAt, null]);
  });

  it('refuses a wrong token, a missing seq and an empty body, each with its typed error', async () => {
    const url = await ingestUrl();
    const wrong = await post(url.replace(/token=.*/, 'token=guessed'), { seq: 1 }, 'hello');
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.text)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const unknownEvent = await post(url.replace(LIVE, 'no-such-event'), { seq: 1 }, 'hello');
    expect(unknownEvent.status).toBe(403);
    const noSeq = await post(url, {}, 'hello');
    expect(noSeq.status).toBe(400);
    expect(JSON.parse(noSeq.text)).toMatchObject({ error: { code: 'INVALID_PAYLOAD' } });
    const empty = await post(url, { seq: 99 }, '\n\n');
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text)).toMatchObject({ error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/no caption text/) } });
  });

  it('rotates the URL: the old one is refused, the new one works', async () => {
    const old = await ingestUrl();
    const rotated = await api<{ url: string }>(server.url, 'POST', `/api/events/${LIVE}/captions/ingest/rotate`, { token: tokens.moderator });
    expect(rotated.status).toBe(200);
    expect(rotated.body.url).not.toBe(old);
    expect((await post(old, { seq: 500 }, 'ancienne adresse')).status).toBe(403);
    expect((await post(rotated.body.url, { seq: 500 }, 'nouvelle adresse')).status).toBe(200);
    expect(await ingestUrl()).toBe(rotated.body.url);
    const entries = await server.store.audit.list({ limit: 20 });
    expect(entries.some((e) => e.action === 'captions.rotate' && e.target === `event:${LIVE}` && !JSON.stringify(e).includes(rotated.body.url))).toBe(true);
  });
});

describe('the captions of the replay', () => {
  const REPLAY = 'captions-replay';

  it('are a WebVTT file per language on the replay clock, corrected by the admin’s editor', async () => {
    await server.store.programme.saveProgramme([], [testEvent(REPLAY, { status: 'live' })]);
    const desk = await inRoom(tokens.admin, REPLAY);
    const first = (await ok(send(desk.socket, { eventId: REPLAY, lang: 'fr', text: 'Bonsoir' }))).cue;
    const second = (await ok(send(desk.socket, { eventId: REPLAY, lang: 'fr', text: 'Bienvenue à la médiatèque' }))).cue;
    await ok(send(desk.socket, { eventId: REPLAY, lang: 'en', text: 'Good evening' }));

    // During the live, before any replay: the file grows on a provisional clock.
    const live = await fetch(`${server.url}/api/events/${REPLAY}/captions/fr.vtt`);
    expect(live.status).toBe(200);
    expect(readCaptions(await live.text()).map((c) => c.text)).toEqual(['Bonsoir', 'Bienvenue à la médiatèque']);

    // The replay starts 5 s before the first line.
    const start = Date.parse(first.startAt) - 5000;
    maps.set(REPLAY, { spans: [{ offset: 0, at: new Date(start).toISOString(), duration: 600 }] });
    expect(await (await fetch(`${server.url}/api/events/${REPLAY}/captions`)).json()).toEqual({ languages: ['en', 'fr'] });
    const vtt = await fetch(`${server.url}/api/events/${REPLAY}/captions/fr.vtt`);
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
    const cues = readCaptions(await vtt.text());
    expect(cues.map((c) => [c.id, c.text])).toEqual([
      [first.id, 'Bonsoir'],
      [second.id, 'Bienvenue à la médiatèque'],
    ]);
    expect(cues[0]!.start).toBeCloseTo(5, 3);
    expect(cues[1]!.start).toBeCloseTo((Date.parse(second.startAt) - start) / 1000, 3);

    // The admin corrects the text and moves the line a second later.
    const moved = new Date(Date.parse(second.startAt) + 1000).toISOString();
    const edit = await api(server.url, 'PUT', `/api/admin/events/${REPLAY}/captions/${second.id}`, {
      token: tokens.admin,
      body: { text: 'Bienvenue à la médiathèque', startAt: moved },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.cue).toMatchObject({ id: second.id, text: 'Bienvenue à la médiathèque', startAt: moved });
    const corrected = readCaptions(await (await fetch(`${server.url}/api/events/${REPLAY}/captions/fr.vtt`)).text());
    expect(corrected[1]).toMatchObject({ id: second.id, text: 'Bienvenue à la médiathèque' });
    expect(corrected[1]!.start).toBeCloseTo((Date.parse(moved) - start) / 1000, 3);

    // The editor lists a language's lines, and removes one.
    const listed = await api(server.url, 'GET', `/api/admin/events/${REPLAY}/captions?lang=fr`, { token: tokens.admin });
    expect(listed.body).toMatchObject({ languages: ['en', 'fr'], lang: 'fr' });
    expect(listed.body.cues.map((c: CaptionCue) => c.text)).toEqual(['Bonsoir', 'Bienvenue à la médiathèque']);
    expect((await api(server.url, 'DELETE', `/api/admin/events/${REPLAY}/captions/${first.id}`, { token: tokens.admin })).status).toBe(204);
    const after = readCaptions(await (await fetch(`${server.url}/api/events/${REPLAY}/captions/fr.vtt`)).text());
    expect(after.map((c) => c.id)).toEqual([second.id]);
    // The audit log says what was corrected and what was removed, in words the audit page shows.
    const audit = (await server.store.audit.list({ limit: 50 })).filter((e) => e.target === `event:${REPLAY}`);
    expect(audit.find((e) => e.action === 'caption.edit')?.details).toMatchObject({ cueId: second.id, lang: 'fr', text: 'Bienvenue à la médiathèque' });
    expect(audit.find((e) => e.action === 'caption.delete')?.details).toMatchObject({ cueId: first.id, lang: 'fr', text: 'Bonsoir' });
  });

  it('keeps the editor to admins and refuses an edit that ends before it starts', async () => {
    const cue = (await server.store.captions.list(LIVE, 'fr'))[0]!;
    const path = `/api/admin/events/${LIVE}/captions/${cue.id}`;
    expect((await api(server.url, 'PUT', path, { token: tokens.moderator, body: { text: 'x' } })).status).toBe(403);
    expect((await api(server.url, 'GET', `/api/admin/events/${LIVE}/captions`, { token: tokens.captioner })).status).toBe(403);
    const backwards = await api(server.url, 'PUT', path, {
      token: tokens.admin,
      body: { endAt: new Date(Date.parse(cue.startAt) - 1000).toISOString() },
    });
    expect(backwards.status).toBe(400);
    expect((await api(server.url, 'PUT', `/api/admin/events/${LIVE}/captions/nope`, { token: tokens.admin, body: { text: 'x' } })).status).toBe(404);
  });

  it('hides the captions of an invite-only event from people not invited, as its video is', async () => {
    const desk = await inRoom(tokens.captioner, INVITE);
    await ok(send(desk.socket, { eventId: INVITE, lang: 'fr', text: 'Confidentiel' }));
    expect((await fetch(`${server.url}/api/events/${INVITE}/captions/fr.vtt`)).status).toBe(403);
    expect((await fetch(`${server.url}/api/events/${INVITE}/captions`)).status).toBe(403);
    const staff = await fetch(`${server.url}/api/events/${INVITE}/captions/fr.vtt`, { headers: { authorization: `Bearer ${tokens.speaker}` } });
    expect(staff.status).toBe(200);
    expect((await fetch(`${server.url}/api/events/${LIVE}/captions/xx.vtt`)).status).toBe(404);
  });
});

