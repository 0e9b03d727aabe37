import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import { buildDemoProgramme, ensureDemoProgramme } from './demo-programme';
import { zonedDate } from './zoned-time';
import { Event } from '#shared/domain/event';

const now = new Date('2026-11-25T15:07:00Z');

describe('the demo programme', () => {
  const { events, series } = buildDemoProgramme(now);

  it('has exactly one event live now, several upcoming and at least two replays', () => {
    const live = events.filter((e) => e.status === 'live');
    expect(live).toHaveLength(1);
    expect(Date.parse(live[0]!.startsAt)).toBeLessThanOrEqual(now.getTime());
    expect(Date.parse(live[0]!.endsAt)).toBeGreaterThan(now.getTime());
    expect(live[0]!.streamUrl).toBe('/media/live/demo/master.m3u8');
    const upcoming = events.filter((e) => e.status === 'scheduled' && Date.parse(e.startsAt) > now.getTime());
    expect(upcoming.length).toBeGreaterThanOrEqual(3);
    const replays = events.filter((e) => e.status === 'ended' && e.replayUrl && Date.parse(e.endsAt) < now.getTime());
    expect(replays.length).toBeGreaterThanOrEqual(2);
  });

  it('covers every kind of the season: interview, researchers, ciné-conférence, two webinars, workshops', () => {
    const kinds = events.map((e) => e.kind);
    for (const kind of ['lecture', 'cine_conference', 'webinar', 'workshop'] as const) expect(kinds).toContain(kind);
    expect(events.filter((e) => e.kind === 'webinar')).toHaveLength(2);
    expect(events.some((e) => e.seriesId === 'cycle-chili' && e.kind === 'cine_conference')).toBe(true);
    expect(series.map((s) => s.id)).toContain('conversation-fle');
  });

  it('holds the French conversation workshops on Mondays and Fridays at 18:00 Paris time', () => {
    const conversations = events.filter((e) => e.seriesId === 'conversation-fle');
    expect(conversations.length).toBeGreaterThanOrEqual(4);
    for (const e of conversations) {
      const start = new Date(e.startsAt);
      expect([1, 5]).toContain(zonedDate(start, 'Europe/Paris').weekday);
      expect(start.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })).toBe(
        '18:00',
      );
      expect(e.capacity).toBe(8);
    }
  });

  it('is valid against the shared Event schema', () => {
    for (const e of events) expect(Event.parse(e)).toEqual(e);
  });

  it('is loaded on first start, kept while its live event runs, and moved around now once it has ended', async () => {
    const store = openSqliteStore(':memory:');
    expect(await ensureDemoProgramme(store, now)).toBe('seeded');
    await store.appendChat({
      eventId: 'rencontre-bd-marie-lenoir',
      author: { id: 'u', displayName: 'Ana', role: 'guest' },
      text: 'gardé',
      clientId: 'c',
      sentAt: now.toISOString(),
    });
    expect(await ensureDemoProgramme(store, new Date(now.getTime() + 30 * 60_000))).toBe('kept');
    const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
    expect(await ensureDemoProgramme(store, nextWeek)).toBe('rebased');
    const live = await store.getEvent('rencontre-bd-marie-lenoir');
    expect(Date.parse(live!.endsAt)).toBeGreaterThan(nextWeek.getTime());
    expect(await store.lastChatOffset('rencontre-bd-marie-lenoir')).toBe(1);
    await store.close();
  });

  it('leaves a programme that librarians built alone', async () => {
    const store = openSqliteStore(':memory:');
    await store.setMeta('programme.source', 'custom');
    expect(await ensureDemoProgramme(store, now)).toBe('kept');
    expect(await store.listEvents({})).toEqual([]);
    await store.close();
  });
});
