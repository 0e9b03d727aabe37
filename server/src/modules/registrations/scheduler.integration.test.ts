import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistrantList } from '#shared/domain/registration';
import type { TestServer } from '../../test/harness';
import { createRegistrationEvent, HOUR, person, signUp, startSignUpWorld, type SignUpWorld, type StoreKind } from '../../test/sign-up';
import { api } from '../../test/staff';

/* The scheduler on a real server and its store, with two processes' schedulers running the same deadlines at once. */
const STORES: StoreKind[] = ['sqlite', 'redis'];
const DAY = 24 * HOUR;

describe.each(STORES)('the sign-up scheduler on %s', (kind) => {
  let world: SignUpWorld;
  let sibling: TestServer;

  beforeAll(async () => {
    world = await startSignUpWorld(kind);
    sibling = await world.startSibling();
  });
  afterAll(async () => {
    await world?.stop();
  });

  const url = () => world.server.url;
  const both = (at: number) => Promise.all([world.server.scheduler.runOnce(new Date(at)), sibling.scheduler.runOnce(new Date(at))]);
  const reminders = async (eventId: string) =>
    (await world.server.store.outbox.list({ limit: 1000 }))
      .filter((m) => m.kind === 'reminder' && m.eventId === eventId)
      .map((m) => ({ to: m.to, lead: m.payload.lead, last: m.payload.last }));

  it('sends each reminder once to the people confirmed at that time, however many processes run it', async () => {
    const event = await createRegistrationEvent(world, { capacity: 2, startsIn: 30 * HOUR });
    const [a, b, c] = [person('Ana'), person('Bruno'), person('Chloé')];
    for (const who of [a, b, c]) await signUp(url(), event.id, who);
    await api(url(), 'POST', `/api/admin/events/${event.id}/registrations`, { token: world.admin, body: { name: 'Sans e-mail' } });
    const start = Date.parse(event.startsAt);
    const job = await world.server.store.jobs.get(`reminder:24h:${event.id}`);
    expect(job?.dueAt).toBe(new Date(start - 24 * HOUR).toISOString());

    // Just before: nothing.
    await both(start - 24 * HOUR - 1000);
    expect(await reminders(event.id)).toEqual([]);

    await both(start - 24 * HOUR + 1000);
    await both(start - 24 * HOUR + 2000);
    const sent = await reminders(event.id);
    expect(sent.map((r) => r.to).sort()).toEqual([a.email, b.email].sort());
    expect(sent.every((r) => r.lead === '24h' && r.last === false)).toBe(true);
    expect(await world.server.store.jobs.get(`reminder:24h:${event.id}`)).toBeUndefined();

    // Chloé gets a seat before the last reminder: she gets that one.
    const list = (await api(url(), 'GET', `/api/admin/events/${event.id}/registrations`, { token: world.admin })).body as RegistrantList;
    const chloe = list.registrants.find((r) => r.email === c.email)!;
    await api(url(), 'POST', `/api/admin/events/${event.id}/registrations/${chloe.id}/promote`, { token: world.admin });
    await both(start - HOUR + 1000);
    const last = (await reminders(event.id)).filter((r) => r.lead === '1h');
    expect(last.map((r) => r.to).sort()).toEqual([a.email, b.email, c.email].sort());
    expect(last.every((r) => r.last === true)).toBe(true);
  });

  it('moves the reminders with the event, and drops them when it is cancelled', async () => {
    const event = await createRegistrationEvent(world, { startsIn: 3 * DAY });
    const later = Date.parse(event.startsAt) + DAY;
    await api(url(), 'PATCH', `/api/events/${event.id}`, {
      token: world.admin,
      body: { startsAt: new Date(later).toISOString(), endsAt: new Date(later + HOUR).toISOString() },
    });
    expect((await world.server.store.jobs.get(`reminder:1h:${event.id}`))?.dueAt).toBe(new Date(later - HOUR).toISOString());
    expect((await world.server.store.jobs.get(`retention:${event.id}`))?.dueAt).toBe(new Date(later + HOUR + 30 * DAY).toISOString());
    await api(url(), 'PATCH', `/api/events/${event.id}`, { token: world.admin, body: { status: 'cancelled' } });
    expect(await world.server.store.jobs.get(`reminder:1h:${event.id}`)).toBeUndefined();
    expect(await world.server.store.jobs.get(`retention:${event.id}`)).toBeDefined();
  });

  it('sends what sign-up writes on the same tick: a change of time with the time before, and the last reminder with the room’s link', async () => {
    const event = await createRegistrationEvent(world, { capacity: 2, startsIn: 3 * DAY, title: 'Atelier déplacé' });
    await api(url(), 'PUT', `/api/admin/events/${event.id}/registration-settings`, {
      token: world.admin,
      body: { joinUrl: 'https://visio.example.org/deplace' },
    });
    const who = person('Ana');
    await signUp(url(), event.id, who);
    const later = Date.parse(event.startsAt) + DAY;
    await api(url(), 'PATCH', `/api/events/${event.id}`, {
      token: world.admin,
      body: { startsAt: new Date(later).toISOString(), endsAt: new Date(later + HOUR).toISOString() },
    });
    await world.server.scheduler.runOnce(world.clock.now());
    await world.server.scheduler.runOnce(new Date(later - HOUR + 1000));
    const rows = (await world.server.store.outbox.list({ limit: 1000 })).filter((m) => m.eventId === event.id);
    // The 24-hour reminder, 23 hours late (nobody ran the scheduler then), is not sent an hour before the start.
    expect(rows.map((m) => [m.kind, m.state, m.payload.lead ?? null]).sort()).toEqual([
      ['confirmation', 'sent', null],
      ['event-changed', 'sent', null],
      ['reminder', 'sent', '1h'],
    ]);
    const text = async (kind: string) =>
      (await simpleParser(readFileSync(join(world.server.dataDir, 'outbox', `${rows.find((m) => m.kind === kind)!.id}.eml`)))).text ?? '';
    const changed = await text('event-changed');
    expect(changed).toContain('Atelier déplacé');
    expect(changed).toContain('/me#');
    expect(await text('reminder')).toContain('https://visio.example.org/deplace');
  });

  it('erases the registrants’ personal data 30 days after the event and keeps the anonymous counts', async () => {
    const event = await createRegistrationEvent(world, { capacity: 1, startsIn: 2 * HOUR });
    const [a, b] = [person('Ana Gardée'), person('Bruno Gardé')];
    await signUp(url(), event.id, a);
    await signUp(url(), event.id, b);
    const path = `/api/admin/events/${event.id}/registrations`;
    const before = (await api(url(), 'GET', path, { token: world.admin })).body as RegistrantList;
    await api(url(), 'POST', `${path}/${before.registrants[0]!.id}/attendance`, { token: world.admin, body: { attended: true } });
    const end = Date.parse(event.endsAt);

    await both(end + 30 * DAY - 1000);
    expect(((await api(url(), 'GET', path, { token: world.admin })).body as RegistrantList).registrants[0]!.name).toBe('Ana Gardée');

    const [first, second] = await both(end + 30 * DAY + 1000);
    expect(first.erased + second.erased).toBe(2);
    const after = (await api(url(), 'GET', path, { token: world.admin })).body as RegistrantList;
    expect(after.registrants.map((r) => [r.status, r.name, r.email, Boolean(r.attendedAt), Boolean(r.erasedAt)])).toEqual([
      ['confirmed', null, null, true, true],
      ['waitlisted', null, null, false, true],
    ]);
    expect(after.seats).toMatchObject({ confirmed: 1, waitlisted: 1 });
    expect(await world.server.store.registrations.getPersonByEmail(a.email)).toBeUndefined();
  });
});
