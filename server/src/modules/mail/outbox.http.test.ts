import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxPage } from '#shared/protocol/outbox';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { startTestServer, type TestServer } from '../../test/harness';
import { mailParts, signUp, workshop } from '../../test/mail-fixtures';
import { api, createAccount, login } from '../../test/staff';
import { EmlDirectoryTransport } from './mail-transport';

/**
 * The embedded default: no SMTP server, each email becomes `DATA_DIR/outbox/<id>.eml`, and admins read the recent
 * ones through the API.
 */

const T0 = new Date('2026-03-01T10:00:00.000Z');

describe('the .eml directory', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parvis-eml-'));
    store = openSqliteStore(':memory:');
    await store.programme.saveProgramme([], [workshop('atelier', '2026-03-27T13:00:00.000Z')]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each email as <id>.eml, whole, which a mail reader parses with its parts and invitation', async () => {
    const event = (await store.programme.getEvent('atelier'))!;
    await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, T0);
    const [row] = await store.outbox.list({ limit: 1 });
    const outbox = join(dir, 'outbox');
    const sender = mailParts(store).sender(new EmlDirectoryTransport(outbox));

    expect(await sender.runOnce(T0)).toBe(1);
    // Only the finished file: the temporary one it was written to is gone.
    expect(readdirSync(outbox)).toEqual([`${row!.id}.eml`]);
    const file = join(outbox, `${row!.id}.eml`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file);
    expect(raw.includes('\r\n')).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe(`<${row!.id}@parvis.example>`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ana@example.org');
    expect(mail.subject).toBe('Inscription confirmée\u00a0: Conversation en français atelier');
    expect(mail.html).toContain('<h1');
    expect(mail.text).toContain('https://parvis.example/me#');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['invite.ics']);
    expect(await store.outbox.get(row!.id)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('writes the same file again when an email is sent twice (a crash before it was marked sent)', async () => {
    const event = (await store.programme.getEvent('atelier'))!;
    await signUp(store, event, { email: 'ana@example.org', name: 'Ana', language: 'en' }, T0);
    const [row] = await store.outbox.list({ limit: 1 });
    const transport = new EmlDirectoryTransport(join(dir, 'outbox'));
    const parts = mailParts(store);
    const first = await parts.renderer.render(row!, T0);
    const again = await parts.renderer.render(row!, T0);
    if (first.outcome !== 'email' || again.outcome !== 'email') throw new Error('not rendered');
    await transport.send(first.email);
    await transport.send(again.email);
    expect(readdirSync(join(dir, 'outbox'))).toEqual([`${row!.id}.eml`]);
    expect((await simpleParser((await transport.read(row!.id))!)).messageId).toBe(`<${row!.id}@parvis.example>`);
  });
});

describe('the admins’ outbox', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer({ schedulerTickMs: 20 });
    await createAccount(server.store, { email: 'admin@example.org', password: 'admin-password-1', isAdmin: true });
    await createAccount(server.store, { email: 'mod@example.org', password: 'staff-password-1' });
    admin = (await login(server.url, 'admin@example.org', 'admin-password-1')).token;
    staff = (await login(server.url, 'mod@example.org', 'staff-password-1')).token;
    const start = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const event = workshop('atelier-admin', start, { capacity: 1 });
    await server.store.programme.saveProgramme([], [event]);
    const now = new Date();
    await signUp(server.store, event, { email: 'ana@example.org', name: 'Ana', language: 'fr' }, now);
    await signUp(server.store, event, { email: 'bo@example.org', name: 'Bo', language: 'en' }, now);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** The list, once the server's own loop has written both emails. */
  async function sentPage(): Promise<OutboxPage> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await api<OutboxPage>(server.url, 'GET', '/api/admin/outbox', { token: admin });
      expect(res.status).toBe(200);
      if (res.body.emails.length === 2 && res.body.emails.every((e) => e.state === 'sent')) return res.body;
      if (Date.now() > deadline) throw new Error(`emails not sent: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('lists the recent emails, newest first, with their state, for admins only', async () => {
    const page = await sentPage();
    expect(page.transport).toBe('eml');
    expect(page.emails.map((e) => [e.to, e.kind, e.state, e.attempts])).toEqual([
      ['bo@example.org', 'waitlisted', 'sent', 1],
      ['ana@example.org', 'confirmation', 'sent', 1],
    ]);
    expect(page.emails[0]!.sentAt).not.toBeNull();

    const older = await api<OutboxPage>(server.url, 'GET', `/api/admin/outbox?limit=1&before=${page.emails[0]!.id}`, { token: admin });
    expect(older.body.emails.map((e) => e.to)).toEqual(['ana@example.org']);

    expect((await api(server.url, 'GET', '/api/admin/outbox')).status).toBe(401);
    expect((await api(server.url, 'GET', '/api/admin/outbox', { token: staff })).status).toBe(403);
    expect((await api(server.url, 'GET', '/api/admin/outbox?limit=1000', { token: admin })).status).toBe(400);
  });

  it('serves each email as the .eml file written to DATA_DIR/outbox', async () => {
    const page = await sentPage();
    const { id } = page.emails.find((e) => e.to === 'bo@example.org')!;
    const res = await fetch(`${server.url}/api/admin/outbox/${id}.eml`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    const raw = Buffer.from(await res.arrayBuffer());
    expect(raw.equals(readFileSync(join(server.dataDir, 'outbox', `${id}.eml`)))).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Waiting list: Conversation en français atelier-admin');
    expect(mail.text).toContain('You are number 1 on the waiting list.');

    const refused = await fetch(`${server.url}/api/admin/outbox/${id}.eml`, { headers: { authorization: `Bearer ${staff}` } });
    expect(refused.status).toBe(403);
    const unknown = await fetch(`${server.url}/api/admin/outbox/00000000-0000-0000-0000-000000000000.eml`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${server.url}/api/admin/outbox/${id}.txt`, { headers: { authorization: `Bearer ${admin}` } });
    expect(bad.status).toBe(400);
  });
});
