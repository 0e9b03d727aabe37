import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { IngestInfo, StreamHealth } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import { AuditAction, type AuditLog } from '../../core/audit';
import { diskUsage, eventRecordingDir } from '../../media/recordings';
import type { Store } from '../../store/store';
import type { ProgrammeService } from '../programme/programme.service';
import type { Transcoder } from './transcoder';

/** Who publishes, as the ingest server tells it. */
export interface PublishSource {
  /** The ingest's id of the connection (`nginx:<clientid>`): a goodbye counts only from the publisher that is on. */
  publisherId: string;
  /** The encoder's address, for the log. */
  address?: string;
}

/** Why a publisher is refused (in the log, and the hook's answer). */
export type PublishRefusal = 'unknown-key' | 'cancelled' | 'ended' | 'too-early' | 'too-late' | 'busy';

export type PublishDecision = { allowed: true; eventId: string } | { allowed: false; reason: PublishRefusal };

/**
 * The seam between an ingest server and Parvis. nginx-rtmp reaches it through its `on_publish` and
 * `on_publish_done` hooks (nginx-hooks.routes.ts); another ingest (MediaMTX's `authHTTPAddress`, `runOnReady`,
 * `runOnNotReady`) would need only its own small adapter to these two calls: see docs/broadcasting.md.
 */
export interface IngestHooks {
  /** A publisher starts on `streamKey`: whether it may. Refused, the ingest server drops it. */
  publishStarted(streamKey: string, source: PublishSource): Promise<PublishDecision>;
  /** That publisher left. */
  publishStopped(streamKey: string, source: PublishSource): Promise<void>;
}

/** Told when a broadcast is over. */
export interface BroadcastListener {
  /**
   * The broadcast of this event has ended (its reconnect window passed, or a moderator ended the event): every
   * session on disk is complete, and the replay can be assembled from them. Called once per broadcast, by the
   * process that ended it.
   */
  broadcastEnded(eventId: string): Promise<void>;
}

/** Until the replay assembles something at the end of a broadcast (modules/replay; plugged in parvis.ts). */
export const noBroadcastListener: BroadcastListener = { broadcastEnded: async () => {} };

/** The actor the audit log names for what the ingest does by itself (going live when OBS publishes, ending). */
export const INGEST_ACTOR: User = { id: 'ingest', displayName: 'Ingest (OBS)', role: 'admin' };

export interface IngestSettings {
  /** What OBS is told to publish to: `rtmp://host:port/live`. */
  rtmpUrl: string;
  keyLeadMinutes: number;
  keyGraceMinutes: number;
  reconnectSeconds: number;
  recordingsDir: string;
  /** The event's live playlist as its `streamUrl`. */
  streamUrlOf(eventId: string): string;
}

export interface IngestServiceDeps {
  store: Store;
  programme: ProgrammeService;
  audit: AuditLog;
  settings: IngestSettings;
  /** Tells the event's staff room the stream's health (`ingest:health`). */
  publishHealth(eventId: string, health: StreamHealth): void;
  listener: BroadcastListener;
  log: Logger;
  now?: () => Date;
}

/** 192 random bits, URL-safe: 32 characters OBS takes as they are. */
export function newStreamKey(): string {
  return randomBytes(24).toString('base64url');
}

const MINUTE = 60_000;

/**
 * The rules of broadcasting from OBS: stream keys and when they work, who may publish, going live when the first
 * segments are there, the reconnect window, and ending. Implements the {@link IngestHooks} seam; the transcoder (when
 * this process runs the ingest) is attached with {@link attach}.
 */
export class IngestService implements IngestHooks {
  private readonly now: () => Date;
  private readonly log: Logger;
  private transcoder: Transcoder | undefined;
  /** The publishers this process accepted, by publisher id: a key rotated during the live still finds its event. */
  private readonly publishers = new Map<string, string>();

  constructor(private readonly deps: IngestServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log.child({ module: 'ingest' });
  }

  /** The transcoder of this process: publishes accepted here are recorded by it. */
  attach(transcoder: Transcoder): void {
    this.transcoder = transcoder;
  }

