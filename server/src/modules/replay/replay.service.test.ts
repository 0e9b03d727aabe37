import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '#shared/domain/event';
import { offsetAt, type ReplayMap } from '#shared/domain/replay-map';
import type { User } from '#shared/domain/user';
import { AuditLog } from '../../core/audit';
import { DomainError } from '../../core/errors';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { testEvent } from '../../test/staff';
import { AccessPolicy } from '../access/policy';
import { allProgrammeListeners, ProgrammeService } from '../programme/programme.service';
import type { AssemblyStep } from './assembly';
import type { ReplayManifest } from './manifest';
import { PreviewTokens } from './preview-token';
import { recordingPaths } from './recordings';
import { ReplayService } from './replay.service';
import { probe, recordSession } from './test-recording';
import { ffmpegFrameGrabber } from './thumbnails';

const T0 = Date.parse('2026-12-01T19:00:00.000Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const EVENT = 'cine-chili';
const admin: User = { id: 'acct_admin', displayName: 'Bibliothécaire', role: 'admin' };
const moderator: User = { id: 'acct_mod', displayName: 'Modératrice', role: 'staff' };
const guest: User = { id: 'guest_1', displayName: 'Ana', role: 'guest' };

/** Two sessions recorded once by ffmpeg: 0–6 s live (three 2 s segments), then after a 3 s drop, 9–13 s (two). */
let fixture: string;

beforeAll(async () => {
  fixture = await mkdtemp(join(tmpdir(), 'parvis-recording-'));
  await recordSession(fixture, { session: 1, seconds: 6, startsAt: T0 });
  await recordSession(fixture, { session: 2, seconds: 4, startsAt: T0 + 9000 });
}, 60_000);

afterAll(async () => {
  await rm(fixture, { recursive: true, force: true });
});

/** A store, the programme and the replay on a fresh copy of the recording: one Parvis process, as far as the replay goes. */
class World {
  readonly recordingsDir: string;
  readonly store: Store;
  readonly programme: ProgrammeService;
  replays: ReplayService;
  /** Where an assembly must stop as if the process died: the step, and how many times to let it pass first. */
  crashAt: { step: AssemblyStep; after: number } | null = null;
  readonly changes: Event[] = [];

  constructor(readonly root: string) {
    this.recordingsDir = join(root, 'media');
    this.store = openSqliteStore(':memory:');
    const audit = new AuditLog(this.store);
    const policy = new AccessPolicy(this.store);
    this.programme = new ProgrammeService(
      this.store,
      audit,
      allProgrammeListeners(
        {
          eventChanged: async (event) => void this.changes.push(event),
          eventDeleted: async () => undefined,
        },
        {
          eventChanged: (event, before) => this.replays.programmeListener().eventChanged(event, before),
          eventDeleted: (id) => this.replays.programmeListener().eventDeleted(id),
        },
      ),
    );
    this.replays = this.startReplays(audit, policy);
  }

  /** The replay service as a (re)started process makes it. */
  startReplays(audit = new AuditLog(this.store), policy = new AccessPolicy(this.store)): ReplayService {
    let seen = 0;
    return new ReplayService({
      store: this.store,
      programme: this.programme,
      audit,
      policy,
      recordingsDir: this.recordingsDir,
      previews: new PreviewTokens('a test secret that is long enough to sign with'),
      grabFrame: ffmpegFrameGrabber(),
      log: pino({ level: 'silent' }),
      onStep: (step) => {
        if (this.crashAt?.step === step && seen++ === this.crashAt.after) throw new Error(`crash after ${step}`);
      },
    });
  }

  static async open(event: Partial<Event> = {}): Promise<World> {
    const world = new World(await mkdtemp(join(tmpdir(), 'parvis-replay-')));
    await cp(fixture, recordingPaths(world.recordingsDir, EVENT).event, { recursive: true });
    await world.store.programme.saveProgramme([], [testEvent(EVENT, { kind: 'cine_conference', status: 'live', replayUrl: undefined, ...event })]);
    await world.store.accounts.grantRole({ eventId: EVENT, userId: moderator.id, displayName: moderator.displayName, role: 'moderator', grantedAt: iso(0) });
    return world;
  }

  get paths() {
    return recordingPaths(this.recordingsDir, EVENT);
  }

  event(): Promise<Event> {
    return this.programme.getEvent(EVENT);
  }

  /** A moderator ends the event, and the replay is assembled in the background. */
  async end(): Promise<void> {
    await this.programme.setStatus(moderator, EVENT, 'ended');
    await this.replays.idle();
  }

  async manifest(): Promise<ReplayManifest> {
    return JSON.parse(await readFile(this.paths.manifest, 'utf8')) as ReplayManifest;
  }

  /** Every file under the event's folder, relative, sorted: what the disk says. */
  async files(): Promise<string[]> {
    const entries = await readdir(this.paths.event, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(this.paths.event, join(e.parentPath, e.name)))
      .sort();
  }

  /** Everything a person or a later request would see of the replay. */
  async outcome() {
    const event = await this.event();
    return {
      files: await this.files(),
      manifest: await this.manifest(),
      record: await this.store.replays.get(EVENT),
      replayUrl: event.replayUrl,
      thumbnailUrl: event.thumbnailUrl,
      map: await this.adminMap(),
    };
  }

  /** The map as an admin gets it, whether published or not. */
  async adminMap(): Promise<ReplayMap> {
    const map = await this.replays.map(EVENT, admin);
    if (!map) throw new Error('an admin always gets the replay map');
    return map;
  }

  async close(): Promise<void> {
    await this.replays.idle();
    await this.store.close();
    await rm(this.root, { recursive: true, force: true });
  }
}

describe('assembling the replay', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('moves both sessions into one replay, keeps when each moment was live, and deletes the sessions', async () => {
    world = await World.open();
    await world.end();
    const record = await world.store.replays.get(EVENT);
    expect(record).toMatchObject({ state: 'ready', durationSeconds: 10, published: true, thumbnail: '1.jpg' });
    expect(record!.bytes).toBeGreaterThan(100_000);

    const files = await world.files();
    expect(files.filter((f) => f.startsWith('sessions'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts'))).toHaveLength(10);
    expect(files).toContain('replay/1-source_00000.ts');
    expect(files).toContain('replay/2-360p_00001.ts');
    expect(files).toContain('thumbs/1.jpg');

    const manifest = await world.manifest();
    expect(manifest.renditions.map((r) => r.name)).toEqual(['source', '360p']);
    expect(manifest.renditions[0]!.resolution).toEqual({ width: 320, height: 180 });
    expect(manifest.renditions[0]!.segments.map((s) => [s.programDateTime, s.session])).toEqual([
      [iso(0), 1],
      [iso(2), 1],
      [iso(4), 1],
      [iso(9), 2],
      [iso(11), 2],
    ]);

    expect(await world.replays.map(EVENT, admin)).toEqual({
      spans: [
        { offset: 0, at: iso(0), duration: 6 },
        { offset: 6, at: iso(9), duration: 4 },
      ],
    });
    const event = await world.event();
    expect(event.replayUrl).toBe('/media/events/cine-chili/replay/master.m3u8');
    expect(event.thumbnailUrl).toBe('/media/events/cine-chili/thumbs/1.jpg');
    // The programme heard of it, so the programme and the room show it at once.
    expect(world.changes.at(-1)?.replayUrl).toBe(event.replayUrl);
    expect(await probe(join(world.paths.thumbs, '1.jpg'))).toMatchObject({ codecs: ['mjpeg'], width: 320, height: 180 });
  });

  it('adds what a session gained after an assembly at the next one, the disk being the state', async () => {
    world = await World.open();
    const later = join(world.root, 'session-2');
    await rename(join(world.paths.sessions, '2'), later);
    await world.end();
    expect((await world.replays.map(EVENT, admin))?.spans).toEqual([{ offset: 0, at: iso(0), duration: 6 }]);

    // The event went live again, and its second session is recorded: the next end completes the same replay.
    await mkdir(world.paths.sessions);
    await rename(later, join(world.paths.sessions, '2'));
    await world.replays.assemble(EVENT);
    expect((await world.replays.map(EVENT, admin))?.spans).toEqual([
      { offset: 0, at: iso(0), duration: 6 },
      { offset: 6, at: iso(9), duration: 4 },
    ]);
    expect((await world.files()).filter((f) => f.startsWith('sessions'))).toEqual([]);
  });

  it('leaves a broadcast still on to the ingest, and assembles once the ingest says it is over', async () => {
    world = await World.open();
    // A moderator ends the event while OBS still sends: the ingest's sweeper stops the transcoder first.
    await world.store.ingest.startPublish(EVENT, { publisherId: 'nginx:1', at: iso(0) });
    await world.end();
    expect(await world.store.replays.get(EVENT)).toBeUndefined();
    expect((await world.files()).filter((f) => f.startsWith('sessions/'))).not.toEqual([]);
    // Nor does a restart take it over.
    await world.replays.recover();
    expect(await world.store.replays.get(EVENT)).toBeUndefined();

    await world.store.ingest.finish(EVENT, { at: iso(20) });
    await world.replays.broadcastEnded(EVENT);
    await world.replays.idle();
    expect(await world.store.replays.get(EVENT)).toMatchObject({ state: 'ready', durationSeconds: 10 });
  });

  it('leaves an event that recorded nothing without a replay', async () => {
    world = await World.open();
    await rm(world.paths.event, { recursive: true });
    await world.end();
    expect(await world.store.replays.get(EVENT)).toBeUndefined();
    expect((await world.event()).replayUrl).toBeUndefined();
    expect(await world.replays.info(EVENT, null)).toEqual({ state: 'none', published: false, durationSeconds: 0, map: { spans: [] } });
  });

  describe('stopped by a crash, finished by the next start', () => {
    // A ciné-conférence whose film may only be shown live: every step of the assembly and of the film's deletion.
    const film = async (w: World) => {
      await w.replays.markTalkStarts(moderator, EVENT, iso(2.5));
      await w.replays.updateSettings(admin, EVENT, { filmRights: 'live-only' });
    };
    let reference: Awaited<ReturnType<World['outcome']>>;

    beforeAll(async () => {
      const clean = await World.open();
      await film(clean);
      await clean.end();
      reference = await clean.outcome();
      await clean.close();
      // The film (the first 2 s segment of each rendition) is gone; the rest is there, once.
      expect(reference.files.filter((f) => f.endsWith('.ts'))).toHaveLength(8);
      expect(reference.files).not.toContain('replay/1-source_00000.ts');
    }, 60_000);

    it.each([
      ['planned', 0],
      ['moved', 0],
      ['moved', 6],
      ['manifest-written', 0],
      ['manifest', 0],
      ['session-deleted', 0],
      ['session-deleted', 1],
      ['film-listed', 0],
      ['film-deleted', 0],
      ['film-deleted', 1],
    ] as const)('after %s (%i before it) gives the same replay', async (step, after) => {
      world = await World.open();
      await film(world);
      world.crashAt = { step, after };
      await world.programme.setStatus(moderator, EVENT, 'ended');
      await world.replays.idle();
      expect((await world.store.replays.get(EVENT))?.state).toBe('failed');

      // The process is gone; a new one starts on the same store and disk, and looks for work left.
      world.crashAt = null;
      world.replays = world.startReplays();
      await world.replays.recover();
      expect(await world.outcome()).toEqual(reference);
    }, 60_000);
  });
});

describe('what admins and moderators decide', () => {
  let world: World;
  beforeEach(async () => {
    world = await World.open();
  });
  afterEach(async () => {
    await world.close();
  });

  it('trims to whole segments, shifts the map by the exact trim, and undoes it', async () => {
    await world.end();
    const before = await world.outcome();
    const info = await world.replays.updateSettings(admin, EVENT, { trimIn: 3, trimOut: 8.5 });
    expect(info).toMatchObject({ trimIn: 3, trimOut: 8.5, fullDurationSeconds: 10, durationSeconds: 5.5 });
    expect(info.map.spans).toEqual([
      { offset: 1, at: iso(3), duration: 3 },
      { offset: 4, at: iso(9), duration: 2.5 },
    ]);
    // A chat message said 10 s after the start was 6 s into the replay; trimmed, it is 5 s into it.
    expect(offsetAt(before.map, iso(10))).toBe(7);
    expect(offsetAt(info.map, iso(10))).toBe(5);
    // Nothing on disk changed: trimming is undone at once.
    expect(await world.files()).toEqual(before.files);
    const undone = await world.replays.updateSettings(admin, EVENT, { trimIn: null, trimOut: null });
    expect(undone.map).toEqual(before.map);
  });

  it('refuses an out point before the in point, or trims outside the replay', async () => {
    await world.end();
    await expect(world.replays.updateSettings(admin, EVENT, { trimIn: 5, trimOut: 4 })).rejects.toMatchObject({
      code: 'INVALID_PAYLOAD',
      fields: { trimOut: 'must be after the in point' },
    });
    await expect(world.replays.updateSettings(admin, EVENT, { trimIn: 10 })).rejects.toMatchObject({ fields: { trimIn: expect.any(String) } });
    await expect(world.replays.updateSettings(admin, EVENT, { trimOut: 11 })).rejects.toMatchObject({ fields: { trimOut: expect.any(String) } });
    expect((await world.store.replays.get(EVENT))?.trimIn).toBeNull();
  });

  it('keeps a live-only film out of the replay and deletes its segments once the event is over', async () => {
    await world.replays.updateSettings(admin, EVENT, { filmRights: 'live-only' });
    await world.replays.markTalkStarts(moderator, EVENT, iso(2.5));
    // During the live nothing is deleted: the film is still being shown.
    expect((await world.files()).filter((f) => f.endsWith('.ts'))).toHaveLength(10);
    await world.end();
    const files = await world.files();
    expect(files).not.toContain('replay/1-source_00000.ts');
    expect(files).not.toContain('replay/1-360p_00000.ts');
    expect(files.filter((f) => f.endsWith('.ts'))).toHaveLength(8);
    const manifest = await world.manifest();
    expect(manifest.renditions.every((r) => r.segments.every((s) => s.file !== `1-${r.name}_00000.ts`))).toBe(true);
    expect(manifest.deleted).toEqual([]);
    const info = await world.replays.adminInfo(EVENT);
    expect(info).toMatchObject({ talkStartsAt: iso(2.5), talkOffset: 0.5, fullDurationSeconds: 8, durationSeconds: 7.5 });
    expect(info.map.spans[0]).toEqual({ offset: 0.5, at: iso(2.5), duration: 3.5 });
    expect((await world.store.replays.get(EVENT))?.durationSeconds).toBe(8);
  });

  it('cuts the film when its rights are set after the end, the trims keeping their moments', async () => {
    await world.end();
    await world.replays.updateSettings(admin, EVENT, { trimIn: 5, trimOut: 9 });
    await world.replays.markTalkStarts(moderator, EVENT, iso(2.5));
    const before = await world.replays.adminInfo(EVENT);
    const after = await world.replays.updateSettings(admin, EVENT, { filmRights: 'live-only' });
    // The untrimmed replay now begins 2 s later: the same moments are 2 s earlier in it.
    expect(after).toMatchObject({ trimIn: 3, trimOut: 7 });
    expect(after.map).toEqual(before.map);
    expect(await world.files()).not.toContain('replay/1-source_00000.ts');
  });

  it('keeps an unpublished replay from the public and lets admins preview it', async () => {
    await world.end();
    await world.replays.updateSettings(admin, EVENT, { published: false });
    expect((await world.event()).replayUrl).toBeUndefined();
    expect(await world.replays.info(EVENT, null)).toMatchObject({ state: 'none', map: { spans: [] } });
    expect(await world.replays.info(EVENT, moderator)).toMatchObject({ state: 'none' });
    // Nor is anything laid out on it for them: no map to place the timeline and the chapters on.
    for (const viewer of [null, guest, moderator]) expect(await world.replays.map(EVENT, viewer)).toBeNull();
    expect((await world.adminMap()).spans).toHaveLength(2);
    const preview = await world.replays.info(EVENT, admin);
    expect(preview).toMatchObject({ state: 'ready', published: false, durationSeconds: 10 });
    expect(preview.url).toMatch(/^\/media\/events\/cine-chili\/replay\/master\.m3u8\?preview=\d+\.[\w-]{43}$/);

    await world.replays.updateSettings(admin, EVENT, { published: true });
    expect((await world.event()).replayUrl).toBe('/media/events/cine-chili/replay/master.m3u8');
    expect(await world.replays.info(EVENT, guest)).toMatchObject({ state: 'ready', url: '/media/events/cine-chili/replay/master.m3u8' });
    expect((await world.replays.map(EVENT, guest))?.spans).toHaveLength(2);
  });

  it('assembles a live-only film nobody marked the end of unpublished, for an admin to decide', async () => {
    await world.replays.updateSettings(admin, EVENT, { filmRights: 'live-only' });
    await world.end();
    expect(await world.store.replays.get(EVENT)).toMatchObject({ state: 'ready', published: false });
    expect((await world.event()).replayUrl).toBeUndefined();
    expect((await world.files()).filter((f) => f.endsWith('.ts'))).toHaveLength(10);
  });

  it('takes thumbnails that ffprobe reads as JPEG pictures, and makes the chosen one the event’s', async () => {
    await world.end();
    const thumbnails = await world.replays.takeThumbnails(admin, EVENT, 4);
    // Evenly over the 10 s played: 1.25 s, 3.75 s, then 6.25 s and 8.75 s of play, which were live at 9.25 s and 11.75 s.
    expect(thumbnails.map((t) => t.file)).toEqual(['1.jpg', '4.jpg', '9.jpg', '12.jpg']);
    expect(thumbnails.map((t) => t.offset)).toEqual([1, 4, 6, 9]);
    for (const t of thumbnails) {
      expect(await probe(join(world.paths.thumbs, t.file))).toMatchObject({ codecs: ['mjpeg'], width: 320, height: 180 });
    }
    const info = await world.replays.chooseThumbnail(admin, EVENT, '9.jpg');
    expect(info.thumbnail).toMatchObject({ file: '9.jpg', at: iso(9), offset: 6 });
    expect((await world.event()).thumbnailUrl).toBe('/media/events/cine-chili/thumbs/9.jpg');
    await expect(world.replays.chooseThumbnail(admin, EVENT, '77.jpg')).rejects.toBeInstanceOf(DomainError);
    const entries = await world.store.audit.list({ limit: 10 });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['replay.thumbnails', 'replay.thumbnail']));
  }, 60_000);

  it('counts the disk the event takes, before and after the assembly', async () => {
    const sizes = async (dir: string): Promise<number> => {
      let total = 0;
      for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (e.isFile()) total += (await stat(join(e.parentPath, e.name))).size;
      }
      return total;
    };
    const { diskUsage } = await import('./recordings');
    expect(await diskUsage(world.recordingsDir, EVENT)).toBe(await sizes(world.paths.event));
    await world.end();
    expect(await diskUsage(world.recordingsDir, EVENT)).toBe(await sizes(world.paths.event));
    expect(await world.replays.usage()).toEqual({
      events: [{ eventId: EVENT, title: `Test event ${EVENT}`, bytes: await sizes(world.paths.event) }],
      totalBytes: await sizes(world.paths.event),
    });
    expect(await diskUsage(world.recordingsDir, 'no-such-event')).toBe(0);
  });

  it('records the talk’s start only during or after the event, and deletes the recordings with the event', async () => {
    await world.store.programme.saveProgramme([], [{ ...(await world.event()), status: 'scheduled' }]);
    await expect(world.replays.markTalkStarts(moderator, EVENT)).rejects.toMatchObject({ code: 'CONFLICT' });
    await world.programme.deleteEvent(admin, EVENT);
    await world.replays.idle();
    await expect(stat(world.paths.event)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
