import type { MyRegistration, MyRegistrations } from '#shared/domain/registration';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import { ManualClock } from '../../app/manual-clock';
import { testTranslator } from '../../i18n/test-translator';
import { LATE_GIVE_UP_MS, LATE_RETRY_MS, MyRegistrationsController, nextRefreshAt } from './my-registrations-controller';
import { rememberPersonalLink } from './personal-link';
import { workshop } from './test-fixtures';

const EVENT = workshop('2027-01-04');
const START = Date.parse(EVENT.startsAt);
const OPENS = START - 15 * 60_000;
const JOIN = 'https://visio.example/atelier-0104';

const registration = (overrides: Partial<MyRegistration> = {}): MyRegistration => ({
  id: 'r1',
  eventId: EVENT.id,
  status: 'confirmed',
  event: EVENT,
  createdAt: '2026-12-20T10:00:00.000Z',
  joinOpensAt: new Date(OPENS).toISOString(),
  ...overrides,
});

const page = (...registrations: MyRegistration[]): MyRegistrations => ({
  person: { name: 'Amina Diallo', email: 'amina@example.org', language: 'fr' },
  registrations,
  feedUrl: 'https://parvis.example/api/calendar/person/feed-token.ics',
});

/** A host that runs its controllers' updates when asked, a server the test answers, and a clock it moves. */
function setup({ start = OPENS - 10 * 60_000, token = 'tok' as string | null } = {}) {
  const controllers: ReactiveController[] = [];
  const host: ReactiveControllerHost = {
    addController: (c) => void controllers.push(c),
    removeController: () => {},
    requestUpdate: () => controllers.forEach((c) => c.hostUpdate?.()),
    updateComplete: Promise.resolve(true),
  };
  const clock = new ManualClock(start);
  const loads: Array<{ token: string; resolve: (data: MyRegistrations) => void; reject: (e: unknown) => void }> = [];
  const actions: Array<{ token: string; id: string; action: string }> = [];
  let refuseNext: unknown = null;
  const stored = new Map<string, string>();
  const storage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, v),
    removeItem: (k: string) => void stored.delete(k),
  };
  const controller = new MyRegistrationsController(
    host,
    {
      api: () => ({
        myRegistrations: (t) => new Promise((resolve, reject) => loads.push({ token: t, resolve, reject })),
        myRegistrationAction: async (t, id, action) => {
          actions.push({ token: t, id, action });
          if (refuseNext) {
            const error = refuseNext;
            refuseNext = null;
            throw error;
          }
        },
        eraseMe: async (t) => {
          actions.push({ token: t, id: '', action: 'erase' });
          if (refuseNext) throw refuseNext;
        },
      }),
      i18n: () => testTranslator('en'),
      storage: () => storage,
    },
    clock,
  );
  if (token) {
    const link = { token, notMe: null };
    rememberPersonalLink(storage, link);
    controller.use(link);
  }
  controllers.forEach((c) => c.hostConnected?.());
  const update = () => controllers.forEach((c) => c.hostUpdate?.());
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { controller, clock, loads, actions, update, settle, stored, refuse: (e: unknown) => (refuseNext = e) };
}

