import type { Event } from '#shared/domain/event';
import { describe, expect, it } from 'vitest';
import { groupProgramme, withEventDeleted, withEventUpdated, withPublicEventUpdated } from './programme';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');

function event(id: string, patch: Partial<Event>): Event {
  return {
    id,
    kind: 'lecture',
    title: `Event ${id}`,
    summary: '',
    startsAt: '2026-11-25T18:00:00.000Z',
    endsAt: '2026-11-25T19:00:00.000Z',
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
    ...patch,
  };
}

describe('groupProgramme', () => {
  it('puts live events in the live section and scheduled ones in upcoming, soonest first', () => {
    const sections = groupProgramme(
      [
        event('later', { startsAt: '2026-11-27T18:00:00.000Z' }),
        event('live', { status: 'live' }),
        event('sooner', { startsAt: '2026-11-26T18:00:00.000Z' }),
      ],
      NOW,
    );
    expect(sections.live.map((e) => e.id)).toEqual(['live']);
    expect(sections.upcoming.map((e) => e.id)).toEqual(['sooner', 'later']);
  });

  it('lists only ended events that have a replay, newest first', () => {
    const sections = groupProgramme(
      [
        event('old', { status: 'ended', startsAt: '2026-10-01T18:00:00.000Z', replayUrl: '/media/a/master.m3u8' }),
        event('no-replay', { status: 'ended' }),
        event('recent', { status: 'ended', startsAt: '2026-11-20T18:00:00.000Z', replayUrl: '/media/b/master.m3u8' }),
      ],
      NOW,
    );
    expect(sections.replays.map((e) => e.id)).toEqual(['recent', 'old']);
  });

  it('keeps a cancelled event among the upcoming ones until its end, then drops it', () => {
    const sections = groupProgramme(
      [
        event('cancelled-soon', { status: 'cancelled' }),
        event('cancelled-past', {
          status: 'cancelled',
          startsAt: '2026-11-01T18:00:00.000Z',
          endsAt: '2026-11-01T19:00:00.000Z',
        }),
      ],
      NOW,
    );
    expect(sections.upcoming.map((e) => e.id)).toEqual(['cancelled-soon']);
  });

  it('shows only the chosen kind', () => {
    const sections = groupProgramme([event('a', { kind: 'webinar' }), event('b', { kind: 'workshop' })], NOW, 'workshop');
    expect(sections.upcoming.map((e) => e.id)).toEqual(['b']);
  });
});

describe('withEventUpdated and withEventDeleted', () => {
  const a = event('a', {});
  const b = event('b', { kind: 'webinar' });

  it('replaces an event in place, so a cancellation shows where the event was', () => {
    const cancelled = { ...a, status: 'cancelled' as const };
    expect(withEventUpdated([a, b], cancelled)).toEqual([cancelled, b]);
  });

  it('adds an event created after the page loaded, unless another kind is shown', () => {
    const c = event('c', { kind: 'workshop' });
    expect(withEventUpdated([a], c).map((e) => e.id)).toEqual(['a', 'c']);
    expect(withEventUpdated([b], c, 'webinar').map((e) => e.id)).toEqual(['b']);
  });

  it('removes a deleted event', () => {
    expect(withEventDeleted([a, b], 'a')).toEqual([b]);
    expect(withEventDeleted([a, b], 'zzz')).toEqual([a, b]);
  });
});

describe('withPublicEventUpdated', () => {
  it('never adds an unlisted or invite-only event to the public programme', () => {
    const list = [event('a', {})];
    expect(withPublicEventUpdated(list, event('hidden', { unlisted: true })).map((e) => e.id)).toEqual(['a']);
    expect(withPublicEventUpdated(list, event('private', { access: 'invite' })).map((e) => e.id)).toEqual(['a']);
    expect(withPublicEventUpdated(list, event('new', {})).map((e) => e.id)).toEqual(['a', 'new']);
  });

  it('takes an event out of the public programme when the admin unlists it', () => {
    const list = [event('a', {}), event('b', {})];
    expect(withPublicEventUpdated(list, event('a', { unlisted: true })).map((e) => e.id)).toEqual(['b']);
  });
});
