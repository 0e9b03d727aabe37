import type { ReplayMap } from '#shared/domain/replay-map';

/**
 * Where the timeline finds an event's replay map: the replay module's `ReplayService` (built from the replay's
 * manifest and its trims) once it is wired in the composition root, a hand-built map in tests. Null, or a map without
 * spans, when the event has no replay to place things on: every offset is then null, and there are no chapters.
 */
export interface ReplayMaps {
  map(eventId: string): Promise<ReplayMap | null>;
}

/** No event has a replay map: what the timeline uses until a replay module provides them. */
export const noReplayMaps: ReplayMaps = { map: async () => null };
