import type { BroadcastState, IngestInfo, StreamHealth, StreamWarning } from '#shared/domain/broadcast';
import { ApiError } from '../../app/api-client';
import type { Clock } from '../../app/clock';
import type { LoadView } from '../../app/page-load';
import type { Translator } from '../../i18n/i18n';

/** Figures older than this, while OBS should be sending, are said to be stale: the ingest stopped measuring. */
export const STALE_AFTER_MS = 6_000;

/** What the moderator console shows of the stream at one moment. */
export interface StreamView {
  readonly info: IngestInfo | null;
  /** The latest figures: from `ingest:health`, else from the last `GET …/ingest`. */
  readonly health: StreamHealth | null;
  /** While the reconnect window runs: whole seconds until the broadcast ends, never below 0. Else null. */
  readonly secondsLeft: number | null;
  /** Seconds since the figures were taken, once they are older than {@link STALE_AFTER_MS} during a live; else null. */
  readonly staleSeconds: number | null;
}

export interface StreamWatchOptions {
  clock: Clock;
  /**
   * Asks for `GET …/ingest` again: pushed figures say OBS connected or dropped, which changes the broadcast's state
   * (and starts or stops the reconnect window) that only the ingest route tells.
   */
  reload: () => void;
}

/**
 * The stream's health as the moderator console follows it (issue 11), without DOM: the ingest route's answer, the
 * `ingest:health` pushes on top of it, the reconnect countdown, and whether the figures went stale. It ticks once a
 * second on its clock while a countdown or a live stream needs it, and not otherwise.
 */
export class StreamWatch {
  readonly #clock: Clock;
  readonly #reload: () => void;
  readonly #listeners = new Set<(view: StreamView) => void>();
  #info: IngestInfo | null = null;
  #health: StreamHealth | null = null;
  #view: StreamView = { info: null, health: null, secondsLeft: null, staleSeconds: null };
  #cancelTick: (() => void) | undefined;
  /** The `connected` of the last pushed figures that asked for a reload, so that each change asks once. */
  #reloadedFor: boolean | undefined;
  #closed = false;

  constructor(options: StreamWatchOptions) {
    this.#clock = options.clock;
    this.#reload = options.reload;
  }

  get view(): StreamView {
    return this.#view;
  }

