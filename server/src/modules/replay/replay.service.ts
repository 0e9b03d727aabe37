import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ReplayInfo } from '#shared/domain/broadcast';
import type { Event } from '#shared/domain/event';
import { instantAt, offsetAt, offsetAtOrAfter, type ReplayMap } from '#shared/domain/replay-map';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { MediaUsage, ReplayAdminInfo, ReplaySettingsRequest, ReplayThumbnail } from '#shared/protocol/replay';
import { AuditAction, type AuditLog } from '../../core/audit';
import { DomainError, FieldError } from '../../core/errors';
import { newReplayRecord, type ReplayPatch, type ReplayRecord } from '../../store/replay-store';
import type { Store } from '../../store/store';
import type { AccessPolicy } from '../access/policy';
import type { ProgrammeListener, ProgrammeService } from '../programme/programme.service';
import { assembleRecording, removeSegments, type StepHook } from './assembly';
import { cutReplay, filmSegments, untrimmed, type CutReplay, type ReplaySettings } from './cut';
import { readManifest, totalSeconds, type ManifestSegment, type ReplayManifest } from './manifest';
import type { PreviewTokens } from './preview-token';
import { diskUsage, folderBytes, isMissing, recordedEventIds, recordingPaths, SAFE_NAME, type RecordingPaths } from './recordings';
import type { FrameGrabber } from './thumbnails';

/** Where the default thumbnail is taken: a tenth into the replay, past titles and the first hellos. */
const DEFAULT_THUMBNAIL_AT = 0.1;
/** How long the media router trusts a replay record it read, so that every segment request is not a store read. */
const RECORD_CACHE_MS = 1000;
const THUMBNAIL_FILE = /^(\d{1,6})\.jpg$/;
/** How far past the end an out point may be set and still mean "the end". */
const TRIM_SLACK_SECONDS = 0.5;

export interface ReplayServiceOptions {
  store: Store;
  programme: ProgrammeService;
  audit: AuditLog;
  policy: AccessPolicy;
  /** RECORDINGS_DIR: one folder per event (recordings.ts). */
  recordingsDir: string;
  /** INGEST_PUBLIC_ORIGIN: prefixes the replay's and thumbnails' URLs when another host serves the recordings. */
  mediaOrigin?: string | undefined;
  previews: PreviewTokens;
  grabFrame: FrameGrabber;
  log: Logger;
  now?: () => number;
  /** Test seam: called at each step of an assembly; throwing stops it there, as a crash would. */
  onStep?: StepHook;
}

/** What the media router needs to answer for a replay's files. */
export interface ReplayMedia {
  dir: string;
  thumbs: string;
  manifest: ReplayManifest;
  record: ReplayRecord;
  cut: CutReplay;
}

const none = (): ReplayInfo => ({ state: 'none', published: false, durationSeconds: 0, map: { spans: [] } });

const settingsOf = (record: ReplayRecord): ReplaySettings => ({
  trimIn: record.trimIn,
  trimOut: record.trimOut,
  talkStartsAt: record.talkStartsAt,
  filmRights: record.filmRights,
});

const spansSeconds = (map: ReplayMap) => Math.round(map.spans.reduce((sum, s) => sum + s.duration, 0) * 1000) / 1000;

/**
 * An event's replay, from the recorded sessions to what the public plays (docs/broadcasting.md, "Recording and
 * replay"). The segments stay on disk as recorded; the playlists are computed from the manifest and the settings, so
 * trimming, publishing and the film's cut are instant and, except for the film's deletion after the event, undoable.
 *
 * Work on one event's files is done one step at a time (a queue per event): an assembly, a film's deletion and
 * thumbnails never run over each other.
 */
export class ReplayService {
  private readonly store: Store;
  private readonly programme: ProgrammeService;
  private readonly log: Logger;
  private readonly now: () => number;
  readonly #queues = new Map<string, Promise<void>>();
  readonly #records = new Map<string, { record: ReplayRecord | undefined; expires: number }>();
  readonly #manifests = new Map<string, { mtimeMs: number; size: number; manifest: ReplayManifest }>();
  /**
   * The cut of each replay served lately, for as long as its manifest and settings stay the same: every segment a player
   * fetches asks for it, and cutting a 1-hour replay (1,800 segments per rendition) is not free.
   */
  readonly #cuts = new Map<string, { manifest: ReplayManifest; settings: string; cut: CutReplay }>();
  readonly #background = new Set<Promise<unknown>>();

