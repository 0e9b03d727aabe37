import type { Event } from '#shared/domain/event';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../../app/api-client';
import { PageLoad } from '../../app/page-load';
import type { CaptionFile, PlayerTimeEvent } from '../../player/parvis-player';
import { currentLine, parseVtt, type TranscriptLine } from './transcript';

export interface ReplayCaptionsOptions {
  api: () => ApiClient;
  /** The event shown; its captions are loaded once it has ended with a replay. */
  event: () => Event | null;
  /** The language to start the transcript in, among those the replay has (the viewer's caption choice). */
  preferred: (languages: readonly string[]) => string | null;
}

interface Loaded {
  lang: string;
  vtt: string;
}

/**
 * A replay's captions (issue 12): the WebVTT file of each language, read once, given to the player as `<track>`s and
 * to the transcript as lines. The files are read with the person's token (an invite-only event's captions need it,
 * and a `<track src>` cannot send one), then handed to the video as blob URLs. Follows the player's time to know the
 * line being said, and re-renders the host only when that line changes.
 */
export class ReplayCaptionsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: ReplayCaptionsOptions;
  readonly #load: PageLoad<readonly [string | null], Loaded[]>;
  #builtFrom: Loaded[] | undefined;
  #files: CaptionFile[] = [];
  #lines = new Map<string, TranscriptLine[]>();
  #lang: string | null = null;
  #time = 0;
  #current = -1;

  constructor(host: ReactiveControllerHost, options: ReplayCaptionsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
    this.#load = new PageLoad(host, {
      args: () => {
        const event = options.event();
        return [event?.status === 'ended' && event.replayUrl ? event.id : null] as const;
      },
      load: async ([eventId], signal) => {
        if (!eventId) return [];
        const api = options.api();
        // A server without captions, or none for this event: a replay without them, not an error to show.
        const languages = await api.getReplayCaptionLanguages(eventId, signal).catch(() => [] as string[]);
        const files = await Promise.all(
          languages.map(async (lang) => ({ lang, vtt: await api.getReplayCaptionsVtt(eventId, lang, signal).catch(() => '') })),
        );
        return files.filter((f) => parseVtt(f.vtt).length > 0);
      },
    });
  }

  hostConnected(): void {}

  hostUpdate(): void {
    const loaded = this.#load.data;
    if (loaded === this.#builtFrom) return;
    this.#builtFrom = loaded;
    this.#revoke();
    this.#lines = new Map((loaded ?? []).map((f) => [f.lang, parseVtt(f.vtt)]));
    this.#files = (loaded ?? []).map((f) => ({ lang: f.lang, src: URL.createObjectURL(new Blob([f.vtt], { type: 'text/vtt' })) }));
    const languages = this.languages;
    if (!this.#lang || !languages.includes(this.#lang)) this.#lang = this.#options.preferred(languages);
    this.#current = currentLine(this.lines, this.#time);
  }

  hostDisconnected(): void {
    this.#revoke();
    this.#builtFrom = undefined;
  }

  /** For the player's `<track>` elements. */
  get files(): readonly CaptionFile[] {
    return this.#files;
  }

  get languages(): string[] {
    return [...this.#lines.keys()];
  }

  /** The transcript's language. */
  get lang(): string | null {
    return this.#lang;
  }

  set lang(lang: string | null) {
    this.#lang = lang;
    this.#current = currentLine(this.lines, this.#time);
    this.#host.requestUpdate();
  }

  /** The transcript: the lines of its language. */
  get lines(): readonly TranscriptLine[] {
    return (this.#lang && this.#lines.get(this.#lang)) || [];
  }

  /** The index of the line being said, or -1. */
  get current(): number {
    return this.#current;
  }

  /** The player's `parvis-player-time`. */
  readonly onTime = (event: PlayerTimeEvent): void => {
    this.#time = event.currentTime;
    const current = currentLine(this.lines, event.currentTime);
    if (current === this.#current) return;
    this.#current = current;
    this.#host.requestUpdate();
  };

  #revoke(): void {
    for (const file of this.#files) URL.revokeObjectURL(file.src);
    this.#files = [];
  }
}
