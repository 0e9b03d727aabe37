import type { ReplayMap } from './replay-map';

/*
 * Broadcasting from OBS: what the moderator console and the admin see of an event's ingest and replay. The rules live
 * in the server (modules/ingest, modules/replay); these are the shapes both sides read.
 */

/** Where an event's broadcast stands. `reconnecting`: the publisher dropped, and the reconnect window runs. */
export type BroadcastState = 'idle' | 'live' | 'reconnecting' | 'ended';

/** Something about the incoming stream that will hurt viewers, for the moderator to fix in OBS. */
export type StreamWarning =
  /** Keyframes further apart than 4 s: segments get long and the delay grows. */
  | 'keyframe-interval'
  /** Under 500 kb/s: blocky picture. */
  | 'bitrate-low'
  /** Over 8,000 kb/s: viewers on a library's Wi-Fi cannot keep up. */
  | 'bitrate-high'
  /** Under 20 frames a second. */
  | 'fps-low'
  /** Under 480 lines. */
  | 'resolution-low'
  /** No audio track. */
  | 'no-audio';

/** The health of the incoming stream, measured by the ingest while someone publishes. */
export interface StreamHealth {
  connected: boolean;
  /** Measured over the last few seconds; null until known. */
  bitrateKbps: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  /** Seconds between keyframes, as seen in the stream. */
  keyframeIntervalSeconds: number | null;
  audio: boolean | null;
  warnings: StreamWarning[];
  /** When these figures were taken. */
  at: string;
}

/** `GET /api/events/:id/ingest`, for the event's moderators and admins. */
export interface IngestInfo {
  /** `rtmp://host:port/live`: the server OBS publishes to. */
  rtmpUrl: string;
  /** The stream key, secret: OBS's "stream key". */
  streamKey: string;
  /** The key works from this instant… */
  validFrom: string;
  /** …until this one. */
  validUntil: string;
  state: BroadcastState;
  /** Reconnect window running: the broadcast ends at this instant unless the publisher comes back. */
  reconnectDeadline: string | null;
  health: StreamHealth | null;
  /** Bytes the event's recordings take on disk. */
  diskBytes: number;
}

/** What the film's rights allow the replay of a ciné-conférence to keep. */
export type FilmRights = 'replay' | 'live-only';

/** `GET /api/events/:id/replay` (public when published; whole for admins). */
export interface ReplayInfo {
  state: 'none' | 'assembling' | 'ready' | 'failed';
  published: boolean;
  /** The VOD playlist; absent while unpublished (for the public) or not ready. */
  url?: string;
  durationSeconds: number;
  /** The replay's timeline, to place what happened live on the video's clock. */
  map: ReplayMap;
}

/** One thing that happened during the live, placed on the replay's clock. */
export type TimelineItem = {
  /** The instant it happened, live. */
  at: string;
  /** Seconds into the replay (after trims), or null when the replay does not cover that instant. */
  offset: number | null;
} & (
  | { type: 'chat'; messageId: string; author: { id: string; displayName: string; role: string }; text: string }
  | { type: 'question-live'; questionId: string; text: string; author: string | null }
  | { type: 'question-answered'; questionId: string; text: string }
  | { type: 'poll-open'; pollId: string; question: string }
  | { type: 'poll-close'; pollId: string; question: string; options: { id: string; label: string; votes: number }[] }
  | { type: 'reactions'; counts: Record<string, number> }
);