  /** When the event's key works: from `INGEST_KEY_LEAD_MINUTES` before its start to `INGEST_KEY_GRACE_MINUTES` after its end. */
  keyWindow(event: Pick<Event, 'startsAt' | 'endsAt'>): { validFrom: string; validUntil: string } {
    const { keyLeadMinutes, keyGraceMinutes } = this.deps.settings;
    return {
      validFrom: new Date(Date.parse(event.startsAt) - keyLeadMinutes * MINUTE).toISOString(),
      validUntil: new Date(Date.parse(event.endsAt) + keyGraceMinutes * MINUTE).toISOString(),
    };
  }

  /** `GET /api/events/:id/ingest` (the caller checks that the person moderates the event). */
  async info(eventId: string): Promise<IngestInfo> {
    const event = await this.deps.programme.getEvent(eventId);
    const streamKey = await this.deps.store.ingest.keyOf(eventId, newStreamKey());
    const [broadcast, health, diskBytes] = await Promise.all([
      this.deps.store.ingest.getBroadcast(eventId),
      this.deps.store.ingest.getHealth(eventId),
      diskUsage(eventRecordingDir(this.deps.settings.recordingsDir, eventId)).catch(() => 0),
    ]);
    return {
      rtmpUrl: this.deps.settings.rtmpUrl,
      streamKey,
      ...this.keyWindow(event),
      state: broadcast?.state ?? 'idle',
      reconnectDeadline: broadcast?.state === 'reconnecting' ? broadcast.reconnectDeadline : null,
      health: health ?? null,
      diskBytes,
    };
  }

  /** A new key for the event; the old one is refused from now on (a publisher already on goes on). Audited. */
  async rotate(actor: User, eventId: string): Promise<IngestInfo> {
    await this.deps.programme.getEvent(eventId);
    await this.deps.store.ingest.rotateKey(eventId, newStreamKey());
    await this.deps.audit.record(actor, AuditAction.INGEST_ROTATE, `event:${eventId}`);
    return this.info(eventId);
  }

  async publishStarted(streamKey: string, source: PublishSource): Promise<PublishDecision> {
    const at = this.now();
    const eventId = await this.deps.store.ingest.eventOfKey(streamKey);
    const event = eventId === undefined ? undefined : await this.deps.store.programme.getEvent(eventId);
    const refuse = (reason: PublishRefusal): PublishDecision => {
      this.log.warn({ eventId, address: source.address, reason }, `a publisher was refused: ${reason}`);
      return { allowed: false, reason };
    };
    if (!event) return refuse('unknown-key');
    if (event.status === 'cancelled') return refuse('cancelled');
    if (event.status === 'ended') return refuse('ended');
    const { validFrom, validUntil } = this.keyWindow(event);
    if (at.getTime() < Date.parse(validFrom)) return refuse('too-early');
    if (at.getTime() > Date.parse(validUntil)) return refuse('too-late');

    const result = await this.deps.store.ingest.startPublish(event.id, { publisherId: source.publisherId, at: at.toISOString() });
    if (result.outcome === 'busy') return refuse('busy');
    if (result.outcome === 'ended') return refuse('ended');
    this.publishers.set(source.publisherId, event.id);
    this.transcoder?.start(event.id, streamKey);
    this.log.info(
      { eventId: event.id, address: source.address, publishes: result.broadcast.publishes },
      result.resumed ? 'the publisher is back within the reconnect window: the broadcast goes on' : 'a publisher started',
    );
    return { allowed: true, eventId: event.id };
  }

  async publishStopped(streamKey: string, source: PublishSource): Promise<void> {
    const accepted = this.publishers.get(source.publisherId);
    const eventId = accepted ?? (await this.deps.store.ingest.eventOfKey(streamKey));
    this.publishers.delete(source.publisherId);
    if (eventId === undefined) return;
    // The publisher this process let in is gone: its ffmpeg goes too, whatever the store says of the broadcast (an
    // event deleted meanwhile has none).
    if (accepted !== undefined) void this.transcoder?.stop(eventId);
    const at = this.now();
    const deadline = new Date(at.getTime() + this.deps.settings.reconnectSeconds * 1000);
    const stopped = await this.deps.store.ingest.stopPublish(eventId, {
      publisherId: source.publisherId,
      at: at.toISOString(),
      deadline: deadline.toISOString(),
    });
    // Not the publisher that is on (a refused one saying goodbye), or the broadcast already ended: nothing more.
    if (!stopped) return;
    this.log.info({ eventId, reconnectDeadline: stopped.reconnectDeadline }, 'the publisher left: waiting for it to come back');
  }

