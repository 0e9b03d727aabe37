/**
 * Until when a freed seat is held for the next person waiting, if it is offered at `now`: `offerHours` by default;
 * as the start draws near, half the time left, so that if this person lets it run out the next one still has as long
 * again; never past the start. Null once the event has started: a seat that frees up then just stays free.
 *
 * Half the time left rather than a fixed shorter deadline because nobody knows in advance how many people will let an
 * offer run out: halving gives each later person a shrinking but real window, all of them before the start.
 */
export function offerDeadline(now: Date, startsAt: string, offerHours: number): string | null {
  const start = Date.parse(startsAt);
  const left = start - now.getTime();
  if (!(left > 0)) return null;
  const hold = Math.min(offerHours * 3_600_000, Math.floor(left / 2));
  // Under a second is not an offer anyone can take: keep the seat free for whoever registers.
  if (hold < 1000) return null;
  return new Date(now.getTime() + hold).toISOString();
}
