import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyRegistrations, RegistrantList } from '#shared/domain/registration';
import type { JoinResult } from '#shared/protocol/events';
import { connectViewer, guestToken, ok, request, startTestServer, type TestClient } from '../../test/harness';
import {
  asPerson,
  createRegistrationEvent,
  HOUR,
  MINUTE,
  person,
  signUp,
  startSignUpWorld,
  tokenOf,
  type SignUpWorld,
  type StoreKind,
} from '../../test/sign-up';
import { api, createAccount, grant, login } from '../../test/staff';

/*
 * Sign-up through the HTTP API of a real server, on each store: registering, the typed refusals, the waiting list and
 * its offers, the personal page, the join link, the registrants' live-room access, and the librarians' side. Time is
 * the test's clock, moved by hand; the scheduler runs when the test says so.
 */
const STORES: StoreKind[] = ['sqlite', 'redis'];

describe.each(STORES)('sign-up on %s', (kind) => {
  let world: SignUpWorld;
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    world = await startSignUpWorld(kind);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await world?.stop();
  });

  const url = () => world.server.url;
  const admin = (method: string, path: string, body?: unknown) => api(url(), method, path, { token: world.admin, body });
  const outbox = async () => world.server.store.outbox.list({ limit: 1000 });
  /** The kinds of email written to an address, oldest first (the outbox lists newest first). */
  const mailsTo = async (email: string) =>
    (await outbox())
      .filter((m) => m.to === email.toLowerCase())
      .map((m) => m.kind)
      .reverse();

  describe('signing up', () => {
    it('gives a seat while there is one, then a place on the waiting list with its position', async () => {
      const event = await createRegistrationEvent(world, { capacity: 2 });
      const [a, b, c, d] = [person('Ana'), person('Bruno'), person('Chloé'), person('David')];
      const answers = [];
      for (const who of [a, b, c, d]) answers.push(await signUp(url(), event.id, who));
      expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(answers.map((r) => r.body.registration.status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
      expect(answers.map((r) => r.body.registration.position)).toEqual([undefined, undefined, 1, 2]);
      expect(answers[0]!.body.registration).toEqual({ id: expect.any(String), eventId: event.id, status: 'confirmed' });
      // The email that says so is in the outbox before the answer.
      expect(await mailsTo(a.email)).toEqual(['confirmation']);
      expect(await mailsTo(c.email)).toEqual(['waitlisted']);
      // Anyone sees the seats beside the event; nothing more.
      const { body } = await api(url(), 'GET', `/api/events/${event.id}`);
      expect(body.seats).toEqual({ capacity: 2, confirmed: 2, offered: 0, waitlisted: 2, free: 0 });
    });

    it('answers the same registration when the same email signs up again, however it is written', async () => {
      const event = await createRegistrationEvent(world, { capacity: 5 });
      const who = person('Élise');
      const first = await signUp(url(), event.id, who);
      const again = await signUp(url(), event.id, { ...who, email: `  ${who.email.toUpperCase()} ` });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.registration).toEqual(first.body.registration);
      const { body } = await api(url(), 'GET', `/api/events/${event.id}`);
      expect(body.seats.confirmed).toBe(1);
      expect(await mailsTo(who.email)).toEqual(['confirmation']);
    });

    it('refuses an unknown event or series with NOT_FOUND', async () => {
      const res = await signUp(url(), 'pas-de-tel-evenement', person());
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      const series = await api(url(), 'POST', '/api/series/pas-de-telle-serie/registrations', {
        body: { name: 'Ana', email: 'ana@example.org', language: 'fr', consent: true, eventIds: ['x'] },
      });
      expect(series.status).toBe(404);
      expect(series.body.error.code).toBe('NOT_FOUND');
    });

    it('refuses a malformed email, a missing consent and an unanswered required question, naming each field', async () => {
      const event = await createRegistrationEvent(world, {
        form: [{ id: 'bibliotheque', label: 'Votre bibliothèque', type: 'text', required: true }],
      });
      const bad = await signUp(url(), event.id, { name: 'Ana', email: 'ana@' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', fields: { email: expect.any(String) } });
      const noConsent = await api(url(), 'POST', `/api/events/${event.id}/registrations`, {
        body: { name: 'Ana', email: 'ana@example.org', language: 'fr' },
      });
      expect(noConsent.body.error.fields).toHaveProperty('consent');
      const unanswered = await signUp(url(), event.id, person());
      expect(unanswered.status).toBe(400);
      expect(unanswered.body.error.fields).toEqual({ 'answers.bibliotheque': 'must be answered' });
      const answered = await signUp(url(), event.id, { ...person(), answers: { bibliotheque: 'Médiathèque de Rennes' } });
      expect(answered.status).toBe(201);
    });

    it('refuses a full event without a waiting list with CONFLICT `full`, and stores nothing', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1, waitlist: false });
      expect((await signUp(url(), event.id, person())).status).toBe(201);
      const late = person('En retard');
      const res = await signUp(url(), event.id, late);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CONFLICT', reason: 'full' });
      expect(await world.server.store.registrations.getPersonByEmail(late.email)).toBeUndefined();
      expect(await mailsTo(late.email)).toEqual([]);
    });

    it('refuses with CONFLICT `closed` an event not on sign-up, a cancelled one and one that has started', async () => {
      const open = await api(url(), 'POST', '/api/events', {
        token: world.admin,
        body: {
          kind: 'lecture',
          title: 'Conférence ouverte',
          startsAt: new Date(world.clock.now().getTime() + 5 * HOUR).toISOString(),
          endsAt: new Date(world.clock.now().getTime() + 6 * HOUR).toISOString(),
        },
      });
      const cancelled = await createRegistrationEvent(world);
      await admin('PATCH', `/api/events/${cancelled.id}`, { status: 'cancelled' });
      const soon = await createRegistrationEvent(world, { startsIn: 30 * MINUTE });
      const started = signUp(url(), soon.id, person());
      for (const res of [await signUp(url(), open.body.event.id, person()), await signUp(url(), cancelled.id, person())]) {
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'CONFLICT', reason: 'closed' });
      }
      expect((await started).status).toBe(201);
      world.clock.advance(31 * MINUTE);
      try {
        const res = await signUp(url(), soon.id, person());
        expect(res.body.error).toMatchObject({ code: 'CONFLICT', reason: 'closed' });
      } finally {
        world.clock.advance(-31 * MINUTE);
      }
    });
  });

  describe('the waiting list and its offers', () => {
    it('offers a cancelled seat to the first person waiting, who takes it', async () => {
      const event = await createRegistrationEvent(world, { capacity: 2 });
      const [a, b, c, d] = [person('Ana'), person('Bruno'), person('Chloé'), person('David')];
      for (const who of [a, b, c, d]) await signUp(url(), event.id, who);
      const bruno = await tokenOf(world.server, b.email);
      const mine = (await asPerson(url(), bruno, 'GET', '/api/me/registrations')).body as MyRegistrations;
      const seat = mine.registrations.find((r) => r.eventId === event.id)!;
      const cancel = await asPerson(url(), bruno, 'POST', `/api/me/registrations/${seat.id}/cancel`);
      expect(cancel.body.registration.status).toBe('cancelled');

      const chloe = await tokenOf(world.server, c.email);
      const hers = ((await asPerson(url(), chloe, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
      expect(hers.status).toBe('offered');
      // Three days before the start, the offer holds for the default 24 hours.
      expect(Date.parse(hers.offerExpiresAt!)).toBe(world.clock.now().getTime() + 24 * HOUR);
      const david = await tokenOf(world.server, d.email);
      expect(((await asPerson(url(), david, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]).toMatchObject({
        status: 'waitlisted',
        position: 1,
      });

      const accept = await asPerson(url(), chloe, 'POST', `/api/me/registrations/${hers.id}/accept`);
      expect(accept.status).toBe(200);
      expect(accept.body.registration).toEqual({ id: hers.id, eventId: event.id, status: 'confirmed' });
      expect(await mailsTo(b.email)).toEqual(['confirmation', 'cancelled']);
      expect(await mailsTo(c.email)).toEqual(['waitlisted', 'offer', 'confirmation']);
      expect((await api(url(), 'GET', `/api/events/${event.id}`)).body.seats).toMatchObject({ confirmed: 2, offered: 0, waitlisted: 1 });
    });

    it('passes an offer that runs out to the next person when the scheduler runs after the deadline', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1 });
      const [a, b, c] = [person('Ana'), person('Bruno'), person('Chloé')];
      for (const who of [a, b, c]) await signUp(url(), event.id, who);
      const ana = await tokenOf(world.server, a.email);
      const seat = ((await asPerson(url(), ana, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
      await asPerson(url(), ana, 'POST', `/api/me/registrations/${seat.id}/cancel`);
      const bruno = await tokenOf(world.server, b.email);
      const offer = ((await asPerson(url(), bruno, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
      expect(offer.status).toBe('offered');

      // Not yet: a tick just before the deadline changes nothing.
      await world.server.scheduler.runOnce(new Date(Date.parse(offer.offerExpiresAt!) - 1000));
      expect((await world.server.store.registrations.get(offer.id))!.status).toBe('offered');

      world.clock.set(Date.parse(offer.offerExpiresAt!) + 1000);
      try {
        const run = await world.server.scheduler.runOnce(world.clock.now());
        expect(run.offersExpired).toBeGreaterThanOrEqual(1);
        expect((await world.server.store.registrations.get(offer.id))!.status).toBe('expired');
        const chloe = await tokenOf(world.server, c.email);
        const next = ((await asPerson(url(), chloe, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
        expect(next.status).toBe('offered');
        const late = await asPerson(url(), bruno, 'POST', `/api/me/registrations/${offer.id}/accept`);
        expect(late.status).toBe(409);
        expect(late.body.error).toMatchObject({ code: 'CONFLICT', reason: 'offer-expired' });
        expect(await mailsTo(b.email)).toEqual(['waitlisted', 'offer', 'offer-expired']);
      } finally {
        world.clock.set(Date.now());
      }
    });

    it('shortens the offer to half the time left as the start draws near, and passes a declined seat on', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1, startsIn: 10 * HOUR });
      const [a, b, c] = [person('Ana'), person('Bruno'), person('Chloé')];
      for (const who of [a, b, c]) await signUp(url(), event.id, who);
      const ana = await tokenOf(world.server, a.email);
      const seat = ((await asPerson(url(), ana, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
      await asPerson(url(), ana, 'POST', `/api/me/registrations/${seat.id}/cancel`);
      const bruno = await tokenOf(world.server, b.email);
      const offer = ((await asPerson(url(), bruno, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
      expect(Date.parse(offer.offerExpiresAt!)).toBe(world.clock.now().getTime() + 5 * HOUR);
      const declined = await asPerson(url(), bruno, 'POST', `/api/me/registrations/${offer.id}/decline`);
      expect(declined.body.registration.status).toBe('cancelled');
      const chloe = await tokenOf(world.server, c.email);
      expect(((await asPerson(url(), chloe, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!.status).toBe(
        'offered',
      );
    });

    it('keeps offers, deadlines and positions across a restart', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1 });
      const [a, b, c] = [person('Ana'), person('Bruno'), person('Chloé')];
      for (const who of [a, b, c]) await signUp(url(), event.id, who);
      const ana = await tokenOf(world.server, a.email);
      const seat = ((await asPerson(url(), ana, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations[0]!;
      await asPerson(url(), ana, 'POST', `/api/me/registrations/${seat.id}/cancel`);
      const offered = (await world.server.store.registrations.listForEvent(event.id)).find((r) => r.status === 'offered')!;

      // A second process on the same data, the first one gone: the deadline is a row, not a timer.
      const other = await world.startSibling();
      const at = Date.parse(offered.offerExpiresAt!) + 1000;
      await other.scheduler.runOnce(new Date(at));
      const after = await other.store.registrations.listForEvent(event.id);
      expect(after.find((r) => r.id === offered.id)!.status).toBe('expired');
      expect(after.find((r) => r.email === c.email)).toMatchObject({ status: 'offered' });
    });
  });

  describe('the personal page', () => {
    it('shows the outside room’s link to a confirmed registrant from 15 minutes before the start, and never to others', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1, startsIn: 2 * HOUR });
      const joinUrl = 'https://visio.example.org/atelier-secret-42';
      expect((await admin('PUT', `/api/admin/events/${event.id}/registration-settings`, { joinUrl })).status).toBe(200);
      const [a, b] = [person('Ana'), person('Bruno')];
      await signUp(url(), event.id, a);
      const waiting = await signUp(url(), event.id, b);
      expect(JSON.stringify(waiting.body)).not.toContain(joinUrl);
      const ana = await tokenOf(world.server, a.email);
      const bruno = await tokenOf(world.server, b.email);
      const page = async (token: string) =>
        ((await asPerson(url(), token, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations.find(
          (r) => r.eventId === event.id,
        )!;

      const before = await page(ana);
      expect(before.joinUrl).toBeUndefined();
      expect(before.joinOpensAt).toBe(new Date(Date.parse(event.startsAt) - 15 * MINUTE).toISOString());

      world.clock.set(Date.parse(event.startsAt) - 16 * MINUTE);
      expect((await page(ana)).joinUrl).toBeUndefined();
      world.clock.set(Date.parse(event.startsAt) - 15 * MINUTE);
      try {
        expect((await page(ana)).joinUrl).toBe(joinUrl);
        const notConfirmed = await page(bruno);
        expect(notConfirmed.status).toBe('waitlisted');
        expect(JSON.stringify(notConfirmed)).not.toContain(joinUrl);

        // Nowhere public: the listing, the event, the series, the live room's join answer.
        const guest = await guestToken(url(), 'Curieux');
        const staffSocket = await connectViewer(url(), world.admin);
        sockets.push(staffSocket);
        const joined = await ok(request<JoinResult>(staffSocket, 'event:join', { eventId: event.id }));
        for (const body of [
          (await api(url(), 'GET', '/api/events')).body,
          (await api(url(), 'GET', '/api/events', { token: guest })).body,
          (await api(url(), 'GET', `/api/events/${event.id}`)).body,
          (await api(url(), 'GET', '/api/events?include=unlisted', { token: world.admin })).body,
          joined,
        ]) {
          expect(JSON.stringify(body)).not.toContain('atelier-secret-42');
        }
      } finally {
        world.clock.set(Date.now());
      }
    });

    it('refuses a personal link that was never given or is malformed, with UNAUTHENTICATED', async () => {
      expect((await asPerson(url(), 'not-a-token', 'GET', '/api/me/registrations')).status).toBe(401);
      expect((await api(url(), 'GET', '/api/me/registrations')).status).toBe(401);
      // A staff token is not a personal link.
      const staff = await api(url(), 'GET', '/api/me/registrations', { token: world.admin });
      expect(staff.status).toBe(401);
    });

    it('cancels a registration the person did not ask for and voids every link they were given', async () => {
      const event = await createRegistrationEvent(world, { capacity: 3 });
      const who = person('Usurpée');
      await signUp(url(), event.id, who);
      const token = await tokenOf(world.server, who.email);
      const [mine] = ((await asPerson(url(), token, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations;
      const res = await asPerson(url(), token, 'POST', `/api/me/registrations/${mine!.id}/not-me`);
      expect(res.status).toBe(204);
      expect((await world.server.store.registrations.get(mine!.id))!.status).toBe('cancelled');
      expect((await asPerson(url(), token, 'GET', '/api/me/registrations')).status).toBe(401);
      // Nothing more is written to that address.
      expect(await mailsTo(who.email)).toEqual(['confirmation']);
    });

    it('erases a person’s data at their request, frees their seat, and keeps the counts', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1 });
      const [a, b] = [person('Effacée'), person('Suivante')];
      await signUp(url(), event.id, a);
      await signUp(url(), event.id, b);
      const token = await tokenOf(world.server, a.email);
      expect((await asPerson(url(), token, 'POST', '/api/me/erase')).status).toBe(204);
      expect((await asPerson(url(), token, 'GET', '/api/me/registrations')).status).toBe(401);
      const rows = await world.server.store.registrations.listForEvent(event.id);
      expect(rows.map((r) => [r.status, r.name, r.email])).toEqual([
        ['cancelled', null, null],
        ['offered', 'Suivante', b.email],
      ]);
      expect((await world.server.store.outbox.list({ limit: 1000 })).some((m) => m.to === a.email && m.state === 'pending')).toBe(false);
    });
  });

  describe('a series of dates', () => {
    const monday = () => {
      // The Monday at least a week after the clock's day, so that every date of the test is still to come.
      const d = new Date(world.clock.now().getTime() + 8 * 24 * HOUR);
      while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
      return d.toISOString().slice(0, 10);
    };
    const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T12:00:00Z`) + n * 24 * HOUR).toISOString().slice(0, 10);

    async function createSeries(id: string, capacity: number, fairCapPerWeek?: number) {
      const from = monday();
      const res = await admin('POST', '/api/series', {
        id,
        title: 'Conversation de test',
        recurrence: {
          byDay: ['MO', 'FR'],
          time: '14:00',
          durationMinutes: 90,
          timezone: 'Europe/Paris',
          from,
          until: plusDays(from, 11),
          template: { kind: 'workshop', title: 'Conversation', capacity },
        },
        ...(fairCapPerWeek && { fairCapPerWeek }),
      });
      expect(res.status).toBe(201);
      return { series: res.body.series, from };
    }

    it('generates the dates as events, and registers one, several or all of them in one form', async () => {
      const { from } = await createSeries('serie-test-dates', 3);
      const detail = (await api(url(), 'GET', '/api/series/serie-test-dates')).body;
      const ids = detail.dates.map((d: { event: { id: string } }) => d.event.id);
      expect(ids).toEqual([from, plusDays(from, 4), plusDays(from, 7), plusDays(from, 11)].map((d) => `serie-test-dates--${d}`));
      expect(detail.dates[0].seats).toEqual({ capacity: 3, confirmed: 0, offered: 0, waitlisted: 0, free: 3 });

      const who = person('Amira');
      const res = await api(url(), 'POST', '/api/series/serie-test-dates/registrations', {
        body: { ...who, language: 'fr', consent: true, eventIds: [ids[2], ids[0]] },
      });
      expect(res.status).toBe(201);
      expect(res.body.registrations.map((r: { eventId: string; status: string }) => [r.eventId, r.status])).toEqual([
        [ids[0], 'confirmed'],
        [ids[2], 'confirmed'],
      ]);
      const seats = (await api(url(), 'GET', '/api/series/serie-test-dates')).body.dates.map(
        (d: { seats: { confirmed: number } }) => d.seats.confirmed,
      );
      expect(seats).toEqual([1, 0, 1, 0]);
      // A date of another series is not one of these.
      const other = await api(url(), 'POST', '/api/series/serie-test-dates/registrations', {
        body: { ...person(), language: 'fr', consent: true, eventIds: [ids[1], 'webinaire-emi'] },
      });
      expect(other.status).toBe(404);
      expect(other.body.error.fields).toEqual({ 'eventIds.1': 'is not a date of this series' });
    });

    it('takes one set of answers for dates that ask different questions, each date keeping the answers to its own', async () => {
      await createSeries('serie-test-form', 3);
      const ids = (await api(url(), 'GET', '/api/series/serie-test-form')).body.dates.map((d: { event: { id: string } }) => d.event.id) as string[];
      const level = { id: 'niveau', label: 'Votre niveau', type: 'choice', options: ['A2', 'B1'], required: true };
      const library = { id: 'bibliotheque', label: 'Votre bibliothèque', type: 'text', required: false };
      expect((await admin('PUT', `/api/admin/events/${ids[0]}/registration-settings`, { form: [level] })).status).toBe(200);
      expect((await admin('PUT', `/api/admin/events/${ids[1]}/registration-settings`, { form: [library] })).status).toBe(200);
      const pick = (who: ReturnType<typeof person>, answers: Record<string, string>) =>
        api(url(), 'POST', '/api/series/serie-test-form/registrations', {
          body: { ...who, language: 'fr', consent: true, eventIds: [ids[0], ids[1]], answers },
        });

      // Each date checks its own questions; a question that no date picked asks is refused. Each problem is named.
      const unanswered = await pick(person(), { bibliotheque: 'Rennes', autre: 'x' });
      expect(unanswered.status).toBe(400);
      expect(unanswered.body.error.fields).toEqual({
        'answers.niveau': 'must be answered',
        'answers.autre': 'is not a question of the dates picked',
      });
      expect((await pick(person(), { niveau: 'C2' })).body.error.fields).toEqual({ 'answers.niveau': 'must be one of the options' });

      const who = person('Inès');
      const res = await pick(who, { niveau: 'B1', bibliotheque: 'Médiathèque de Rennes' });
      expect(res.status).toBe(201);
      expect(res.body.registrations).toHaveLength(2);
      const answersOn = async (id: string) =>
        ((await admin('GET', `/api/admin/events/${id}/registrations`)).body as RegistrantList).registrants.find((r) => r.email === who.email)!
          .answers;
      expect(await answersOn(ids[0]!)).toEqual({ niveau: 'B1' });
      expect(await answersOn(ids[1]!)).toEqual({ bibliotheque: 'Médiathèque de Rennes' });
    });

    it('offers a freed seat to someone under the fair cap before someone who already holds a date that week', async () => {
      const { series } = await createSeries('serie-test-cap', 1, 1);
      const detail = (await api(url(), 'GET', `/api/series/${series.id}`)).body;
      const [mon, fri] = detail.dates.map((d: { event: { id: string } }) => d.event.id) as [string, string];
      const pick = (who: ReturnType<typeof person>, eventIds: string[]) =>
        api(url(), 'POST', `/api/series/${series.id}/registrations`, { body: { ...who, language: 'fr', consent: true, eventIds } });
      const [holder, keen, fresh] = [person('Xavier'), person('Paula'), person('Rémi')];
      await pick(holder, [fri]);
      // Paula takes Monday and queues for Friday of the same week: she holds her week's one date already.
      const paula = await pick(keen, [mon, fri]);
      expect(paula.body.registrations.map((r: { status: string }) => r.status)).toEqual(['confirmed', 'waitlisted']);
      // Rémi queues after her, holding nothing this week.
      expect((await pick(fresh, [fri])).body.registrations[0]).toMatchObject({ status: 'waitlisted', position: 2 });

      const xavier = await tokenOf(world.server, holder.email);
      const [seat] = ((await asPerson(url(), xavier, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations;
      await asPerson(url(), xavier, 'POST', `/api/me/registrations/${seat!.id}/cancel`);
      const onFriday = await world.server.store.registrations.listForEvent(fri);
      expect(onFriday.find((r) => r.email === fresh.email)!.status).toBe('offered');
      expect(onFriday.find((r) => r.email === keen.email)).toMatchObject({ status: 'waitlisted', position: 1 });
    });

    it('refuses a rule that makes too many dates or names an unknown zone, and answers 404 for an unknown series', async () => {
      const rule = { byDay: ['MO'], time: '14:00', durationMinutes: 60, timezone: 'Europe/Paris', template: { kind: 'workshop', title: 'T' } };
      const tooMany = await admin('POST', '/api/series', {
        title: 'Trop de dates',
        recurrence: { ...rule, byDay: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], from: '2027-01-04', until: '2029-01-04' },
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.fields).toHaveProperty(['recurrence.until']);
      const badZone = await admin('POST', '/api/series', {
        title: 'Zone inconnue',
        recurrence: { ...rule, timezone: 'Europe/Atlantis', from: '2027-01-04', until: '2027-02-04' },
      });
      expect(badZone.status).toBe(400);
      expect(badZone.body.error.fields).toHaveProperty(['recurrence.timezone']);
      expect((await api(url(), 'GET', '/api/series/trop-de-dates')).status).toBe(404);
    });

    it('moves, adds, cancels and deletes dates when the rule changes, telling the people signed up', async () => {
      const { series, from } = await createSeries('serie-test-regen', 4);
      const dates = (await api(url(), 'GET', `/api/series/${series.id}`)).body.dates.map((d: { event: { id: string } }) => d.event.id);
      const who = person('Inès');
      await api(url(), 'POST', `/api/series/${series.id}/registrations`, {
        body: { ...who, language: 'fr', consent: true, eventIds: [dates[1]] },
      });
      // Mondays only now, at 15:00: Friday with a registration is cancelled, the other Friday goes, Mondays move.
      const res = await admin('PATCH', `/api/series/${series.id}`, {
        recurrence: {
          byDay: ['MO'],
          time: '15:00',
          durationMinutes: 90,
          timezone: 'Europe/Paris',
          from,
          until: plusDays(from, 14),
          template: { kind: 'workshop', title: 'Conversation', capacity: 4 },
        },
      });
      expect(res.status).toBe(200);
      const after = (await api(url(), 'GET', `/api/series/${series.id}`)).body.dates.map(
        (d: { event: { id: string; status: string; startsAt: string } }) => [d.event.id.slice(-10), d.event.status],
      );
      expect(after).toEqual([
        [from, 'scheduled'],
        [plusDays(from, 4), 'cancelled'],
        [plusDays(from, 7), 'scheduled'],
        [plusDays(from, 14), 'scheduled'],
      ]);
      expect(await mailsTo(who.email)).toEqual(['confirmation', 'event-cancelled']);
      const moved = await api(url(), 'GET', `/api/events/${series.id}--${from}`);
      expect(new Date(moved.body.event.startsAt).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris' })).toBe('15:00:00');
      expect(moved.body.event.sequence).toBe(1);
    });
  });

  describe('the live room of a registration event', () => {
    it('lets a confirmed registrant in under their registered name, and marks them as attended', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1, startsIn: 10 * MINUTE });
      const [a, b] = [person('Ana Registrée'), person('Bruno Attente')];
      await signUp(url(), event.id, a);
      await signUp(url(), event.id, b);

      const guest = await connectViewer(url(), await guestToken(url(), 'Passant'));
      sockets.push(guest);
      expect(await request(guest, 'event:join', { eventId: event.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      const waiting = await api(url(), 'POST', '/api/auth/registrant', { body: { token: await tokenOf(world.server, b.email), eventId: event.id } });
      expect(waiting.status).toBe(403);

      const signIn = await api(url(), 'POST', '/api/auth/registrant', { body: { token: await tokenOf(world.server, a.email), eventId: event.id } });
      expect(signIn.status).toBe(200);
      expect(signIn.body.user).toMatchObject({ displayName: 'Ana Registrée', role: 'registrant' });
      const socket = await connectViewer(url(), signIn.body.token);
      sockets.push(socket);
      const joined = await ok(request<JoinResult>(socket, 'event:join', { eventId: event.id }));
      expect(joined.role).toBe('registrant');
      const list = (await admin('GET', `/api/admin/events/${event.id}/registrations`)).body as RegistrantList;
      expect(list.registrants.find((r) => r.email === a.email)!.attendedAt).toBe(world.clock.now().toISOString());

      // The same token opens no other registration event.
      const other = await createRegistrationEvent(world);
      expect(await request(socket, 'event:join', { eventId: other.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      // Once the seat is given up, the door closes, token or not.
      const ana = await tokenOf(world.server, a.email);
      const [seat] = ((await asPerson(url(), ana, 'GET', '/api/me/registrations')).body as MyRegistrations).registrations;
      await asPerson(url(), ana, 'POST', `/api/me/registrations/${seat!.id}/cancel`);
      expect(await request(socket, 'event:join', { eventId: event.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });
  });

  describe('the librarians', () => {
    it('list the registrants with answers and no-shows for admins and the event’s moderators only', async () => {
      const event = await createRegistrationEvent(world, {
        capacity: 2,
        form: [{ id: 'niveau', label: 'Votre niveau', type: 'choice', options: ['A2', 'B1'], required: false }],
      });
      await signUp(url(), event.id, { ...person('Ana'), answers: { niveau: 'B1' } });
      const moderator = await createAccount(world.server.store, { email: `mod-${event.id}@example.org`, password: 'moderator-pass-1' });
      await grant(world.server.store, event.id, moderator, 'moderator');
      const modToken = (await login(url(), moderator.email!, 'moderator-pass-1')).token;
      const outsider = await createAccount(world.server.store, { email: `autre-${event.id}@example.org`, password: 'outsider-pass-1' });
      const outsiderToken = (await login(url(), outsider.email!, 'outsider-pass-1')).token;

      const path = `/api/admin/events/${event.id}/registrations`;
      expect((await api(url(), 'GET', path)).status).toBe(401);
      expect((await api(url(), 'GET', path, { token: outsiderToken })).status).toBe(403);
      const asModerator = await api(url(), 'GET', path, { token: modToken });
      expect(asModerator.status).toBe(200);
      expect(asModerator.body.registrants[0]).toMatchObject({ name: 'Ana', answers: { niveau: 'B1' }, noShows: 0, source: 'online' });
      expect(asModerator.body.seats).toMatchObject({ capacity: 2, confirmed: 1 });
      // The moderators tick attendance; the rest is the admins'.
      const rid = asModerator.body.registrants[0].id;
      const tick = await api(url(), 'POST', `${path}/${rid}/attendance`, { token: modToken, body: { attended: true } });
      expect(tick.status).toBe(200);
      expect(tick.body.attendedAt).toBe(world.clock.now().toISOString());
      expect((await api(url(), 'POST', `${path}/${rid}/cancel`, { token: modToken })).status).toBe(403);
      expect((await api(url(), 'GET', `${path}.csv`, { token: modToken })).status).toBe(403);
    });

    it('register someone at the desk, past the capacity and without an email, cancel, promote and email everyone', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1 });
      const [a, b] = [person('Ana'), person('Bruno')];
      await signUp(url(), event.id, a);
      await signUp(url(), event.id, b);
      const path = `/api/admin/events/${event.id}/registrations`;
      const desk = await admin('POST', path, { name: 'Monsieur Martin', phone: '01 23 45 67 89' });
      expect(desk.status).toBe(201);
      expect(desk.body.registration.status).toBe('confirmed');

      const list = (await admin('GET', path)).body as RegistrantList;
      expect(list.seats).toMatchObject({ confirmed: 2, waitlisted: 1, free: 0 });
      expect(list.registrants.find((r) => r.source === 'desk')).toMatchObject({ email: null, phone: '01 23 45 67 89' });

      const bruno = list.registrants.find((r) => r.email === b.email)!;
      expect((await admin('POST', `${path}/${bruno.id}/promote`)).body.registration.status).toBe('confirmed');
      const ana = list.registrants.find((r) => r.email === a.email)!;
      expect((await admin('POST', `${path}/${ana.id}/cancel`)).body.registration.status).toBe('cancelled');
      expect(await mailsTo(a.email)).toEqual(['confirmation', 'cancelled-by-library']);

      const sent = await admin('POST', `${path}/email`, { subject: 'Salle changée', body: 'Rendez-vous salle B.' });
      expect(sent.body.recipients).toBe(1);
      const broadcast = (await outbox()).filter((m) => m.kind === 'broadcast' && m.eventId === event.id);
      expect(broadcast.map((m) => [m.to, m.payload])).toEqual([[b.email, { subject: 'Salle changée', body: 'Rendez-vous salle B.' }]]);

      const audit = (await admin('GET', '/api/audit?limit=50')).body.entries.filter(
        (e: { target: string }) => e.target === `event:${event.id}`,
      );
      expect(audit.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['registration.desk', 'registration.promote', 'registration.cancel', 'registration.email']),
      );
      // The audit log outlives the registrants' data: it names registrations, not people.
      expect(JSON.stringify(audit)).not.toContain('Martin');
    });

    it('export the registrants as CSV that a spreadsheet opens without running anything', async () => {
      const event = await createRegistrationEvent(world, {
        capacity: 3,
        form: [{ id: 'bibliotheque', label: 'Votre bibliothèque', type: 'text', required: false }],
      });
      await signUp(url(), event.id, { ...person('=HYPERLINK("http://evil.example")'), answers: { bibliotheque: 'Lyon, "Part-Dieu"' } });
      const res = await fetch(`${url()}/api/admin/events/${event.id}/registrations.csv`, { headers: { authorization: `Bearer ${world.admin}` } });
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain(`parvis-${event.id}-registrants.csv`);
      const bytes = Buffer.from(await res.arrayBuffer());
      // The BOM, which fetch's text() would drop: spreadsheets need it to read the accents as UTF-8.
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.startsWith('Nom,E-mail,Téléphone,Statut')).toBe(true);
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
      expect(text).toContain('"Lyon, ""Part-Dieu"""');
      expect(text.split('\r\n')).toHaveLength(3);
    });

    it('refill seats to the people waiting when the capacity grows', async () => {
      const event = await createRegistrationEvent(world, { capacity: 1 });
      const [a, b, c] = [person('Ana'), person('Bruno'), person('Chloé')];
      for (const who of [a, b, c]) await signUp(url(), event.id, who);
      expect((await admin('PATCH', `/api/events/${event.id}`, { capacity: 3 })).status).toBe(200);
      const rows = await world.server.store.registrations.listForEvent(event.id);
      expect(rows.map((r) => r.status)).toEqual(['confirmed', 'offered', 'offered']);
    });
  });
});

describe('what a registration event’s public answer says of its sign-up', () => {
  it('states the retention period the server is set to, and whether the event is held in an outside room, never its link', async () => {
    const world = await startSignUpWorld('sqlite', { registrationRetentionDays: 45 });
    try {
      const url = world.server.url;
      const event = await createRegistrationEvent(world, { capacity: 3 });
      const answer = async (id: string) => (await api(url, 'GET', `/api/events/${id}`)).body;
      expect(await answer(event.id)).toEqual({
        event: expect.objectContaining({ id: event.id }),
        seats: { capacity: 3, confirmed: 0, offered: 0, waitlisted: 0, free: 3 },
        retentionDays: 45,
      });

      const joinUrl = 'https://visio.example.org/salle-privee-7';
      const settings = await api(url, 'PUT', `/api/admin/events/${event.id}/registration-settings`, { token: world.admin, body: { joinUrl } });
      expect(settings.status).toBe(200);
      const outside = await answer(event.id);
      expect(outside).toMatchObject({ retentionDays: 45, outsideRoom: true });
      expect(JSON.stringify(outside)).not.toContain('salle-privee-7');

      // The series' form says it too; an event that takes no sign-up says nothing of it.
      const series = await api(url, 'POST', '/api/series', { token: world.admin, body: { id: 'cycle-conservation', title: 'Cycle' } });
      expect(series.status).toBe(201);
      expect((await api(url, 'GET', '/api/series/cycle-conservation')).body.retentionDays).toBe(45);
      const open = await createRegistrationEvent(world, { access: 'open', capacity: undefined });
      expect(Object.keys(await answer(open.id))).toEqual(['event']);
    } finally {
      await world.stop();
    }
  });
});

describe('sign-up rate limits', () => {
  it('refuses sign-ups past the limit per address, and per email from any address, with RATE_LIMITED', async () => {
    const world = await startSignUpWorld('sqlite', { signupRateLimit: 3, trustProxy: 'loopback' });
    try {
      const event = await createRegistrationEvent(world, { capacity: 50 });
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i++) expect((await signUp(world.server.url, event.id, person(), from('203.0.113.7'))).status).toBe(201);
      const over = await signUp(world.server.url, event.id, person(), from('203.0.113.7'));
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('RATE_LIMITED');
      expect(over.body.error.retryAfterMs).toBeGreaterThan(0);
      // Another network is not held back by that one.
      expect((await signUp(world.server.url, event.id, person(), from('198.51.100.2'))).status).toBe(201);

      // One email: 10 an hour, spread over many addresses.
      const same = person('Toujours la même');
      const answers = [];
      for (let i = 0; i < 11; i++) answers.push((await signUp(world.server.url, event.id, same, from(`192.0.2.${i + 1}`))).status);
      expect(answers.slice(0, 10).every((s) => s === 201 || s === 200)).toBe(true);
      expect(answers[10]).toBe(429);
    } finally {
      await world.stop();
    }
  });

  it('is not reachable without PARVIS_TEST_CLOCK: the test clock is a test hook only', async () => {
    const server = await startTestServer();
    try {
      expect((await api(server.url, 'POST', '/api/test/clock', { body: { offsetMs: 1000 } })).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