  subscribe(listener: (view: StreamView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The ingest route answered (first load, reload, rotated key). */
  setInfo(info: IngestInfo): void {
    this.#info = info;
    this.#reloadedFor = undefined;
    // The route's figures are as fresh as the pushes; the newest wins.
    if (info.health && (!this.#health || Date.parse(info.health.at) >= Date.parse(this.#health.at))) this.#health = info.health;
    this.#update();
  }

  /** `ingest:health` arrived for this event. */
  setHealth(health: StreamHealth): void {
    if (this.#health && Date.parse(health.at) < Date.parse(this.#health.at)) return;
    this.#health = health;
    const state = this.#info?.state;
    const disagrees = state !== undefined && health.connected !== (state === 'live');
    if (disagrees && this.#reloadedFor !== health.connected) {
      this.#reloadedFor = health.connected;
      this.#reload();
    }
    this.#update();
  }

  /** Whether {@link close} was called: a closed watch stays still. */
  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    this.#listeners.clear();
  }

  #update(): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    const info = this.#info;
    const deadline = info?.state === 'reconnecting' && info.reconnectDeadline ? Date.parse(info.reconnectDeadline) : NaN;
    const secondsLeft = Number.isNaN(deadline) ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
    const age = this.#health ? now - Date.parse(this.#health.at) : 0;
    const staleSeconds = info?.state === 'live' && this.#health && age > STALE_AFTER_MS ? Math.floor(age / 1000) : null;
    const view: StreamView = { info, health: this.#health, secondsLeft, staleSeconds };
    const changed =
      view.info !== this.#view.info ||
      view.health !== this.#view.health ||
      view.secondsLeft !== this.#view.secondsLeft ||
      view.staleSeconds !== this.#view.staleSeconds;
    this.#view = view;
    if (changed) for (const listener of this.#listeners) listener(view);

    // Tick while something counts: the reconnect window, or a live whose figures could go stale.
    this.#cancelTick?.();
    this.#cancelTick = undefined;
    const counting = (secondsLeft !== null && secondsLeft > 0) || info?.state === 'live';
    if (counting) {
      this.#cancelTick = this.#clock.after(1000 - (now % 1000) || 1000, () => {
        this.#cancelTick = undefined;
        this.#update();
      });
    }
  }
}

/**
 * Whether the console leaves the stream panel out: until the ingest route has answered (no room taken for nothing),
 * and for good when it answers NOT_FOUND, on a server that takes no broadcasts from OBS. Any other failure shows the
 * panel with its error: the ingest exists, and the moderator must know it could not be read.
 */
export function streamPanelHidden(view: LoadView<IngestInfo>): boolean {
  if (view.status === 'loading') return true;
  return view.status === 'error' && view.error instanceof ApiError && view.error.code === 'NOT_FOUND';
}

type T = Pick<Translator, 't'>;

/** The broadcast's state in words, with the countdown while OBS may still come back. */
export function streamStateText(i18n: T, state: BroadcastState, secondsLeft: number | null): string {
  if (state === 'reconnecting') {
    return secondsLeft !== null && secondsLeft > 0
      ? i18n.t('mod.stream.state.reconnecting', { seconds: secondsLeft })
      : i18n.t('mod.stream.state.ending');
  }
  return i18n.t(`mod.stream.state.${state}`);
}

/** A figure for a sentence, rounded; the translator writes it the locale's way ("2,5" in French). */
const rounded = (n: number | null, digits = 0): number | string => (n === null ? '?' : Number(n.toFixed(digits)));

/** One warning as the moderator reads it: what is wrong, with the figure, and what to change in OBS. */
export function warningText(i18n: T, warning: StreamWarning, health: StreamHealth): string {
  switch (warning) {
    case 'keyframe-interval':
      return i18n.t('mod.stream.warning.keyframe-interval', { seconds: rounded(health.keyframeIntervalSeconds, 1) });
    case 'bitrate-low':
      return i18n.t('mod.stream.warning.bitrate-low', { kbps: rounded(health.bitrateKbps) });
    case 'bitrate-high':
      return i18n.t('mod.stream.warning.bitrate-high', { kbps: rounded(health.bitrateKbps) });
    case 'fps-low':
      return i18n.t('mod.stream.warning.fps-low', { fps: rounded(health.fps, 1) });
    case 'resolution-low':
      return i18n.t('mod.stream.warning.resolution-low', { height: rounded(health.height) });
    case 'no-audio':
      return i18n.t('mod.stream.warning.no-audio');
  }
}

/** The figures of the stream, label and value, in the console's order; an unknown value says so. */
export function healthFigures(i18n: T, health: StreamHealth): { label: string; value: string }[] {
  const unknown = i18n.t('mod.stream.unknown');
  const known = <V>(value: V | null, show: (v: V) => string) => (value === null ? unknown : show(value));
  return [
    { label: i18n.t('mod.stream.bitrate'), value: known(health.bitrateKbps, (v) => i18n.t('mod.stream.kbps', { kbps: Math.round(v) })) },
    { label: i18n.t('mod.stream.fps'), value: known(health.fps, (v) => i18n.t('mod.stream.fpsValue', { fps: rounded(v, 1) })) },
    {
      label: i18n.t('mod.stream.resolution'),
      value: health.width !== null && health.height !== null ? `${health.width} × ${health.height}` : unknown,
    },
    {
      label: i18n.t('mod.stream.keyframes'),
      value: known(health.keyframeIntervalSeconds, (v) => i18n.t('mod.stream.seconds', { seconds: rounded(v, 1) })),
    },
    { label: i18n.t('mod.stream.audio'), value: known(health.audio, (v) => i18n.t(v ? 'mod.stream.audioYes' : 'mod.stream.audioNo')) },
  ];
}
