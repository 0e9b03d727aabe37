import type { SeatCounts } from '#shared/domain/registration';
import { instantOf } from '#shared/time/zones';
import type { PublicEvent } from '../../app/api-client';

/*
 * Test support for the sign-up cores: events as the public API answers them. Not imported by the app.
 */

export const seats = (capacity: number, confirmed: number, waitlisted = 0, offered = 0): SeatCounts => ({
  capacity,
  confirmed,
  offered,
  waitlisted,
  free: Math.max(0, capacity - confirmed - offered),
});

/** A workshop at `time` in Paris on `day` (`2027-03-29`), 90 minutes long. */
export function workshop(day: string, overrides: Partial<PublicEvent> = {}, time = '14:00'): PublicEvent {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const start = instantOf({ year, month, day: date, hour, minute }, 'Europe/Paris');
  if (!start.ok) throw new Error(`no such time in Paris: ${day} ${time}`);
  const startsAt = start.instant.toISOString();
  return {
    id: `atelier--${day}`,
    kind: 'workshop',
    title: 'Atelier de conversation',
    summary: 'Pratiquer le français en petit groupe.',
    startsAt,
    endsAt: new Date(start.instant.getTime() + 90 * 60_000).toISOString(),
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'registration',
    capacity: 8,
    seriesId: 'atelier',
    speakers: [],
    language: 'fr',
    ...overrides,
  };
}