  /**
   * Every publisher of this process is gone without a goodbye: the ingest server was restarted (nginx died), or this
   * process starts after a crash. Their broadcasts wait for a reconnect, the window counted from now.
   */
  async publishersLost(): Promise<void> {
    const at = this.now();
    const deadline = new Date(at.getTime() + this.deps.settings.reconnectSeconds * 1000).toISOString();
    this.publishers.clear();
    for (const broadcast of await this.deps.store.ingest.activeBroadcasts()) {
      if (broadcast.state !== 'live') continue;
      const stopped = await this.deps.store.ingest.stopPublish(broadcast.eventId, { at: at.toISOString(), deadline });
      if (!stopped) continue;
      void this.transcoder?.stop(broadcast.eventId, 0);
      this.log.warn({ eventId: broadcast.eventId, reconnectDeadline: deadline }, 'lost the publisher: waiting for it to come back');
    }
  }

  /**
   * A session's first segments are on disk: the event goes live with its live playlist as `streamUrl` (through the
   * programme, so the programme page and the room update at once). Going live here rather than on the hook means
   * nobody is shown a live event whose playlist cannot play yet.
   */
  async sessionStarted(eventId: string, session: number): Promise<void> {
    const broadcast = await this.deps.store.ingest.getBroadcast(eventId);
    if (broadcast?.state !== 'live' && broadcast?.state !== 'reconnecting') return;
    await this.deps.store.ingest.recordSession(eventId, session);
    const event = await this.deps.store.programme.getEvent(eventId);
    if (!event || event.status === 'cancelled' || event.status === 'ended') return;
    const streamUrl = this.deps.settings.streamUrlOf(eventId);
    if (event.status === 'live' && event.streamUrl === streamUrl) return;
    await this.deps.programme.setStatus(INGEST_ACTOR, eventId, 'live', { streamUrl });
    this.log.info({ eventId, streamUrl }, 'the event is live from OBS');
  }

  /** The stream's health, from the transcoder: kept for `GET …/ingest`, told to the event's staff room. */
  async health(eventId: string, health: StreamHealth): Promise<void> {
    this.deps.publishHealth(eventId, health);
    await this.deps.store.ingest.saveHealth(eventId, health);
  }

  /**
   * The sweeper's work at `now`: ends the broadcasts whose reconnect window has passed, and those whose event a
   * moderator ended (or an admin cancelled or deleted) meanwhile. Each is ended by one process only.
   */
  async sweep(now: Date): Promise<void> {
    for (const eventId of await this.deps.store.ingest.dueReconnects(now.toISOString())) {
      await this.finish(eventId, now, true);
    }
    for (const broadcast of await this.deps.store.ingest.activeBroadcasts()) {
      const event = await this.deps.store.programme.getEvent(broadcast.eventId);
      if (!event || event.status === 'ended' || event.status === 'cancelled') await this.finish(broadcast.eventId, now, false);
    }
  }

  private async finish(eventId: string, now: Date, due: boolean): Promise<void> {
    const at = now.toISOString();
    const ended = await this.deps.store.ingest.finish(eventId, due ? { at, dueBy: at } : { at });
    if (!ended) return;
    for (const [publisher, id] of this.publishers) if (id === eventId) this.publishers.delete(publisher);
    await this.transcoder?.stop(eventId, 0);
    const event = await this.deps.store.programme.getEvent(eventId);
    if (event?.status === 'live') {
      await this.deps.programme.setStatus(INGEST_ACTOR, eventId, 'ended').catch((err: unknown) => {
        this.log.warn({ err, eventId }, 'could not mark the event ended');
      });
    }
    this.log.info({ eventId, publishes: ended.publishes }, due ? 'the reconnect window passed: the broadcast has ended' : 'the broadcast has ended');
    await this.deps.listener.broadcastEnded(eventId).catch((err: unknown) => {
      this.log.error({ err, eventId }, 'the end of a broadcast could not be handled (its replay)');
    });
  }
}
