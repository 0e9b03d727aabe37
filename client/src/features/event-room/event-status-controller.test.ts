import type { Event, EventStatus } from '#shared/domain/event';
import type { ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import type { ConfirmOptions } from '../../app/parvis-confirm-dialog';
import { testTranslator } from '../../i18n/test-translator';
import { EventStatusController } from './event-status-controller';
import type { StatusChangeRequestEvent } from './parvis-moderator-tools';

const EVENT: Event = {
  id: 'e1',
  kind: 'lecture',
  title: 'Une rencontre',
  summary: '',
  startsAt: '2026-11-25T18:00:00.000Z',
  endsAt: '2026-11-25T19:00:00.000Z',
  timezone: 'Europe/Paris',
  status: 'scheduled',
  access: 'open',
  speakers: [],
  language: 'fr',
  streamUrl: '/media/live/demo/master.m3u8',
};

/** Resolves or rejects when the test says so, to look at the state while a request is in flight. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function setup(initial: Event | null = EVENT) {
  const world = {
    /** The host's copy of the event (the room's). */
    event: initial,
    calls: [] as Array<{ id: string; status: string }>,
    reply: deferred<Event>(),
    asked: [] as ConfirmOptions[],
    answer: true,
    updates: 0,
  };
  const host = { requestUpdate: () => void world.updates++ } as unknown as ReactiveControllerHost;
  const controller = new EventStatusController(host, {
    event: () => world.event,
    api: () => ({
      setEventStatus: (id: string, status: Extract<EventStatus, 'live' | 'ended'>) => {
        world.calls.push({ id, status });
        return world.reply.promise;
      },
    }),
    i18n: () => testTranslator('fr'),
    confirm: () => ({
      ask: (options: ConfirmOptions) => {
        world.asked.push(options);
        return Promise.resolve(world.answer);
      },
    }),
  });
  return { world, controller };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('EventStatusController', () => {
  it('puts the event live without asking, and shows the new status before the room hears of it', async () => {
    const { world, controller } = setup();
    const going = controller.change('live');
    await tick();
    expect(world.asked).toEqual([]);
    expect(world.calls).toEqual([{ id: 'e1', status: 'live' }]);
    expect(controller.busy).toBe(true);
    world.reply.resolve({ ...EVENT, status: 'live' });
    await going;
    expect(controller.busy).toBe(false);
    expect(controller.message).toBe("L'événement est en direct.");
    expect(controller.error).toBe('');
    expect(controller.event?.status).toBe('live');
    expect(world.updates).toBeGreaterThan(0);
    // The room's copy takes over once it has heard.
    world.event = { ...EVENT, status: 'live', title: 'Une rencontre (mise à jour)' };
    expect(controller.event?.title).toBe('Une rencontre (mise à jour)');
  });

  it('asks before ending the event, with the words the moderator sees', async () => {
    const { world, controller } = setup({ ...EVENT, status: 'live' });
    const ending = controller.change('ended');
    await tick();
    expect(world.asked).toEqual([
      {
        heading: "Terminer l'événement ?",
        body: "Le direct s'arrête pour tout le monde et la discussion se ferme.",
        confirmLabel: "Terminer l'événement",
        cancelLabel: 'Continuer le direct',
        danger: true,
      },
    ]);
    world.reply.resolve({ ...EVENT, status: 'ended' });
    await ending;
    expect(controller.message).toBe("L'événement est terminé.");
    expect(controller.event?.status).toBe('ended');
  });

  it('keeps the event live when the moderator answers no', async () => {
    const { world, controller } = setup({ ...EVENT, status: 'live' });
    world.answer = false;
    await controller.change('ended');
    expect(world.calls).toEqual([]);
    expect(controller.event?.status).toBe('live');
    expect(controller.message).toBe('');
  });

  it('sends one change at a time', async () => {
    const { world, controller } = setup();
    const first = controller.change('live');
    await tick();
    await controller.change('live');
    expect(world.calls).toHaveLength(1);
    world.reply.resolve({ ...EVENT, status: 'live' });
    await first;
  });

  it('tells a person without the right that they may not, and anyone else why it failed', async () => {
    const refused = setup();
    const going = refused.controller.change('live');
    refused.world.reply.reject(new ApiError('FORBIDDEN', 'not a moderator', 403));
    await going;
    expect(refused.controller.error).toBe("Vous n'avez pas (ou plus) les droits de modération sur cet événement.");
    expect(refused.controller.busy).toBe(false);
    expect(refused.controller.event?.status).toBe('scheduled');

    const conflict = setup();
    const again = conflict.controller.change('live');
    conflict.world.reply.reject(new ApiError('CONFLICT', 'This event was cancelled', 409));
    await again;
    expect(conflict.controller.error).toBe('Le changement de statut a échoué : This event was cancelled');
  });

  it('shows a cancellation heard from the room over a change made here', async () => {
    const { world, controller } = setup();
    const going = controller.change('live');
    world.reply.resolve({ ...EVENT, status: 'live' });
    await going;
    world.event = { ...EVENT, status: 'cancelled' };
    expect(controller.event?.status).toBe('cancelled');
  });

  it('does nothing before the event is known', async () => {
    const { world, controller } = setup(null);
    await controller.change('live');
    expect(world.calls).toEqual([]);
  });

  it('handles the tools\' request event without letting it bubble further', async () => {
    const { world, controller } = setup();
    let stopped = false;
    const request = { status: 'live', stopPropagation: () => (stopped = true) } as unknown as StatusChangeRequestEvent;
    // Lit calls a listener with the host as `this`: the handler must not depend on it.
    controller.onRequest.call(undefined, request);
    await tick();
    expect(stopped).toBe(true);
    expect(world.calls).toEqual([{ id: 'e1', status: 'live' }]);
    world.reply.resolve({ ...EVENT, status: 'live' });
  });
});
