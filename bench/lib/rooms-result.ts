/**
 * What the `rooms` bench row's worker (e2e/rooms/bench-participants.ts, run inside the room namespace) measures for
 * one room size, written as JSON for bench/benchmarks/rooms.ts. Plain data: the worker is compiled with the DOM
 * types, the bench without.
 */
export interface RoomsStep {
  participants: number;
  /** Length of the measured window, ms. */
  wallMs: number;
  /** Janus's CPU (every thread: utime + stime from /proc/<pid>/stat) over the window, % of one core. */
  janusPctOfCore: number;
  /** % of the window Janus's main thread was runnable but had no core. */
  janusWaitPct: number;
  /** Busy time of the machine that Janus does not account for (the niced Chromium, mostly), % of one core. */
  othersPctOfCore: number;
  /** Janus's RSS once up with its room empty, and at the end of the window, bytes. */
  janusRssIdle: number;
  janusRss: number;
  /** Audio and video every page received over the window, summed over pages, kbit/s: what Janus forwarded. */
  forwardedKbps: number;
  /** Per page: how many audio and video streams were flowing at the start of the window (each should be N − 1). */
  flowing: { audio: number; video: number }[];
  /** Janus's own (max) video bitrate per publisher in the room, bits/s. */
  roomBitrate: number;
}

export interface RoomsResult {
  chromium: string;
  janus: string;
  steps: RoomsStep[];
}
