import type { ReplayMap } from '#shared/domain/replay-map';
import type { User } from '#shared/domain/user';

/**
 * Where the timeline finds an event's replay map: the replay module's `ReplayService` (built from the replay's
 * manifest and its trims), a hand-built map in tests. Null, or a map without spans, when the event has no replay to
 * place things on for `viewer` (none yet, or an unpublished one for anyone but an admin): every offset is then null,
 * and there are no chapters.
 */
export interface ReplayMaps {
  map(eventId: string, viewer: User | null): Promise<ReplayMap | null>;
}

/** No event has a replay map: what the timeline uses until a replay module provides them. */
export const noReplayMaps: ReplayMaps = { map: async () => null };
