import type { CaptionCue, CaptionSource } from '#shared/domain/caption';

/** One line of a {@link CaptionAppend}: the cue's id is made by the caller, so that a retry can be recognised. */
export interface CaptionLine {
  id: string;
  startAt: string;
  text: string;
}

/**
 * Lines that arrived together: one `caption:send` from the desk (one line), or one POST of captioning software (one
 * line per timestamp). `seq` null asks the store to number them: the desk's lines are numbered per event and language.
 */
export interface CaptionAppend {
  eventId: string;
  lang: string;
  source: CaptionSource;
  seq: number | null;
  lines: CaptionLine[];
}

export interface CaptionAppendResult {
  /** The cues of this `seq`: just stored, or, for a `seq` already seen, those stored the first time. */
  cues: CaptionCue[];
  /** True when the `seq` had been seen: nothing was stored. */
  repeated: boolean;
  /** Cues of the same language whose `endAt` the new ones set (the line before each): to be told to viewers too. */
  ended: CaptionCue[];
}

export interface CaptionEdit {
  text?: string;
  startAt?: string;
  endAt?: string | null;
  editedAt: string;
}

/**
 * The storage port of live captions (issue 12), reached as `store.captions`: each event's cues per language and the
 * secret of its caption ingest URL. SQLite and Redis implement it in `sqlite/sqlite-captions.ts` and
 * `redis/redis-captions.ts`; the contract suite is `caption.contract.ts`. Everything belongs to its event: deleted
 * with it, and by the demo reset.
 *
 * Appending is one atomic operation: it answers the cues already stored for a repeated `(eventId, lang, source, seq)`
 * (captioning software resends a line it got no answer for), and places a line by its `startAt` among the others
 * (an out-of-order `seq`), ending the line before it and ended by the one after it.
 */
export interface CaptionStore {
  append(input: CaptionAppend): Promise<CaptionAppendResult>;
  /** The cues of one language, by `startAt` (then by `seq`); `last` keeps only the newest that many. */
  list(eventId: string, lang: string, options?: { last?: number }): Promise<CaptionCue[]>;
  /** The languages the event has cues in, sorted. */
  languages(eventId: string): Promise<string[]>;
  get(eventId: string, cueId: string): Promise<CaptionCue | undefined>;
  /** Changes a cue's text or times; answers it after the change, or undefined when there is no such cue. */
  update(eventId: string, cueId: string, edit: CaptionEdit): Promise<CaptionCue | undefined>;
  /** Removes a cue; false when there was none. Its `seq` stays seen, so a late resend does not bring it back. */
  remove(eventId: string, cueId: string): Promise<boolean>;

  /** The secret of the event's caption ingest URL, `fresh` stored when it had none (two first readers get the same). */
  ingestSecret(eventId: string, fresh: string): Promise<string>;
  /** Replaces the secret with `fresh`; the old URL is refused from then on. Answers `fresh`. */
  rotateIngestSecret(eventId: string, fresh: string): Promise<string>;
}
