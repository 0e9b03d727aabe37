import type { CaptionCue } from '#shared/domain/caption';
import { captionShownUntil } from '#shared/domain/caption-timing';

/**
 * Where the video's timeline meets the wall clock: at `currentTime` seconds the picture shows `programDateMs`. Read
 * from the player at one moment (hls.js computes the program date from the current fragment, so the pair is stable
 * while the stream plays on).
 */
export interface TimelineAnchor {
  currentTime: number;
  programDateMs: number;
}

/** A caption cue placed on the video's timeline, in seconds. */
export interface PlacedCue {
  id: string;
  start: number;
  end: number;
  text: string;
}

/**
 * Places a live cue where the viewer's video shows the moment its words were said: `currentTime + (startAt −
 * programDate)`. It ends at the next cue of its language, within the shown-for limits the replay's WebVTT uses too.
 */
export function placeCue(cue: CaptionCue, anchor: TimelineAnchor): PlacedCue {
  const at = (ms: number): number => anchor.currentTime + (ms - anchor.programDateMs) / 1000;
  return { id: cue.id, start: at(Date.parse(cue.startAt)), end: at(captionShownUntil(cue)), text: cue.text };
}

/** The parts of a `TextTrack` this uses: a fake one in tests. */
export interface CueTrack {
  mode: TextTrackMode;
  addCue(cue: VTTCue): void;
  removeCue(cue: VTTCue): void;
}

export interface LiveCaptionTracksOptions {
  /** Makes the text track of a language (`video.addTextTrack('captions', label, lang)`): once per language. */
  createTrack: (lang: string) => CueTrack;
  /** `new VTTCue(start, end, text)`. */
  createCue: (start: number, end: number, text: string) => VTTCue;
}

/**
 * Keeps one real text track per language in step with the live cues the room holds: each cue added once where the
 * viewer's video shows it, replaced when it changes (a correction, an end set by the next line). Cues wait while the
 * picture's instant is unknown (no first frame yet), and are placed as soon as it is.
 */
export class LiveCaptionTracks {
  readonly #options: LiveCaptionTracksOptions;
  readonly #tracks = new Map<string, CueTrack>();
  /** What each cue id shows now: the VTTCue in its track and the version it was made from. */
  readonly #shown = new Map<string, { track: CueTrack; cue: VTTCue; version: string }>();

  constructor(options: LiveCaptionTracksOptions) {
    this.#options = options;
  }

  /** The languages that have a track, in the order they first came. */
  get languages(): string[] {
    return [...this.#tracks.keys()];
  }

  track(lang: string): CueTrack | undefined {
    return this.#tracks.get(lang);
  }

  /** Adds, replaces and removes cues so that the tracks show `cues`; nothing is placed without an anchor. */
  sync(cues: readonly CaptionCue[], anchor: TimelineAnchor | null): void {
    for (const cue of cues) this.#trackFor(cue.lang);
    if (!anchor) return;
    const seen = new Set<string>();
    for (const cue of cues) {
      seen.add(cue.id);
      const version = `${cue.lang}|${cue.startAt}|${cue.endAt ?? ''}|${cue.text}`;
      const held = this.#shown.get(cue.id);
      if (held?.version === version) continue;
      if (held) held.track.removeCue(held.cue);
      const placed = placeCue(cue, anchor);
      const vtt = this.#options.createCue(placed.start, Math.max(placed.end, placed.start + 0.1), placed.text);
      vtt.id = cue.id;
      const track = this.#trackFor(cue.lang);
      track.addCue(vtt);
      this.#shown.set(cue.id, { track, cue: vtt, version });
    }
    // Cues the room no longer holds (older than it keeps) leave the tracks too.
    for (const [id, held] of this.#shown) {
      if (seen.has(id)) continue;
      held.track.removeCue(held.cue);
      this.#shown.delete(id);
    }
  }

  /** Shows `lang`'s track (or none); the others stay `hidden`, so their cues can still be read. */
  show(lang: string | null): void {
    for (const [l, track] of this.#tracks) {
      const mode: TextTrackMode = l === lang ? 'showing' : 'hidden';
      if (track.mode !== mode) track.mode = mode;
    }
  }

  #trackFor(lang: string): CueTrack {
    let track = this.#tracks.get(lang);
    if (!track) {
      track = this.#options.createTrack(lang);
      track.mode = 'hidden';
      this.#tracks.set(lang, track);
    }
    return track;
  }
}
