import type { Event } from '#shared/domain/event';
import type { EventFigures, FiguresMarker, SeasonFigures, SeasonQuery, SeasonRow, ViewerSample } from '#shared/protocol/figures';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { ms } from '../../store/instants';
import type { Store } from '../../store/store';

const seconds = (msTotal: number): number => Math.round(msTotal / 1000);

/** The first sample with the most viewers. */
export function peakOf(samples: readonly ViewerSample[]): ViewerSample | null {
  return samples.reduce<ViewerSample | null>((best, s) => (best === null || s.viewers > best.viewers ? s : best), null);
}

/**
 * An event's audience figures, and the season's: aggregates read from the store (the audience's samples and watch
 * time, and what the live room kept: chat, questions, polls, reactions, registrations). Nothing here names a person.
 */
export class FiguresService {
  constructor(private readonly store: Store) {}

  async event(eventId: string): Promise<EventFigures> {
    const event = await this.store.programme.getEvent(eventId);
    if (!event) throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${eventId}"`);
    const [samples, totals, lastOffset, questions, polls, reactions, registrations] = await Promise.all([
      this.store.audience.samples(eventId),
      this.store.audience.totals(eventId),
      this.store.chat.lastOffset(eventId),
      this.store.questions.list(eventId),
      this.store.polls.listPolls(eventId),
      this.store.reactions.list(eventId),
      this.registrations(event),
    ]);
    const markers: FiguresMarker[] = [
      ...questions.flatMap((q) => (q.liveAt === null ? [] : [{ type: 'question-live' as const, at: q.liveAt, label: q.text }])),
      ...polls.flatMap((p) => (p.openedAt === null ? [] : [{ type: 'poll-open' as const, at: p.openedAt, label: p.question }])),
    ].sort((a, b) => ms(a.at) - ms(b.at));
    const live = totals.live;
    return {
      event: {
        id: event.id,
        title: event.title,
        kind: event.kind,
        status: event.status,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        timezone: event.timezone,
      },
      samples,
      peak: peakOf(samples),
      live: {
        uniqueViewers: live.viewers,
        watchSeconds: seconds(live.watchMs),
        averageWatchSeconds: live.viewers > 0 ? seconds(live.watchMs / live.viewers) : 0,
      },
      replay: { views: totals.replay.views, uniqueViewers: totals.replay.viewers, watchSeconds: seconds(totals.replay.watchMs) },
      // Offsets grow by one per message written, so the last one is how many were written.
      chatMessages: lastOffset,
      questions: { asked: questions.length, answered: questions.filter((q) => q.answeredAt !== null).length },
      pollVotes: polls.reduce((sum, p) => sum + p.voters, 0),
      reactions: reactions.reduce((sum, burst) => sum + Object.values(burst.counts).reduce((a, n) => a + n, 0), 0),
      markers,
      registrations,
    };
  }

  /** The events that started in the span and went live (or ended), by start. */
  async season(query: SeasonQuery): Promise<SeasonFigures> {
    const events = (await this.store.programme.listEvents({ ...query, include: 'unlisted' })).filter(
      (e) => e.status === 'live' || e.status === 'ended',
    );
    const rows: SeasonRow[] = [];
    for (const e of events) {
      const f = await this.event(e.id);
      rows.push({
        id: e.id,
        title: e.title,
        kind: e.kind,
        status: e.status,
        startsAt: e.startsAt,
        peak: f.peak?.viewers ?? 0,
        uniqueViewers: f.live.uniqueViewers,
        averageWatchSeconds: f.live.averageWatchSeconds,
        replayViews: f.replay.views,
        registrations: f.registrations,
      });
    }
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      events: rows,
      totals: {
        events: rows.length,
        uniqueViewers: rows.reduce((sum, r) => sum + r.uniqueViewers, 0),
        replayViews: rows.reduce((sum, r) => sum + r.replayViews, 0),
        registered: rows.reduce((sum, r) => sum + (r.registrations?.registered ?? 0), 0),
        attended: rows.reduce((sum, r) => sum + (r.registrations?.attended ?? 0), 0),
      },
    };
  }

  /** Seats taken (confirmed registrations, and cancelled ones of people who came anyway) and attendance. */
  private async registrations(event: Event): Promise<EventFigures['registrations']> {
    if (event.access !== 'registration') return null;
    const all = await this.store.registrations.listForEvent(event.id);
    const attended = all.filter((r) => r.attendedAt !== null).length;
    return { registered: all.filter((r) => r.status === 'confirmed' || r.attendedAt !== null).length, attended };
  }
}
