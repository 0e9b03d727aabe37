import type { CaptionCue } from '#shared/domain/caption';
import type { Ack } from '#shared/protocol/ack';
import type { ConnectionStatus, RealtimeTransport, RequestName, RequestPayload, RequestResult } from '../../realtime/realtime-client';

/** How many lines of each language the desk keeps in memory: the captioner reads the last few, not the whole talk. */
const KEPT_PER_LANGUAGE = 200;

export interface CaptionDeskState {
  /** The lines heard for the event (the join's last ones, then every `captions:cue`), by language, oldest first. */
  readonly cues: ReadonlyMap<string, readonly CaptionCue[]>;
  /** This desk's own last line of each language: the one "correct the last line" changes. */
  readonly lastSent: ReadonlyMap<string, CaptionCue>;
}

type Sender = (payload: { eventId: string; lang: string; text: string; replaces?: string }) => Promise<Ack<{ cue: CaptionCue }>>;

/**
 * The caption desk's state, without the DOM: the lines of the event as the room hears them, merged by id (a
 * correction or the next line's `endAt` replaces the copy held), and the desk's own last line per language.
 *
 * The desk sits in the event's room through an `EventRoom`, whose join ack carries the last lines of a live event:
 * {@link tap} wraps the room's transport so that the desk reads them from there, without a second join.
 */
export class CaptionDesk {
  readonly eventId: string;
  #cues = new Map<string, CaptionCue[]>();
  #lastSent = new Map<string, CaptionCue>();
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void) | null = null;

  constructor(eventId: string) {
    this.eventId = eventId;
  }

  get state(): CaptionDeskState {
    return { cues: this.#cues, lastSent: this.#lastSent };
  }

  /** The lines of one language, oldest first. */
  linesOf(lang: string): readonly CaptionCue[] {
    return this.#cues.get(lang) ?? [];
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The room's transport, seen through the desk: `captions:cue` broadcasts and the join ack's lines reach the desk as
   * they reach the room. Pass the result to the room instead of the transport; `close()` stops listening.
   */
  tap(transport: RealtimeTransport): RealtimeTransport {
    this.#unsubscribe?.();
    this.#unsubscribe = transport.on('captions:cue', ({ eventId, cue }) => {
      if (eventId === this.eventId) this.merge([cue]);
    });
    const merge = (cues: CaptionCue[]) => this.merge(cues);
    const eventId = this.eventId;
    return {
      get status(): ConnectionStatus {
        return transport.status;
      },
      ensureConnected: () => transport.ensureConnected(),
      on: (event, handler) => transport.on(event, handler),
      onStatus: (handler) => transport.onStatus(handler),
      async request<E extends RequestName>(event: E, payload: RequestPayload<E>, timeoutMs?: number): Promise<Ack<RequestResult<E>>> {
        const ack = await transport.request(event, payload, timeoutMs);
        if (event === 'event:join' && ack.ok) {
          const joined = ack.data as RequestResult<'event:join'>;
          if (joined.event.id === eventId && joined.captions) merge(joined.captions);
        }
        return ack;
      },
    };
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** Sends a new line; the ack's cue becomes this desk's last line of its language. */
  async send(sender: Sender, lang: string, text: string): Promise<Ack<{ cue: CaptionCue }>> {
    const ack = await sender({ eventId: this.eventId, lang, text });
    if (ack.ok) {
      this.#lastSent.set(ack.data.cue.lang, ack.data.cue);
      this.merge([ack.data.cue]);
    }
    return ack;
  }

  /** Replaces the text of this desk's last line of `lang` (nothing to correct: resolves NOT_FOUND without sending). */
  async correctLast(sender: Sender, lang: string, text: string): Promise<Ack<{ cue: CaptionCue }>> {
    const last = this.#lastSent.get(lang);
    if (!last) return { ok: false, error: { code: 'NOT_FOUND', message: 'No line to correct' } };
    const ack = await sender({ eventId: this.eventId, lang, text, replaces: last.id });
    if (ack.ok) {
      this.#lastSent.set(lang, ack.data.cue);
      this.merge([ack.data.cue]);
    }
    return ack;
  }

  /** Merges cues by id (a newer copy replaces the one held) and keeps each language in the order the lines were said. */
  merge(cues: readonly CaptionCue[]): void {
    if (cues.length === 0) return;
    const touched = new Set<string>();
    for (const cue of cues) {
      const list = this.#cues.get(cue.lang) ?? [];
      const at = list.findIndex((c) => c.id === cue.id);
      if (at >= 0) list[at] = cue;
      else list.push(cue);
      this.#cues.set(cue.lang, list);
      touched.add(cue.lang);
      // A correction made elsewhere (the admin, another desk) of this desk's last line is the last line now.
      const mine = this.#lastSent.get(cue.lang);
      if (mine?.id === cue.id) this.#lastSent.set(cue.lang, cue);
    }
    for (const lang of touched) {
      const sorted = this.#cues.get(lang)!.sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt) || a.seq - b.seq);
      if (sorted.length > KEPT_PER_LANGUAGE) sorted.splice(0, sorted.length - KEPT_PER_LANGUAGE);
    }
    this.#cues = new Map(this.#cues);
    for (const listener of this.#listeners) listener();
  }
}
