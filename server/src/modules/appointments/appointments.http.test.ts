import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelpDesk, HelpDeskRequests, MyAppointments } from '#shared/domain/appointment';
import type { SeriesDetail } from '#shared/domain/registration';
import { asPerson, HOUR, MINUTE, person, signUp, startSignUpWorld, tokenOf, type SignUpWorld, type StoreKind } from '../../test/sign-up';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../test/smtp-server';
import { api } from '../../test/staff';

/*
 * Help desks through the HTTP API of a real server, on each store, with the real SMTP server of the tests receiving
 * what the outbox sends: a desk's slots, booking one, assigning it to a partner, the three emails and reminders, the
 * personal pages, the room access hook, and erasure with the registration's data. Time is the test's clock.
 */
const STORES: StoreKind[] = ['sqlite', 'redis'];
const DAY = 24 * HOUR;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

describe.each(STORES)('help desks on %s', (kind) => {
  let world: SignUpWorld;
  let smtp: TestSmtpServer;
  let desks = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    world = await startSignUpWorld(kind, { smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await world?.stop();
    await smtp?.close();
  });

  const url = () => world.server.url;
  const admin = (method: string, path: string, body?: unknown) => api(url(), method, path, { token: world.admin, body });
  /** A day in Paris `days` after the clock's now, and its weekday. */
  const dayIn = (days: number) => {
    const date = new Date(world.clock.now().getTime() + days * DAY).toISOString().slice(0, 10);
    return { date, weekday: WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]! };
  };
  const librarian = { name: 'Bibliothécaire', email: 'accueil@example.org' };
  const createDesk = async (mode: 'room' | 'phone', fields: Record<string, unknown> = {}) => {
    const { date, weekday } = dayIn(10);
    const res = await admin('POST', '/api/admin/help-desks', {
      title: `Aide juridique ${++desks}`,
      byDay: [weekday],
      startTime: '14:00',
      endTime: '15:00',
      slotMinutes: 30,
      from: date,
      until: date,
      mode,
      language: 'fr',
      librarian,
      ...fields,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { helpDesk: HelpDesk; slots: number };
  };
  const slotsOf = async (deskId: string) => ((await api(url(), 'GET', `/api/series/${deskId}`)).body as SeriesDetail).dates.map((d) => d.event);
  /** Waits for the accepted message to `to` whose subject contains `subject`. */
  const mailTo = (to: string, subject: string): Promise<ReceivedMail> =>
    smtp.waitFor((m) => m.to.includes(to.toLowerCase()) && (m.parsed.subject ?? '').includes(subject), 10_000, `${subject} to ${to}`);
  const me = async (email: string) => (await asPerson(url(), await tokenOf(world.server, email), 'GET', '/api/me/appointments')).body as MyAppointments;

  it('refuses a help desk whose hours, slots or librarian are wrong, naming each field, and non-admins', async () => {
    const { date, weekday } = dayIn(10);
    const bad = await admin('POST', '/api/admin/help-desks', {
      title: 'Aide',
      byDay: [weekday],
      startTime: '17:00',
      endTime: '14:00',
      slotMinutes: 5,
      from: date,
      until: date,
      mode: 'video',
      librarian: { name: 'B', email: 'pas-un-email' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PAYLOAD');
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['librarian.email', 'mode', 'slotMinutes']);
    const noFit = await admin('POST', '/api/admin/help-desks', {
      title: 'Aide', byDay: [weekday], startTime: '14:00', endTime: '14:20', slotMinutes: 30, from: date, until: date, mode: 'room', librarian,
    });
    expect(noFit.body.error.fields).toEqual({ slotMinutes: 'must fit between the start and end times' });
    const backwards = await admin('POST', '/api/admin/help-desks', {
      title: 'Aide', byDay: [weekday], startTime: '15:00', endTime: '14:00', slotMinutes: 30, from: date, until: date, mode: 'room', librarian,
    });
    expect(backwards.body.error.fields).toEqual({ endTime: 'must be after the start time' });
    const tooMany = await admin('POST', '/api/admin/help-desks', {
      title: 'Aide', byDay: ['MO', 'TU', 'WE', 'TH', 'FR'], startTime: '09:00', endTime: '18:00', slotMinutes: 10, from: date, until: '2031-01-01', mode: 'room', librarian,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields).toHaveProperty('until');
    const anonymous = await api(url(), 'POST', '/api/admin/help-desks', { body: {} });
    expect(anonymous.status).toBe(401);
  });

  it('makes one slot event per N minutes, each with one seat, no waiting list and the need (and phone) questions', async () => {
    const { helpDesk, slots } = await createDesk('phone');
    expect(slots).toBe(2);
    const events = await slotsOf(helpDesk.id);
    expect(events.map((e) => [new Date(e.startsAt).toISOString().slice(11, 16), (Date.parse(e.endsAt) - Date.parse(e.startsAt)) / MINUTE])).toEqual([
      [events[0]!.startsAt.slice(11, 16), 30],
      [new Date(Date.parse(events[0]!.startsAt) + 30 * MINUTE).toISOString().slice(11, 16), 30],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ access: 'registration', capacity: 1, waitlist: false, seriesId: helpDesk.id });
      expect(e.form?.map((q) => [q.id, q.required])).toEqual([['need', true], ['phone', true]]);
    }
    // 14:00 in Paris, whatever the season.
    const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
    expect(events.map((e) => paris.format(new Date(e.startsAt)))).toEqual(['14:00', '14:30']);
    const listed = await admin('GET', '/api/admin/help-desks');
    expect(listed.body.helpDesks.map((d: HelpDesk) => d.id)).toContain(helpDesk.id);
  });

  it('books a slot for one reader only; a phone desk requires the number and the need', async () => {
    const { helpDesk } = await createDesk('phone');
    const [slot] = await slotsOf(helpDesk.id);
    const missing = await signUp(url(), slot!.id, person('Sans numéro'));
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual({ 'answers.need': 'must be answered', 'answers.phone': 'must be answered' });
    const reader = { ...person('Lina'), answers: { need: 'Un litige avec mon propriétaire', phone: '06 11 22 33 44' } };
    expect((await signUp(url(), slot!.id, reader)).body.registration.status).toBe('confirmed');
    const late = await signUp(url(), slot!.id, { ...person('Trop tard'), answers: { need: 'x', phone: '07' } });
    expect(late.status).toBe(409);
    expect(late.body.error.reason).toBe('full');
  });

  it('assigns a phone booking to a partner: the three get the confirmation, the partner the number, the reader “you will be called”', async () => {
    const { helpDesk } = await createDesk('phone');
    const [slot] = await slotsOf(helpDesk.id);
    const reader = { ...person('Lina'), answers: { need: 'Un litige avec mon propriétaire', phone: '06 11 22 33 44' } };
    await signUp(url(), slot!.id, reader);
    const requests = (await admin('GET', `/api/admin/help-desks/${helpDesk.id}/requests`)).body as HelpDeskRequests;
    expect(requests.requests).toEqual([
      expect.objectContaining({
        eventId: slot!.id,
        reader: { name: 'Lina', email: reader.email, phone: '06 11 22 33 44' },
        need: 'Un litige avec mon propriétaire',
        partner: null,
      }),
    ]);
    const rid = requests.requests[0]!.registrationId;
    const partnerEmail = `avocate-${desks}-${kind}@example.org`;
    const badPartner = await admin('POST', `/api/admin/help-desks/${helpDesk.id}/requests/${rid}/partner`, { name: '', email: 'x' });
    expect(Object.keys(badPartner.body.error.fields).sort()).toEqual(['email', 'name']);
    const assigned = await admin('POST', `/api/admin/help-desks/${helpDesk.id}/requests/${rid}/partner`, {
      name: 'Maître Ana Roux',
      email: partnerEmail,
      phone: '01 23 45 67 89',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.request.partner).toEqual({ name: 'Maître Ana Roux', email: partnerEmail, phone: '01 23 45 67 89', language: 'fr' });
    // Stored before the answer: the three confirmations are in the outbox.
    const rows = (await world.server.store.outbox.list({ limit: 1000 })).filter((m) => m.kind === 'appointment' && m.registrationId === rid);
    expect(rows.map((m) => m.payload.role).sort()).toEqual(['librarian', 'partner', 'reader']);

    await world.server.scheduler.runOnce(world.clock.now());
    const toReader = await mailTo(reader.email, 'Rendez-vous confirmé');
    expect(toReader.parsed.text).toContain('Maître Ana Roux vous appellera au 06 11 22 33 44.');
    expect(toReader.parsed.text).not.toContain('propriétaire');
    const toPartner = await mailTo(partnerEmail, 'Rendez-vous confirmé');
    expect(toPartner.parsed.text).toContain('Appelez Lina au 06 11 22 33 44.');
    // Laid out as every email (one heading, the language), with the partner's own personal link.
    const html = String(toPartner.parsed.html);
    expect(html).toMatch(/<html lang="fr"/);
    expect(html.match(/<h1\b/g)).toHaveLength(1);
    const link = /\/me#([^"\s<]+)/.exec(toPartner.parsed.text ?? '')![1]!;
    expect((await world.server.links.authenticate(link)).email).toBe(partnerEmail);
    // The need stays out of emails: the partner reads it on their page.
    expect(toPartner.parsed.text).not.toContain('propriétaire');
    const toLibrarian = await mailTo(librarian.email, 'Rendez-vous confirmé');
    expect(toLibrarian.parsed.text).toContain('Lina avec Maître Ana Roux');
    expect(toLibrarian.parsed.text).toContain(`/admin/help-desks/${helpDesk.id}`);
    // The calendar invitation, for the slot, to each of them.
    for (const [mail, to] of [[toReader, reader.email], [toPartner, partnerEmail]] as const) {
      const ics = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      const vevent = new ICAL.Component(ICAL.parse(ics!.content.toString('utf8'))).getFirstSubcomponent('vevent')!;
      expect(vevent.getFirstPropertyValue('dtstart')!.toString()).toContain(slot!.startsAt.slice(0, 10));
      expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe(`mailto:${to.toLowerCase()}`);
    }

    expect((await me(reader.email)).appointments).toEqual([
      expect.objectContaining({ role: 'reader', mode: 'phone', with: 'Maître Ana Roux', phone: '06 11 22 33 44' }),
    ]);
    expect((await me(partnerEmail)).appointments).toEqual([
      expect.objectContaining({ role: 'partner', mode: 'phone', with: 'Lina', phone: '06 11 22 33 44', need: 'Un litige avec mon propriétaire' }),
    ]);
    // A phone desk's slot has no room.
    expect(await world.server.roomAccess.byPhone(slot!.id)).toBe(true);
  });

  it('lets the assigned partner into a room desk’s slot, nobody else, and moves it when the partner changes', async () => {
    const { helpDesk } = await createDesk('room');
    const [slot] = await slotsOf(helpDesk.id);
    const reader = { ...person('Omar'), answers: { need: 'Remplir un dossier CAF' } };
    await signUp(url(), slot!.id, reader);
    const rid = ((await admin('GET', `/api/admin/help-desks/${helpDesk.id}/requests`)).body as HelpDeskRequests).requests[0]!.registrationId;
    const first = `ecrivain-${desks}-${kind}@example.org`;
    const second = `ecrivaine-${desks}-${kind}@example.org`;
    await admin('POST', `/api/admin/help-desks/${helpDesk.id}/requests/${rid}/partner`, { name: 'Écrivain public', email: first });
    const firstId = (await world.server.store.registrations.getPersonByEmail(first))!.id;
    const stranger = await world.server.store.registrations.ensurePerson({ email: `tiers-${desks}@example.org`, name: 'Tiers', language: 'fr' }, world.clock.now().toISOString());
    expect(await world.server.roomAccess.isMember(slot!.id, firstId)).toBe(true);
    expect(await world.server.roomAccess.isMember(slot!.id, stranger.id)).toBe(false);
    expect(await world.server.roomAccess.byPhone(slot!.id)).toBe(false);
    expect((await me(reader.email)).appointments).toEqual([
      expect.objectContaining({ role: 'reader', mode: 'room', with: 'Écrivain public', roomPath: `/events/${slot!.id}/room` }),
    ]);
    expect((await me(reader.email)).appointments[0]).not.toHaveProperty('phone');

    await admin('POST', `/api/admin/help-desks/${helpDesk.id}/requests/${rid}/partner`, { name: 'Écrivaine publique', email: second, language: 'en' });
    const secondId = (await world.server.store.registrations.getPersonByEmail(second))!.id;
    expect(await world.server.roomAccess.isMember(slot!.id, firstId)).toBe(false);
    expect(await world.server.roomAccess.isMember(slot!.id, secondId)).toBe(true);
    expect((await me(first)).appointments).toEqual([]);
    expect((await me(second)).appointments).toEqual([expect.objectContaining({ role: 'partner', roomPath: `/events/${slot!.id}/room`, need: 'Remplir un dossier CAF' })]);
    // The first partner's confirmation, not yet sent, is no longer true: only the second partner's leaves.
    await world.server.scheduler.runOnce(world.clock.now());
    const toSecond = await mailTo(second, 'Appointment confirmed');
    expect(toSecond.parsed.text).toContain('private online room');
    const firstRow = (await world.server.store.outbox.list({ limit: 1000 })).find((m) => m.to === first && m.kind === 'appointment');
    expect(firstRow).toMatchObject({ state: 'failed', lastError: 'not sent: the appointment was given to another partner since' });

    // The reader cancels: the partner is a member no more.
    await asPerson(url(), await tokenOf(world.server, reader.email), 'POST', `/api/me/registrations/${rid}/cancel`);
    expect(await world.server.roomAccess.isMember(slot!.id, secondId)).toBe(false);
  });

  it('sends the reminder to the three instead of the plain one, and erases the need and the number with the registration', async () => {
    const { helpDesk } = await createDesk('phone');
    const [slot] = await slotsOf(helpDesk.id);
    const reader = { ...person('Inès'), answers: { need: 'Une question de succession', phone: '06 99 88 77 66' } };
    await signUp(url(), slot!.id, reader);
    const rid = ((await admin('GET', `/api/admin/help-desks/${helpDesk.id}/requests`)).body as HelpDeskRequests).requests[0]!.registrationId;
    const partnerEmail = `notaire-${desks}-${kind}@example.org`;
    await admin('POST', `/api/admin/help-desks/${helpDesk.id}/requests/${rid}/partner`, { name: 'Notaire', email: partnerEmail });

    const reminderAt = new Date(Date.parse(slot!.startsAt) - 24 * HOUR + MINUTE);
    await world.server.scheduler.runOnce(reminderAt);
    const ofSlot = (await world.server.store.outbox.list({ limit: 1000 })).filter((m) => m.eventId === slot!.id);
    expect(ofSlot.filter((m) => m.kind === 'appointment-reminder').map((m) => m.payload.role).sort()).toEqual(['librarian', 'partner', 'reader']);
    expect(ofSlot.filter((m) => m.kind === 'reminder')).toEqual([]);
    const reminder = await mailTo(partnerEmail, 'Rappel');
    expect(reminder.parsed.text).toContain('Appelez Inès au 06 99 88 77 66.');
    await mailTo(reader.email, 'Rappel');
    await mailTo(librarian.email, `Rappel\u00a0: rendez-vous ${helpDesk.title}`);

    // After the retention period, the registration's data goes: the need and the number with it, everywhere.
    const retention = await world.server.store.jobs.get(`retention:${slot!.id}`);
    await world.server.scheduler.runOnce(new Date(Date.parse(retention!.dueAt) + MINUTE));
    const after = ((await admin('GET', `/api/admin/help-desks/${helpDesk.id}/requests`)).body as HelpDeskRequests).requests;
    expect(after).toEqual([expect.objectContaining({ registrationId: rid, reader: { name: null, email: null, phone: null }, need: null })]);
    const registrants = (await admin('GET', `/api/admin/events/${slot!.id}/registrations`)).body.registrants;
    expect(registrants[0]).toMatchObject({ answers: {}, phone: null, name: null });
    const partnerPage = (await me(partnerEmail)).appointments;
    expect(partnerPage).toEqual([expect.objectContaining({ role: 'partner', with: null })]);
    expect(partnerPage[0]).not.toHaveProperty('need');
    expect(partnerPage[0]).not.toHaveProperty('phone');
  });
});