  constructor(private readonly options: ReplayServiceOptions) {
    this.store = options.store;
    this.programme = options.programme;
    this.log = options.log;
    this.now = options.now ?? Date.now;
  }

  // --- URLs --------------------------------------------------------------------------------------------------------

  /** `/media/events/<id>/replay/master.m3u8`, on INGEST_PUBLIC_ORIGIN when set: the event's `replayUrl`. */
  replayUrl(eventId: string): string {
    return `${this.options.mediaOrigin ?? ''}/media/events/${encodeURIComponent(eventId)}/replay/master.m3u8`;
  }

  thumbnailUrl(eventId: string, file: string): string {
    return `${this.options.mediaOrigin ?? ''}/media/events/${encodeURIComponent(eventId)}/thumbs/${file}`;
  }

  /** The replay for an admin's eyes: signed, short-lived; `full` for the untrimmed replay. */
  previewUrl(eventId: string, full = false): string {
    const query = new URLSearchParams({ preview: this.options.previews.sign(eventId) });
    if (full) query.set('view', 'full');
    return `${this.replayUrl(eventId)}?${query}`;
  }

  // --- the end of a broadcast --------------------------------------------------------------------------------------

  /**
   * The ingest's hook: the broadcast of this event is over (the reconnect window passed, or a moderator ended it) and
   * its transcoder has stopped. Resolves at once; the assembly runs in the background (see {@link idle}).
   */
  broadcastEnded(eventId: string): Promise<void> {
    this.inBackground(this.assemble(eventId));
    return Promise.resolve();
  }

  /**
   * Told about the programme's changes: an event that ends is assembled, an event deleted loses its recordings. An
   * event whose broadcast is still on (a moderator ended it while OBS still sends) is left to the ingest, which stops
   * its transcoder and then tells {@link broadcastEnded}: nothing is moved while ffmpeg still writes.
   */
  programmeListener(): ProgrammeListener {
    return {
      eventChanged: async (event, before) => {
        if (event.status === 'ended' && before?.status !== 'ended' && !(await this.broadcasting(event.id))) {
          this.inBackground(this.assemble(event.id));
        }
      },
      eventDeleted: async (eventId) => {
        this.inBackground(this.deleteRecordings(eventId));
      },
    };
  }

  /**
   * At start: finishes what a stopped or killed process left, for every ended event with recordings on disk
   * (sessions not yet assembled, an assembly cut short, a film not yet deleted). Assembling is idempotent, so an
   * event already done costs a few reads.
   */
  async recover(): Promise<void> {
    for (const eventId of await recordedEventIds(this.options.recordingsDir)) {
      const event = await this.store.programme.getEvent(eventId);
      // A broadcast still on is the ingest's to end (its sweeper does, and then says so).
      if (event?.status !== 'ended' || (await this.broadcasting(eventId))) continue;
      await this.assemble(eventId).catch(() => undefined);
    }
  }

