import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { CAPTION_JOIN_CUES, captionLanguage, mayCaption, type CaptionCue, type CaptionEditRequest } from '#shared/domain/caption';
import type { Event } from '#shared/domain/event';
import type { ReplayMap } from '#shared/domain/replay-map';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import { AuditAction, type AuditLog } from '../../core/audit';
import type { Clock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import type { CaptionAppendResult, CaptionLine } from '../../store/caption-store';
import type { Store } from '../../store/store';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeService } from '../programme/programme.service';
import type { ReplayMaps } from '../timeline/replay-maps';
import { captionsVtt } from './captions-vtt';
import { parseIngestBody } from './ingest-body';

export interface CaptionsServiceDeps {
  store: Store;
  programme: ProgrammeService;
  policy: AccessPolicy;
  audit: AuditLog;
  /** The replay's clock, for the WebVTT files. */
  maps: ReplayMaps;
  /** Tells the event's room about a cue, new or changed (`captions:cue`). */
  publish(eventId: string, cue: CaptionCue): void;
  /** Where the ingest URL points: the server's public origin. */
  publicOrigin: string;
  clock: Clock;
}

/** What a caption POST was answered from. */
export interface IngestQuery {
  token: string;
  seq: number;
  /** The language of the lines, already reduced to its key; absent: the event's language. */
  lang?: string;
}

/** 192 random bits, URL-safe: the secret of an event's caption ingest URL. */
export function newIngestSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares two secrets in a time that does not tell how much of a guess was right. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Live captions (issue 12): lines from the caption desk (`caption:send`) and from captioning software (the ingest
 * URL), kept per language, sent to the event's room as they come, and written as WebVTT on the replay's clock. Who may
 * caption is `mayCaption` (shared/src/domain/caption.ts); an ended or cancelled event takes no more lines, but an
 * admin may still correct them for the replay.
 */
export class CaptionsService {
  constructor(private readonly deps: CaptionsServiceDeps) {}

  /** `caption:send`: a new line from the desk, said now; or, with `replaces`, that cue's text corrected. */
  async send(
    user: User | null,
    input: { eventId: string; lang: string; text: string; replaces?: string | undefined },
  ): Promise<CaptionCue> {
    const event = await this.deps.programme.getEvent(input.eventId);
    await this.assertMayCaption(user, event.id);
    if (input.replaces !== undefined) {
      const cue = await this.deps.store.captions.update(event.id, input.replaces, {
        text: input.text,
        editedAt: this.deps.clock.now().toISOString(),
      });
      if (!cue) throw new DomainError(ErrorCode.NOT_FOUND, 'There is no such caption line in this event');
      this.deps.publish(event.id, cue);
      return cue;
    }
    this.deps.policy.assertOpenToWriting(event, 'captions');
    const line: CaptionLine = { id: randomUUID(), startAt: this.deps.clock.now().toISOString(), text: input.text };
    const result = await this.deps.store.captions.append({ eventId: event.id, lang: input.lang, source: 'desk', seq: null, lines: [line] });
    this.announce(event.id, result);
    return result.cues[0]!;
  }

