import type { RegistrationRequest, SeriesRegistrationRequest } from '#shared/domain/registration';
import type { ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { ApiError, type SeriesSignUpAnswer, type SignUpAnswer } from '../../app/api-client';
import { testTranslator } from '../../i18n/test-translator';
import { SignUpController } from './signup-controller';
import { newSignUpValues, type SignUpValues } from './signup-form';

const values: SignUpValues = { ...newSignUpValues('en'), name: 'Amina Diallo', email: 'Amina@Example.org', consent: true };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A server whose answers the test gives, and a host that counts the renders asked. */
function setup() {
  const world = {
    sent: [] as Array<{ to: string; request: RegistrationRequest | SeriesRegistrationRequest }>,
    reply: deferred<SignUpAnswer>(),
    seriesReply: deferred<SeriesSignUpAnswer>(),
    renders: 0,
  };
  const host = { requestUpdate: () => void world.renders++ } as unknown as ReactiveControllerHost;
  const controller = new SignUpController(host, {
    api: () => ({
      register: (eventId, request) => {
        world.sent.push({ to: eventId, request });
        return world.reply.promise;
      },
      registerSeries: (seriesId, request) => {
        world.sent.push({ to: seriesId, request });
        return world.seriesReply.promise;
      },
    }),
    i18n: () => testTranslator('en'),
  });
  return { world, controller };
}

describe('sending a sign-up', () => {
  it('sends nothing while the form has problems, and says which', async () => {
    const { world, controller } = setup();
    const result = await controller.submit({ ...values, consent: false }, [], { kind: 'event', eventId: 'e1' });
    expect(result).toBe('invalid');
    expect(world.sent).toEqual([]);
    expect(controller.errors).toEqual({ consent: { key: 'signup.error.consent' } });
  });

  it('shows the registration in words once the server confirms it, to the address given', async () => {
    const { world, controller } = setup();
    const sending = controller.submit(values, [], { kind: 'event', eventId: 'e1' });
    expect(controller.sending).toBe(true);
    expect(world.sent).toEqual([
      { to: 'e1', request: { name: 'Amina Diallo', email: 'Amina@Example.org', language: 'en', consent: true } },
    ]);
    world.reply.resolve({ registration: { id: 'r1', eventId: 'e1', status: 'waitlisted', position: 3 }, created: true });
    expect(await sending).toBe('done');
    expect(controller.sending).toBe(false);
    expect(controller.results).toEqual([
      { eventId: 'e1', registration: { id: 'r1', eventId: 'e1', status: 'waitlisted', position: 3 }, created: true },
    ]);
    expect(controller.email).toBe('amina@example.org');
  });

  it('sends at most one form at a time', async () => {
    const { world, controller } = setup();
    void controller.submit(values, [], { kind: 'event', eventId: 'e1' });
    expect(await controller.submit(values, [], { kind: 'event', eventId: 'e1' })).toBe('refused');
    expect(world.sent).toHaveLength(1);
  });

  it('says the last seat went meanwhile, so that the page loads the seats again', async () => {
    const { world, controller } = setup();
    const sending = controller.submit(values, [], { kind: 'event', eventId: 'e1' });
    world.reply.reject(new ApiError('CONFLICT', 'Full', 409, undefined, undefined, 'full'));
    expect(await sending).toBe('refused');
    expect(controller.refusedBy).toBe('full');
    expect(controller.refusal).toBe('The last seat has just been taken, and this event has no waiting list.');
    expect(controller.results).toBeNull();
  });

  it('tells someone signing up too often how long to wait', async () => {
    const { world, controller } = setup();
    const sending = controller.submit(values, [], { kind: 'event', eventId: 'e1' });
    world.reply.reject(new ApiError('RATE_LIMITED', 'Too many', 429, 42_000));
    expect(await sending).toBe('refused');
    expect(controller.refusal).toBe('Too many sign-ups in a short time: try again in 42 s.');
    expect(controller.refusedBy).toBeNull();
  });

  it('puts the server’s field messages next to their fields', async () => {
    const { world, controller } = setup();
    const sending = controller.submit(values, [], { kind: 'event', eventId: 'e1' });
    world.reply.reject(new ApiError('INVALID_PAYLOAD', 'Invalid', 400, undefined, { email: 'must be an email address' }));
    expect(await sending).toBe('invalid');
    expect(controller.errors).toEqual({ email: { key: 'form.error.email' } });
    expect(controller.refusal).toBe('');
  });

  it('signs up for the dates picked in a series, with one result per date, full ones included', async () => {
    const { world, controller } = setup();
    const ids = ['atelier--2027-01-04', 'atelier--2027-01-08', 'atelier--2027-01-11'];
    const sending = controller.submit(values, [], { kind: 'series', seriesId: 'atelier', eventIds: ids });
    expect(world.sent[0]).toEqual({ to: 'atelier', request: expect.objectContaining({ eventIds: ids }) });
    world.seriesReply.resolve({
      registrations: [
        { id: 'r2', eventId: 'atelier--2027-01-08', status: 'waitlisted', position: 1 },
        { id: 'r1', eventId: 'atelier--2027-01-04', status: 'confirmed' },
      ],
      full: ['atelier--2027-01-11'],
    });
    expect(await sending).toBe('done');
    expect(controller.results?.map((r) => [r.eventId.slice(-5), r.registration?.status ?? 'full'])).toEqual([
      ['01-04', 'confirmed'],
      ['01-08', 'waitlisted'],
      ['01-11', 'full'],
    ]);
  });

  it('asks for a date before sending a series form with none picked', async () => {
    const { world, controller } = setup();
    expect(await controller.submit(values, [], { kind: 'series', seriesId: 'atelier', eventIds: [] })).toBe('invalid');
    expect(controller.errors).toEqual({ eventIds: { key: 'signup.error.pickDate' } });
    expect(world.sent).toEqual([]);
  });

  it('starts over for the next person', async () => {
    const { world, controller } = setup();
    const sending = controller.submit(values, [], { kind: 'event', eventId: 'e1' });
    world.reply.resolve({ registration: { id: 'r1', eventId: 'e1', status: 'confirmed' }, created: true });
    await sending;
    controller.again();
    expect(controller.results).toBeNull();
  });
});