  /** Resolves when nothing is queued for this event (every event without one). */
  async idle(eventId?: string): Promise<void> {
    if (eventId !== undefined) {
      await this.#queues.get(eventId);
      return;
    }
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  /**
   * Builds or completes the event's replay from its recorded sessions (assembly.ts), deletes a live-only film, takes
   * the default thumbnail, and sets the event's `replayUrl` and `thumbnailUrl`. Safe to call again at any time: what
   * was done is not redone, what a crash left is finished. Answers the record, or undefined when nothing was recorded.
   */
  assemble(eventId: string): Promise<ReplayRecord | undefined> {
    return this.serial(eventId, async () => {
      if (!SAFE_NAME.test(eventId)) return undefined;
      const paths = recordingPaths(this.options.recordingsDir, eventId);
      const event = await this.store.programme.getEvent(eventId);
      if (!event) return undefined;
      let record = await this.store.replays.get(eventId);
      const hasSessions = await exists(paths.sessions);
      if (!hasSessions && !(await exists(paths.manifest))) return record;
      if (!hasSessions && record?.state === 'ready') {
        // Done before (each start looks at every ended event): only a film to cut, or the event to catch up, is left.
        const done = await this.manifest(paths);
        if (done && done.deleted.length === 0 && filmSegments(done, settingsOf(record)).size === 0) {
          await this.syncEvent(eventId, record, done);
          return record;
        }
      }
      const firstTime = record?.state !== 'ready';
      const started = hasSessions || !record ? await this.save(eventId, { state: 'assembling' }) : record;
      try {
        let manifest = await assembleRecording(paths, eventId, this.options.onStep);
        if (!manifest) return started;
        const settings = settingsOf(started);
        manifest = await removeSegments(paths, manifest, filmSegments(manifest, settings), this.options.onStep);
        const patch: ReplayPatch = { state: 'ready', ...(await this.measure(paths, manifest, settings)) };
        // A film shown under live-only rights, whose end nobody marked: its replay waits for an admin to decide.
        if (firstTime && settings.filmRights === 'live-only' && !settings.talkStartsAt) {
          patch.published = false;
          this.log.warn({ eventId }, 'live-only film without a marked talk start: the replay stays unpublished');
        }
        const thumbnail = await this.defaultThumbnail(paths, manifest, started);
        if (thumbnail !== started.thumbnail) patch.thumbnail = thumbnail;
        record = await this.save(eventId, patch);
        await this.syncEvent(eventId, record, manifest);
        return record;
      } catch (err) {
        this.log.error({ err, eventId }, 'the replay could not be assembled; the recordings stay on disk');
        await this.save(eventId, { state: 'failed' }).catch(() => undefined);
        throw err;
      }
    });
  }

  // --- reading -----------------------------------------------------------------------------------------------------

  /**
   * `GET /api/events/:id/replay`: the replay for whoever asks. The public sees a published replay of an event whose
   * media they may see; admins see every replay, an unpublished one through a signed preview URL.
   */
  async info(eventId: string, user: User | null): Promise<ReplayInfo> {
    const event = await this.programme.getEvent(eventId);
    const role = await this.options.policy.roleIn(user, eventId);
    const admin = role === 'admin';
    const record = await this.store.replays.get(eventId);
    if (!record || record.state === 'none') return none();
    if (!admin && !(record.published && this.options.policy.canSeeMedia(role, event))) return none();
    return this.describe(eventId, record, admin);
  }

  /**
   * The replay's timeline after trims and the film's cut, for `viewer` to place the live on (the timeline, the
   * chapters): empty while there is no replay, and null for anyone but an admin while it is unpublished, so that
   * nothing of a replay the public may not watch is laid out for them.
   */
  async map(eventId: string, viewer: User | null): Promise<ReplayMap | null> {
    const record = await this.store.replays.get(eventId);
    if (record?.state !== 'ready' || !SAFE_NAME.test(eventId)) return { spans: [] };
    if (!record.published && (await this.options.policy.roleIn(viewer, eventId)) !== 'admin') return null;
    const manifest = await this.manifest(recordingPaths(this.options.recordingsDir, eventId));
    return manifest ? cutReplay(manifest, settingsOf(record)).map : { spans: [] };
  }

  /** `GET /api/admin/events/:id/replay`. */
  async adminInfo(eventId: string): Promise<ReplayAdminInfo> {
    await this.programme.getEvent(eventId);
    const record = (await this.store.replays.get(eventId)) ?? newReplayRecord(eventId);
    const paths = this.paths(eventId);
    const manifest = record.state === 'none' ? undefined : await this.manifest(paths);
    const base = record.state === 'none' ? none() : await this.describe(eventId, record, true);
    const whole = manifest ? untrimmed(manifest, settingsOf(record)) : undefined;
    return {
      ...base,
      trimIn: record.trimIn,
      trimOut: record.trimOut,
      filmRights: record.filmRights,
      talkStartsAt: record.talkStartsAt,
      fullDurationSeconds: whole?.fullDuration ?? 0,
      talkOffset: whole?.talkOffset ?? 0,
      ...(record.state === 'ready' && manifest && { previewUrl: this.previewUrl(eventId, true) }),
      diskBytes: await diskUsage(this.options.recordingsDir, eventId),
      thumbnail: record.thumbnail && manifest ? this.thumbnail(eventId, record.thumbnail, manifest, record) : null,
    };
  }

  /** `GET /api/admin/media/usage`: every event folder in RECORDINGS_DIR, the events deleted since included. */
  async usage(): Promise<MediaUsage> {
    const events: MediaUsage['events'] = [];
    for (const eventId of await recordedEventIds(this.options.recordingsDir)) {
      const event = await this.store.programme.getEvent(eventId);
      events.push({ eventId, title: event?.title ?? null, bytes: await diskUsage(this.options.recordingsDir, eventId) });
    }
    return { events, totalBytes: events.reduce((sum, e) => sum + e.bytes, 0) };
  }

  /**
   * What the media router serves for an event's replay and thumbnails, or undefined when there is no replay to
   * serve. Read on every request of every viewer: the record is trusted for a second, the manifest while its file is
   * unchanged.
   */
  async media(eventId: string): Promise<ReplayMedia | undefined> {
    if (!SAFE_NAME.test(eventId)) return undefined;
    let cached = this.#records.get(eventId);
    if (!cached || cached.expires <= this.now()) {
      cached = { record: await this.store.replays.get(eventId), expires: this.now() + RECORD_CACHE_MS };
      this.#records.set(eventId, cached);
    }
    const record = cached.record;
    if (!record || record.state === 'none') return undefined;
    const paths = recordingPaths(this.options.recordingsDir, eventId);
    const manifest = await this.manifest(paths);
    if (!manifest) return undefined;
    const settings = settingsOf(record);
    const key = JSON.stringify(settings);
    let cut = this.#cuts.get(eventId);
    if (!cut || cut.manifest !== manifest || cut.settings !== key) {
      cut = { manifest, settings: key, cut: cutReplay(manifest, settings) };
      this.#cuts.set(eventId, cut);
    }
    return { dir: paths.replay, thumbs: paths.thumbs, manifest, record, cut: cut.cut };
  }

  /** Whether `token` lets its bearer see this event's unpublished replay. */
  canPreview(eventId: string, token: unknown): boolean {
    return this.options.previews.verify(eventId, token);
  }

  // --- admins and moderators ---------------------------------------------------------------------------------------

  /** `PUT /api/admin/events/:id/replay`: trims, publication, the film's rights. Audited. */
  async updateSettings(actor: User, eventId: string, request: ReplaySettingsRequest): Promise<ReplayAdminInfo> {
    const event = await this.programme.getEvent(eventId);
    const paths = this.paths(eventId);
    await this.serial(eventId, async () => {
      const before = (await this.store.replays.get(eventId)) ?? newReplayRecord(eventId);
      const manifest = before.state === 'none' ? undefined : await this.manifest(paths);
      const patch: ReplayPatch = {};
      if (request.published !== undefined) patch.published = request.published;
      if (request.filmRights !== undefined && request.filmRights !== before.filmRights) {
        patch.filmRights = request.filmRights;
        Object.assign(patch, this.retimed(manifest, before, { ...settingsOf(before), filmRights: request.filmRights }));
      }
      if (request.trimIn !== undefined) patch.trimIn = request.trimIn;
      if (request.trimOut !== undefined) patch.trimOut = request.trimOut;
      this.checkTrims(manifest, { ...settingsOf(before), ...patch } as ReplaySettings);
      let record = await this.save(eventId, patch);
      if (manifest) record = await this.afterSettings(event, paths, manifest, record);
      const changed = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
      await this.options.audit.record(actor, AuditAction.REPLAY_SETTINGS, `event:${eventId}`, { title: event.title, ...changed });
    });
    return this.adminInfo(eventId);
  }

  /**
   * `POST /api/events/:id/ingest/talk-starts`: a moderator's "the film ends, the talk begins", now or at the instant
   * they correct it to. With a live-only film, the replay starts there, and once the event is over the film is deleted.
   */
  async markTalkStarts(actor: User, eventId: string, at?: string): Promise<{ talkStartsAt: string }> {
    const event = await this.programme.getEvent(eventId);
    if (event.status !== 'live' && event.status !== 'ended') {
      throw new DomainError(ErrorCode.CONFLICT, 'The talk can only start during the event, or be corrected after it');
    }
    const talkStartsAt = at ?? new Date(this.now()).toISOString();
    const paths = this.paths(eventId);
    await this.serial(eventId, async () => {
      const before = (await this.store.replays.get(eventId)) ?? newReplayRecord(eventId);
      const manifest = before.state === 'none' ? undefined : await this.manifest(paths);
      const patch: ReplayPatch = { talkStartsAt, ...this.retimed(manifest, before, { ...settingsOf(before), talkStartsAt }) };
      let record = await this.save(eventId, patch);
      if (manifest) record = await this.afterSettings(event, paths, manifest, record);
      await this.options.audit.record(actor, AuditAction.TALK_STARTS, `event:${eventId}`, { title: event.title, at: talkStartsAt });
    });
    return { talkStartsAt };
  }

  /** The thumbnails taken so far, in the recording's order. */
  async listThumbnails(eventId: string): Promise<ReplayThumbnail[]> {
    await this.programme.getEvent(eventId);
    const paths = this.paths(eventId);
    const record = await this.store.replays.get(eventId);
    const manifest = record && record.state !== 'none' ? await this.manifest(paths) : undefined;
    if (!record || !manifest) return [];
    const files = await readdir(paths.thumbs).catch((err: unknown) => {
      if (isMissing(err)) return [] as string[];
      throw err;
    });
    return files
      .filter((f) => THUMBNAIL_FILE.test(f))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
      .map((file) => this.thumbnail(eventId, file, manifest, record));
  }

  /** `POST /api/admin/events/:id/replay/thumbnails`: `count` frames spread evenly over the replay as it plays. */
  async takeThumbnails(actor: User, eventId: string, count: number): Promise<ReplayThumbnail[]> {
    const event = await this.programme.getEvent(eventId);
    const paths = this.paths(eventId);
    await this.serial(eventId, async () => {
      const record = await this.store.replays.get(eventId);
      const manifest = record?.state === 'ready' ? await this.manifest(paths) : undefined;
      if (!record || !manifest) throw new DomainError(ErrorCode.CONFLICT, 'This event has no replay to take pictures from yet');
      const { map } = cutReplay(manifest, settingsOf(record));
      const length = spansSeconds(map);
      if (length <= 0) throw new DomainError(ErrorCode.CONFLICT, 'The replay is empty: check its trims');
      for (let k = 0; k < count; k++) {
        const instant = instantAlong(map, ((k + 0.5) * length) / count);
        if (instant !== null) await this.takeFrame(paths, manifest, instant);
      }
      await this.options.audit.record(actor, AuditAction.REPLAY_THUMBNAILS, `event:${eventId}`, { title: event.title, count });
    });
    return this.listThumbnails(eventId);
  }

  /** `PUT /api/admin/events/:id/replay/thumbnail`: the candidate that becomes the event's picture. */
  async chooseThumbnail(actor: User, eventId: string, file: string): Promise<ReplayAdminInfo> {
    const event = await this.programme.getEvent(eventId);
    const paths = this.paths(eventId);
    await this.serial(eventId, async () => {
      if (!THUMBNAIL_FILE.test(file) || !(await exists(join(paths.thumbs, file)))) {
        throw new DomainError(ErrorCode.NOT_FOUND, `No thumbnail ${file} for this event`);
      }
      const record = await this.save(eventId, { thumbnail: file });
      const manifest = await this.manifest(paths);
      if (manifest) await this.syncEvent(eventId, record, manifest);
      await this.options.audit.record(actor, AuditAction.REPLAY_THUMBNAIL, `event:${eventId}`, { title: event.title, file });
    });
    return this.adminInfo(eventId);
  }

  // --- inside ------------------------------------------------------------------------------------------------------

  /** Whether the ingest has a broadcast of this event still live or waiting for its publisher. */
  private async broadcasting(eventId: string): Promise<boolean> {
    const broadcast = await this.store.ingest.getBroadcast(eventId);
    return broadcast !== undefined && broadcast.state !== 'ended' && broadcast.state !== 'idle';
  }

  private paths(eventId: string): RecordingPaths {
    if (!SAFE_NAME.test(eventId)) throw new DomainError(ErrorCode.NOT_FOUND, `No recordings for "${eventId}"`);
    return recordingPaths(this.options.recordingsDir, eventId);
  }

  /** Runs `work` after everything queued for this event, whatever became of it. */
  private serial<T>(eventId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(eventId) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(eventId, tail);
    void tail.then(() => {
      if (this.#queues.get(eventId) === tail) this.#queues.delete(eventId);
    });
    return run;
  }

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined);
    this.#background.add(tracked);
    void tracked.then(() => this.#background.delete(tracked));
  }

  private async save(eventId: string, patch: ReplayPatch): Promise<ReplayRecord> {
    const record = await this.store.replays.update(eventId, patch);
    this.#records.delete(eventId);
    return record;
  }

  private async manifest(paths: RecordingPaths): Promise<ReplayManifest | undefined> {
    let info;
    try {
      info = await stat(paths.manifest);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const cached = this.#manifests.get(paths.manifest);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.manifest;
    const manifest = await readManifest(paths.manifest);
    if (!manifest) return undefined;
    this.#manifests.set(paths.manifest, { mtimeMs: info.mtimeMs, size: info.size, manifest });
    return manifest;
  }

  private async describe(eventId: string, record: ReplayRecord, admin: boolean): Promise<ReplayInfo> {
    const manifest = record.state === 'ready' ? await this.manifest(this.paths(eventId)) : undefined;
    const map = manifest ? cutReplay(manifest, settingsOf(record)).map : { spans: [] };
    const watchable = record.state === 'ready' && map.spans.length > 0;
    let url: string | undefined;
    if (watchable) url = record.published ? this.replayUrl(eventId) : admin ? this.previewUrl(eventId) : undefined;
    return { state: record.state, published: record.published, ...(url && { url }), durationSeconds: spansSeconds(map), map };
  }

  private thumbnail(eventId: string, file: string, manifest: ReplayManifest, record: ReplayRecord): ReplayThumbnail {
    const at = Date.parse(manifest.startedAt) + Number.parseInt(file, 10) * 1000;
    const offset = offsetAt(untrimmed(manifest, settingsOf(record)).map, at);
    return {
      file,
      url: this.thumbnailUrl(eventId, file),
      at: new Date(at).toISOString(),
      offset: offset === null ? null : Math.round(offset * 1000) / 1000,
    };
  }

  /**
   * Trims are seconds of the untrimmed replay, which starts where the film's cut does: when the cut moves, the same
   * moments of the talk get their new seconds.
   */
  private retimed(manifest: ReplayManifest | undefined, before: ReplayRecord, after: ReplaySettings): ReplayPatch {
    if (!manifest || (before.trimIn === null && before.trimOut === null)) return {};
    const from = untrimmed(manifest, settingsOf(before)).map;
    const to = untrimmed(manifest, after).map;
    const move = (seconds: number | null): number | null => {
      if (seconds === null) return null;
      const instant = instantAt(from, seconds);
      const moved = instant === null ? null : offsetAtOrAfter(to, instant);
      return moved === null ? null : Math.round(moved * 1000) / 1000;
    };
    return { trimIn: move(before.trimIn), trimOut: move(before.trimOut) };
  }

  private checkTrims(manifest: ReplayManifest | undefined, settings: ReplaySettings): void {
    const { trimIn, trimOut } = settings;
    if (trimIn !== null && trimOut !== null && trimOut <= trimIn) throw new FieldError({ trimOut: 'must be after the in point' });
    if (!manifest) return;
    const whole = untrimmed(manifest, settings);
    if (trimIn !== null && trimIn >= whole.fullDuration) throw new FieldError({ trimIn: 'must be before the end of the replay' });
    if (trimOut !== null && trimOut <= whole.talkOffset) throw new FieldError({ trimOut: 'must be after the start of the replay' });
    // A player's position at the very end may pass the last segment's by a fraction: that is still "the end".
    if (trimOut !== null && trimOut > whole.fullDuration + TRIM_SLACK_SECONDS) {
      throw new FieldError({ trimOut: 'must be within the replay' });
    }
  }

  /** After a change of settings: the film goes once the event is over, and the event shows what the public may see. */
  private async afterSettings(event: Event, paths: RecordingPaths, manifest: ReplayManifest, record: ReplayRecord): Promise<ReplayRecord> {
    let current = manifest;
    let saved = record;
    if (event.status === 'ended' && record.state === 'ready') {
      const film = filmSegments(manifest, settingsOf(record));
      if (film.size > 0) {
        current = await removeSegments(paths, manifest, film, this.options.onStep);
        saved = await this.save(event.id, await this.measure(paths, current, settingsOf(record)));
      }
    }
    await this.syncEvent(event.id, saved, current);
    return saved;
  }

  private async measure(paths: RecordingPaths, manifest: ReplayManifest, settings: ReplaySettings): Promise<ReplayPatch> {
    return {
      durationSeconds: untrimmed(manifest, settings).fullDuration || totalSeconds(manifest.renditions[0]?.segments ?? []),
      bytes: await folderBytes(paths.replay),
    };
  }

  /** The event's `replayUrl` (while published and watchable) and `thumbnailUrl`, set through the programme. */
  private async syncEvent(eventId: string, record: ReplayRecord, manifest: ReplayManifest): Promise<void> {
    const event = await this.store.programme.getEvent(eventId);
    if (!event) return;
    const ours = this.replayUrl(eventId);
    const watchable = record.state === 'ready' && record.published && cutReplay(manifest, settingsOf(record)).map.spans.length > 0;
    const media: { replayUrl?: string | null; thumbnailUrl?: string | null } = {};
    if (watchable && event.replayUrl !== ours) media.replayUrl = ours;
    // Unpublishing takes our replay away; a replay an admin pasted by hand is theirs to remove.
    if (!watchable && event.replayUrl === ours) media.replayUrl = null;
    const picture = record.thumbnail ? this.thumbnailUrl(eventId, record.thumbnail) : undefined;
    if (picture && event.thumbnailUrl !== picture) media.thumbnailUrl = picture;
    if (Object.keys(media).length > 0) await this.programme.setReplayMedia(eventId, media);
  }

  /** The event's chosen thumbnail if its file is there, or one taken a tenth into the replay. */
  private async defaultThumbnail(paths: RecordingPaths, manifest: ReplayManifest, record: ReplayRecord): Promise<string | null> {
    if (record.thumbnail && (await exists(join(paths.thumbs, record.thumbnail)))) return record.thumbnail;
    const { map } = cutReplay(manifest, settingsOf(record));
    const instant = instantAlong(map, spansSeconds(map) * DEFAULT_THUMBNAIL_AT);
    if (instant === null) return null;
    try {
      return await this.takeFrame(paths, manifest, instant);
    } catch (err) {
      // A replay without a picture is still a replay: the card shows none, and an admin can try again.
      this.log.warn({ err, eventId: manifest.eventId }, 'could not take the replay thumbnail');
      return null;
    }
  }

  /** A frame of the reference rendition at `instant`, as `thumbs/<seconds since the recording began>.jpg`. */
  private async takeFrame(paths: RecordingPaths, manifest: ReplayManifest, instant: number): Promise<string> {
    const seconds = Math.max(0, Math.round((instant - Date.parse(manifest.startedAt)) / 1000));
    const file = `${seconds}.jpg`;
    const target = join(paths.thumbs, file);
    // A name is never rewritten (thumbnails are cached as immutable): the same second is the same picture.
    if (await exists(target)) return file;
    const at = Date.parse(manifest.startedAt) + seconds * 1000;
    const found = segmentAt(manifest.renditions[0]?.segments ?? [], at);
    if (!found) throw new Error(`no segment holds ${new Date(at).toISOString()}`);
    await mkdir(paths.thumbs, { recursive: true });
    await this.options.grabFrame(join(paths.replay, found.segment.file), found.seconds, target);
    return file;
  }

  private async deleteRecordings(eventId: string): Promise<void> {
    if (!SAFE_NAME.test(eventId)) return;
    await this.serial(eventId, async () => {
      await rm(recordingPaths(this.options.recordingsDir, eventId).event, { recursive: true, force: true });
      this.#records.delete(eventId);
    });
  }
}

/** The instant `seconds` into the replay's spans laid end to end (the lead-in before the first span skipped). */
function instantAlong(map: ReplayMap, seconds: number): number | null {
  let left = seconds;
  for (const span of map.spans) {
    if (left <= span.duration) return instantAt(map, span.offset + left);
    left -= span.duration;
  }
  return null;
}

/** The segment that was live at `instant`, and how far into it; the nearest one when the instant fell in a gap. */
function segmentAt(segments: readonly ManifestSegment[], instant: number): { segment: ManifestSegment; seconds: number } | undefined {
  let nearest: { segment: ManifestSegment; seconds: number } | undefined;
  for (const segment of segments) {
    const start = Date.parse(segment.programDateTime);
    const end = start + segment.duration * 1000;
    if (instant >= start && instant < end) return { segment, seconds: (instant - start) / 1000 };
    if (instant >= end) nearest = { segment, seconds: Math.max(0, segment.duration - 0.1) };
    else return nearest ?? { segment, seconds: 0 };
  }
  return nearest;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}
