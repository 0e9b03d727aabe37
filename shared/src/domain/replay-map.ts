/*
 * A replay's clock. The replay is the live, recorded: each stretch of it (a publishing session, cut by the trims and
 * the ciné-conférence's film) was live at known instants, which the stream carries as EXT-X-PROGRAM-DATE-TIME. Placing
 * what happened live (a chat message, a question on air) on the replay, or the other way round, goes through this map.
 * Server (chapters, the timeline) and client (the replay page) use the same functions.
 */

/** A stretch of the replay that played without a break while live. */
export interface ReplaySpan {
  /** Where it starts in the replay, in seconds. */
  offset: number;
  /** The instant (ISO 8601) it was live at its start. */
  at: string;
  /** Its length in seconds. */
  duration: number;
}

/** The spans in replay order, back to back: each starts where the previous one ends. */
export interface ReplayMap {
  spans: ReplaySpan[];
}

const ms = (iso: string) => Date.parse(iso);

/**
 * Seconds into the replay at which the live was at `instant`, or null when the replay does not hold that instant
 * (before it, after it, in a gap between sessions, or trimmed away).
 */
export function offsetAt(map: ReplayMap, instant: string | number): number | null {
  const t = typeof instant === 'number' ? instant : ms(instant);
  for (const span of map.spans) {
    const start = ms(span.at);
    if (t >= start && t <= start + span.duration * 1000) return span.offset + (t - start) / 1000;
  }
  return null;
}

/**
 * Like {@link offsetAt}, but an instant in a gap (the publisher was away) or before the replay maps to the start of the
 * next span, so that something said during a reconnect still shows, at the moment the picture came back. Null after
 * the end.
 */
export function offsetAtOrAfter(map: ReplayMap, instant: string | number): number | null {
  const t = typeof instant === 'number' ? instant : ms(instant);
  for (const span of map.spans) {
    const start = ms(span.at);
    if (t < start) return span.offset;
    if (t <= start + span.duration * 1000) return span.offset + (t - start) / 1000;
  }
  return null;
}

/** The instant (epoch ms) the live was at when the replay is at `offset` seconds, or null outside the replay. */
export function instantAt(map: ReplayMap, offset: number): number | null {
  for (const span of map.spans) {
    if (offset >= span.offset && offset <= span.offset + span.duration) return ms(span.at) + (offset - span.offset) * 1000;
  }
  return null;
}

/** The replay's length in seconds. */
export function replayDuration(map: ReplayMap): number {
  const last = map.spans.at(-1);
  return last ? last.offset + last.duration : 0;
}
