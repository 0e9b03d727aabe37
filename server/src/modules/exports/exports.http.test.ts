import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import type { Store } from '../../store/store';
import { guestToken, startTestServer, type TestServer } from '../../test/harness';
import { createAccount, grant, login, testEvent } from '../../test/staff';

let server: TestServer;
let moderatorToken: string;
let adminToken: string;
let otherModeratorToken: string;
const EVENT = 'export-lecture';
const event: Event = testEvent(EVENT, { kind: 'webinar', title: 'Rencontre « BD » | 2026', timezone: 'Europe/Paris', language: 'fr' });

/** What a moderator's download looks like: status, headers, and the body as text. */
async function download(path: string, token?: string) {
  const res = await fetch(`${server.url}/api/events/${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

/** Parses RFC 4180 CSV (the BOM stripped): enough to check what a spreadsheet would read. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

async function seed(store: Store): Promise<void> {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 17, m)).toISOString();
  const ask = async (text: string, name: string, anonymous: boolean, m: number, origin?: 'room') =>
    (
      await store.questions.ask({
        eventId: EVENT,
        text,
        anonymous,
        author: { id: `u-${name}`, displayName: name },
        clientId: text,
        state: 'approved',
        createdAt: at(m),
        ...(origin && { origin }),
      })
    ).question;
  const first = await ask('Comment choisissez-vous vos couleurs ?', 'Ana', false, 1, 'room');
  await ask('Une question, "délicate", sur\nles droits', 'Secret Person', true, 2);
  await ask('=HYPERLINK("http://evil.example","clic")', 'Mallory', false, 3);
  const dup = await ask('Vos couleurs, comment ?', 'Bob', false, 4);
  await store.questions.vote(EVENT, first.id, 'u-x', true);
  await store.questions.vote(EVENT, first.id, 'u-y', true);
  await store.questions.vote(EVENT, dup.id, 'u-y', true);
  await store.questions.vote(EVENT, dup.id, 'u-z', true);
  await store.questions.setState(EVENT, first.id, { to: 'live', from: ['approved'], at: at(10) });
  await store.questions.setState(EVENT, first.id, { to: 'answered', from: ['live'], at: at(15) });
  await store.questions.update(EVENT, first.id, { starred: true });
  await store.questions.merge(EVENT, dup.id, first.id, { from: ['approved'], into: ['answered'] });

  const poll = await store.polls.createPoll({
    eventId: EVENT,
    question: 'Quelle | séance ?',
    options: [
      { id: 'o1', text: 'La Jetée' },
      { id: 'o2', text: '-Le Joli Mai' },
    ],
    multiple: false,
    results: 'after-close',
    createdAt: at(20),
  });
  await store.polls.setPollState(EVENT, poll.id, { from: 'draft', to: 'open', at: at(21) });
  for (const [u, o] of [['a', 'o1'], ['b', 'o1'], ['c', 'o2']] as const) await store.polls.votePoll(EVENT, poll.id, u, [o]);
  await store.polls.setPollState(EVENT, poll.id, { from: 'open', to: 'closed', at: at(25) });
}

beforeAll(async () => {
  server = await startTestServer();
  await server.store.programme.saveProgramme([], [event, testEvent('export-other')]);
  const mod = await createAccount(server.store, { email: 'export-mod@example.org', password: 'correct horse battery' });
  await grant(server.store, EVENT, mod, 'moderator');
  const speaker = await createAccount(server.store, { email: 'export-other@example.org', password: 'correct horse battery' });
  await grant(server.store, 'export-other', speaker, 'moderator');
  await grant(server.store, EVENT, speaker, 'speaker');
  await createAccount(server.store, { email: 'export-admin@example.org', password: 'correct horse battery', isAdmin: true });
  moderatorToken = (await login(server.url, 'export-mod@example.org', 'correct horse battery')).token;
  otherModeratorToken = (await login(server.url, 'export-other@example.org', 'correct horse battery')).token;
  adminToken = (await login(server.url, 'export-admin@example.org', 'correct horse battery')).token;
  await seed(server.store);
});
afterAll(async () => {
  await server.stop();
});

describe('exports', () => {
  it('gives the Q&A as a CSV spreadsheet without anonymous askers and with formulas neutralised', async () => {
    const res = await download(`${EVENT}/export/questions.csv`, moderatorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="parvis-${EVENT}-questions.csv"`);
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.text.endsWith('\r\n')).toBe(true);

    const [header, ...rows] = parseCsv(res.text.slice(1));
    expect(header).toEqual([
      'N°',
      'Question',
      'Auteur',
      'Votes',
      'État',
      'Posée le (Europe/Paris)',
      'À l’écran le (Europe/Paris)',
      'Répondue le (Europe/Paris)',
      'Favorite',
      'Fusionnée dans',
      'Provenance',
    ]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual([
      '1',
      'Comment choisissez-vous vos couleurs ?',
      'Ana',
      '3',
      'répondue',
      '2026-11-25 18:01:00',
      '2026-11-25 18:10:00',
      '2026-11-25 18:15:00',
      'oui',
      '',
      'salle',
    ]);
    // The anonymous asker is left out, and the text survives its quotes and line break.
    expect(rows[1]!.slice(1, 3)).toEqual(['Une question, "délicate", sur\nles droits', '']);
    expect(res.text).not.toContain('Secret Person');
    // A spreadsheet would not run this as a formula.
    expect(rows[2]![1]).toBe(`'=HYPERLINK("http://evil.example","clic")`);
    expect(rows[3]!.slice(4)).toEqual(['fusionnée', '2026-11-25 18:04:00', '', '', '', 'N° 1: Comment choisissez-vous vos couleurs ?', 'en ligne']);
  });

  it('gives the Q&A as a Markdown report with safe tables', async () => {
    const res = await download(`${EVENT}/export/questions.md`, adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="parvis-${EVENT}-questions.md"`);
    expect(res.text.split('\n')[0]).toBe('# Questions — Rencontre « BD » \\| 2026');
    expect(res.text).toContain('4 questions — approuvée: 2, répondue: 1, fusionnée: 1.');
    const rows = res.text.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(6);
    // Every row has as many cells as the header: no text broke the table.
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    for (const row of rows) expect(cells(row)).toBe(cells(rows[0]!));
    expect(rows[3]).toContain('_anonyme_');
    expect(res.text).not.toContain('Secret Person');
    expect(rows[3]).toContain('Une question, "délicate", sur les droits');
    // Where each question was asked: the first in the auditorium, the others online.
    expect(rows[0]).toContain('| Provenance |');
    expect(rows[2]).toMatch(/\| salle \|$/);
    expect(rows[3]).toMatch(/\| en ligne \|$/);
  });

  it('gives the poll results as CSV and Markdown', async () => {
    const csv = await download(`${EVENT}/export/polls.csv`, moderatorToken);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="parvis-${EVENT}-polls.csv"`);
    expect(parseCsv(csv.text.slice(1))).toEqual([
      ['N°', 'Sondage', 'Option', 'Votes', 'Votants', 'État', 'Ouvert le (Europe/Paris)', 'Fermé le (Europe/Paris)'],
      ['1', 'Quelle | séance ?', 'La Jetée', '2', '3', 'fermé', '2026-11-25 18:21:00', '2026-11-25 18:25:00'],
      ['1', 'Quelle | séance ?', "'-Le Joli Mai", '1', '3', 'fermé', '2026-11-25 18:21:00', '2026-11-25 18:25:00'],
    ]);

    const md = await download(`${EVENT}/export/polls.md`, moderatorToken);
    expect(md.status).toBe(200);
    expect(md.text).toContain('## 1. Quelle \\| séance ?');
    expect(md.text).toContain('fermé · un seul choix · 3 votants · ouvert le 2026-11-25 18:21:00 · fermé le 2026-11-25 18:25:00');
    expect(md.text).toContain('| La Jetée | 2 | 67 % |');
    expect(md.text).toContain('| -Le Joli Mai | 1 | 33 % |');
  });

  it('says so when an event has neither questions nor polls', async () => {
    const res = await download('export-other/export/polls.md', adminToken);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Aucun sondage.');
  });

  it('lets only the event’s moderators and the admins download, with typed errors', async () => {
    const anonymous = await download(`${EVENT}/export/questions.csv`);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

    const guest = await download(`${EVENT}/export/questions.csv`, await guestToken(server.url, 'Curieux'));
    expect(guest.status).toBe(403);
    expect(JSON.parse(guest.text)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // A speaker of this event who moderates another one is not this event's moderator.
    expect((await download(`${EVENT}/export/polls.md`, otherModeratorToken)).status).toBe(403);

    const missing = await download('no-such-event/export/questions.csv', adminToken);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const unknownFile = await download(`${EVENT}/export/questions.xlsx`, moderatorToken);
    expect(unknownFile.status).toBe(404);
    expect(JSON.parse(unknownFile.text)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await download(`${EVENT}/export/questions.csv`, 'not-a-token')).status).toBe(401);
  });
});