describe('my registrations', () => {
  it('loads the registrations with the token of the personal link', async () => {
    const { controller, loads, update, settle } = setup();
    update();
    expect(controller.view).toEqual({ kind: 'loading' });
    expect(loads.map((l) => l.token)).toEqual(['tok']);
    loads[0]!.resolve(page(registration()));
    await settle();
    expect(controller.view).toMatchObject({ kind: 'ready', data: { person: { name: 'Amina Diallo' } } });
  });

  it('says a link is missing rather than asking the server without one', async () => {
    const { controller, loads, update, settle } = setup({ token: null });
    update();
    await settle();
    expect(controller.view).toEqual({ kind: 'no-link' });
    expect(loads).toEqual([]);
  });

  it('says the link no longer works, and forgets it, when the server refuses it', async () => {
    const { controller, loads, update, settle, stored } = setup();
    update();
    loads[0]!.reject(new ApiError('UNAUTHENTICATED', 'This personal link no longer works', 401));
    await settle();
    expect(controller.view).toEqual({ kind: 'link-expired' });
    expect(stored.size).toBe(0);
  });

  it('loads again when the join link is due, not a moment before, and then shows it', async () => {
    const { controller, clock, loads, update, settle } = setup();
    update();
    loads[0]!.resolve(page(registration()));
    await settle();
    expect(clock.pending).toBe(1);
    clock.advance(10 * 60_000 - 1);
    expect(loads).toHaveLength(1);
    clock.advance(1);
    expect(loads).toHaveLength(2);
    // The page stays on screen while it loads again.
    expect(controller.view.kind).toBe('ready');
    loads[1]!.resolve(page(registration({ joinUrl: JOIN, joinOpensAt: undefined })));
    await settle();
    const view = controller.view;
    expect(view.kind === 'ready' && view.data.registrations[0]!.joinUrl).toBe(JOIN);
    expect(clock.pending).toBe(0);
  });

  it('asks again shortly when the server, its clock a little behind, has not given the link yet', async () => {
    const { clock, loads, update, settle } = setup({ start: OPENS - 1000 });
    update();
    loads[0]!.resolve(page(registration()));
    await settle();
    clock.advance(1000);
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(page(registration()));
    await settle();
    clock.advance(LATE_RETRY_MS - 1);
    expect(loads).toHaveLength(2);
    clock.advance(1);
    expect(loads).toHaveLength(3);
  });

  it('waits for nothing once no link or offer is due', () => {
    const now = OPENS - 60_000;
    expect(nextRefreshAt([registration({ status: 'waitlisted', position: 2 })], now)).toBeNull();
    expect(nextRefreshAt([registration({ joinUrl: JOIN })], now)).toBeNull();
    expect(nextRefreshAt([registration()], OPENS + LATE_GIVE_UP_MS + 1)).toBeNull();
    const offerEnds = now + 3_600_000;
    expect(
      nextRefreshAt([registration(), registration({ id: 'r2', status: 'offered', offerExpiresAt: new Date(offerEnds).toISOString() })], now),
    ).toBe(OPENS);
    expect(nextRefreshAt([registration({ status: 'offered', offerExpiresAt: new Date(offerEnds).toISOString() })], now)).toBe(offerEnds);
  });

  it('stops its timer when the page goes away', async () => {
    const { clock, loads, update, settle, controller } = setup();
    update();
    loads[0]!.resolve(page(registration()));
    await settle();
    controller.hostDisconnected();
    expect(clock.pending).toBe(0);
  });

  it('cancels a registration, says so, and loads the page again', async () => {
    const { controller, loads, actions, update, settle } = setup();
    update();
    loads[0]!.resolve(page(registration()));
    await settle();
    const acting = controller.act('r1', 'cancel');
    expect(controller.busy).toBe('r1');
    await settle();
    expect(actions).toEqual([{ token: 'tok', id: 'r1', action: 'cancel' }]);
    expect(loads).toHaveLength(2);
    loads[1]!.resolve(page(registration({ status: 'cancelled', cancelledAt: '2027-01-02T10:00:00.000Z' })));
    expect(await acting).toBe(true);
    expect(controller.busy).toBeNull();
    expect(controller.notice).toBe('Registration cancelled.');
  });

  it('says an offer ran out when the person accepts it too late, and shows what became of it', async () => {
    const { controller, loads, update, settle, refuse } = setup();
    update();
    loads[0]!.resolve(page(registration({ status: 'offered', offerExpiresAt: new Date(OPENS).toISOString() })));
    await settle();
    refuse(new ApiError('CONFLICT', 'The offer expired', 409, undefined, undefined, 'offer-expired'));
    const acting = controller.act('r1', 'accept');
    await settle();
    loads[1]!.resolve(page(registration({ status: 'expired' })));
    expect(await acting).toBe(false);
    expect(controller.actionError).toEqual({
      text: 'Too late: the offer ran out, and the seat went to the next person.',
      registrationId: 'r1',
    });
    const view = controller.view;
    expect(view.kind === 'ready' && view.data.registrations[0]!.status).toBe('expired');
  });

  it('erases the person’s data, then says so and forgets the link', async () => {
    const { controller, loads, actions, update, settle, stored } = setup();
    update();
    loads[0]!.resolve(page(registration()));
    await settle();
    expect(await controller.erase()).toBe(true);
    expect(actions).toEqual([{ token: 'tok', id: '', action: 'erase' }]);
    expect(controller.view).toEqual({ kind: 'erased' });
    expect(stored.size).toBe(0);
  });

  it('starts over with another personal link opened on the same page, even after an ending', async () => {
    const { controller, loads, update, settle } = setup();
    update();
    loads[0]!.reject(new ApiError('UNAUTHENTICATED', 'This personal link no longer works', 401));
    await settle();
    expect(controller.view).toEqual({ kind: 'link-expired' });
    void controller.restart({ token: 'newer', notMe: null });
    update();
    expect(controller.view).toEqual({ kind: 'loading' });
    expect(loads.map((l) => l.token)).toEqual(['tok', 'newer']);
    loads[1]!.resolve(page(registration()));
    await settle();
    expect(controller.view.kind).toBe('ready');
  });

  it('cancels the registration someone else made with this address, with one button and nothing before it', async () => {
    const { controller, actions, update, settle, loads } = setup({ token: null });
    controller.use({ token: 'tok', notMe: 'r9' });
    update();
    loads[0]!.resolve(page(registration({ id: 'r9' })));
    await settle();
    // Opening the page changed nothing: only the button does.
    expect(actions).toEqual([]);
    expect(await controller.notMe()).toBe(true);
    expect(actions).toEqual([{ token: 'tok', id: 'r9', action: 'not-me' }]);
    expect(controller.view).toEqual({ kind: 'not-me-done' });
  });
});