  /**
   * `POST /api/events/:id/captions/ingest`: the lines of captioning software. A repeated `seq` answers as the first
   * time did and tells nobody again; a wrong token is FORBIDDEN before anything else is said about the event.
   */
  async ingest(eventId: string, query: IngestQuery, body: string): Promise<CaptionCue[]> {
    const event = await this.deps.store.programme.getEvent(eventId);
    const secret = event ? await this.deps.store.captions.ingestSecret(eventId, newIngestSecret()) : undefined;
    // The same answer for an unknown event and a wrong token: the URL tells nothing to someone guessing.
    if (!event || !secret || !sameSecret(secret, query.token)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'This caption URL is not valid: ask the event’s moderators for the current one');
    }
    this.deps.policy.assertOpenToWriting(event, 'captions');
    const now = this.deps.clock.now();
    const lines = parseIngestBody(body, now).map((l) => ({ id: randomUUID(), ...l }));
    const lang = query.lang ?? this.defaultLanguage(event);
    const result = await this.deps.store.captions.append({ eventId, lang, source: 'ingest', seq: query.seq, lines });
    if (!result.repeated) this.announce(eventId, result);
    return result.cues;
  }

  /** `GET /api/events/:id/captions/ingest` (the caller checks the person moderates the event). */
  async ingestUrl(eventId: string): Promise<{ url: string }> {
    await this.deps.programme.getEvent(eventId);
    return { url: this.urlWith(eventId, await this.deps.store.captions.ingestSecret(eventId, newIngestSecret())) };
  }

  /** A new secret: the old URL is refused from now on. Audited, without the secret. */
  async rotateIngest(actor: User, eventId: string): Promise<{ url: string }> {
    await this.deps.programme.getEvent(eventId);
    const secret = await this.deps.store.captions.rotateIngestSecret(eventId, newIngestSecret());
    await this.deps.audit.record(actor, AuditAction.CAPTIONS_ROTATE, `event:${eventId}`);
    return { url: this.urlWith(eventId, secret) };
  }

  /** The newest cues of each language, for the join ack of a live event. */
  async recent(eventId: string): Promise<CaptionCue[]> {
    const langs = await this.deps.store.captions.languages(eventId);
    const lists = await Promise.all(langs.map((lang) => this.deps.store.captions.list(eventId, lang, { last: CAPTION_JOIN_CUES })));
    return lists.flat();
  }

  async languages(eventId: string): Promise<string[]> {
    return this.deps.store.captions.languages(eventId);
  }

  async list(eventId: string, lang: string): Promise<CaptionCue[]> {
    await this.deps.programme.getEvent(eventId);
    return this.deps.store.captions.list(eventId, lang);
  }

  /**
   * One language as WebVTT. On the replay's clock once there is a replay (trims included); before that, during the
   * live, on a provisional clock that starts when the broadcast did, so that the file can be read as it grows. A language without cues is NOT_FOUND.
   * The replay's map is the one `viewer` may see: none for the public while the replay is unpublished.
   */
  async vtt(event: Event, lang: string, viewer: User | null): Promise<string> {
    const cues = await this.deps.store.captions.list(event.id, lang);
    if (cues.length === 0) throw new DomainError(ErrorCode.NOT_FOUND, 'This event has no captions in this language');
    const replay = await this.deps.maps.map(event.id, viewer);
    if (replay && replay.spans.length > 0) return captionsVtt(cues, replay);
    // Without a broadcast from OBS (another stream, or none yet), the earlier of the scheduled start and the first line.
    const broadcast = await this.deps.store.ingest.getBroadcast(event.id);
    const start = broadcast?.startedAt ?? new Date(Math.min(Date.parse(event.startsAt), Date.parse(cues[0]!.startAt))).toISOString();
    const now = this.deps.clock.now().getTime();
    const live: ReplayMap = { spans: [{ offset: 0, at: start, duration: Math.max(0, (now - Date.parse(start)) / 1000) + 3600 }] };
    return captionsVtt(cues, live, `Provisional: seconds since the live started at ${start}; the replay's clock replaces it once the replay is ready.`);
  }

  /** The admin's editor: a cue's text or times changed. Told to the room, so that a live correction shows at once. */
  async edit(actor: User, eventId: string, cueId: string, edit: CaptionEditRequest): Promise<CaptionCue> {
    await this.deps.programme.getEvent(eventId);
    const before = await this.deps.store.captions.get(eventId, cueId);
    if (!before) throw new DomainError(ErrorCode.NOT_FOUND, 'There is no such caption line in this event');
    const startAt = edit.startAt ?? before.startAt;
    const endAt = edit.endAt === undefined ? before.endAt : edit.endAt;
    if (endAt !== null && Date.parse(endAt) <= Date.parse(startAt)) {
      throw new DomainError(ErrorCode.INVALID_PAYLOAD, 'A caption line must end after it starts', undefined, undefined, {
        endAt: 'must be after the start',
      });
    }
    const cue = await this.deps.store.captions.update(eventId, cueId, { ...edit, editedAt: this.deps.clock.now().toISOString() });
    if (!cue) throw new DomainError(ErrorCode.NOT_FOUND, 'There is no such caption line in this event');
    await this.deps.audit.record(actor, AuditAction.CAPTION_EDIT, `event:${eventId}`, {
      cueId,
      lang: cue.lang,
      ...(edit.text !== undefined && { text: edit.text }),
    });
    this.deps.publish(eventId, cue);
    return cue;
  }

  async remove(actor: User, eventId: string, cueId: string): Promise<void> {
    await this.deps.programme.getEvent(eventId);
    const cue = await this.deps.store.captions.get(eventId, cueId);
    if (!cue || !(await this.deps.store.captions.remove(eventId, cueId))) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'There is no such caption line in this event');
    }
    await this.deps.audit.record(actor, AuditAction.CAPTION_DELETE, `event:${eventId}`, { cueId, lang: cue.lang, text: cue.text });
  }

  /** Whether this person may caption the event: answers their role, or refuses. */
  async assertMayCaption(user: User | null, eventId: string): Promise<void> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in to send captions');
    if (!mayCaption(await this.deps.policy.roleIn(user, eventId))) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only the captioners and moderators of this event can send captions');
    }
  }

  private announce(eventId: string, result: CaptionAppendResult): void {
    // The line before first: a player that ends it then shows the new one does not overlap them.
    for (const cue of result.ended) this.deps.publish(eventId, cue);
    for (const cue of result.cues) this.deps.publish(eventId, cue);
  }

  private defaultLanguage(event: Event): string {
    return captionLanguage(event.language) ?? 'fr';
  }

  private urlWith(eventId: string, secret: string): string {
    return `${this.deps.publicOrigin}/api/events/${encodeURIComponent(eventId)}/captions/ingest?token=${secret}`;
  }
}

