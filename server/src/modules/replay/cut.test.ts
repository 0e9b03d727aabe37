import { describe, expect, it } from 'vitest';
import { offsetAt, replayDuration } from '#shared/domain/replay-map';
import { cutReplay, filmSegments, untrimmed, type ReplaySettings } from './cut';
import type { ManifestRendition, ReplayManifest } from './manifest';
import { renderMaster, renderMedia } from './playlists';

const T0 = Date.parse('2026-12-01T19:00:00.000Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** Session 1: 0–6 s live, three 2 s segments; the publisher dropped for 3 s; session 2: 9–13 s, two segments. */
function rendition(name: string, shift = 0): ManifestRendition {
  const session = (n: number, start: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      file: `${n}-${name}_0000${i}.ts`,
      duration: 2,
      programDateTime: iso(start + shift + 2 * i),
      session: n,
    }));
  return { name, bandwidth: 800_000, segments: [...session(1, 0, 3), ...session(2, 9, 2)] };
}

const manifest: ReplayManifest = {
  version: 1,
  eventId: 'e1',
  startedAt: iso(0),
  renditions: [rendition('source'), rendition('360p')],
  deleted: [],
};

const settings = (extra: Partial<ReplaySettings> = {}): ReplaySettings => ({
  trimIn: null,
  trimOut: null,
  talkStartsAt: null,
  filmRights: 'replay',
  ...extra,
});

const files = (cut: ReturnType<typeof cutReplay>, index = 0) => cut.renditions[index]!.segments.map((s) => s.file);

describe('the replay as it plays (trims and the film cut)', () => {
  it('plays every session back to back, each a span of the map at the instant it was live', () => {
    const cut = cutReplay(manifest, settings());
    expect(cut.map.spans).toEqual([
      { offset: 0, at: iso(0), duration: 6 },
      { offset: 6, at: iso(9), duration: 4 },
    ]);
    expect(cut.fullDuration).toBe(10);
    expect(files(cut)).toHaveLength(5);
    expect(files(cut, 1)).toEqual(manifest.renditions[1]!.segments.map((s) => s.file));
  });

  it('keeps whole segments around a trim and holds the exact in and out points in the map', () => {
    const cut = cutReplay(manifest, settings({ trimIn: 3, trimOut: 8.5 }));
    // In at 3 s rounds down to the segment starting at 2 s; out at 8.5 s (in session 2) up to the end of its segment.
    expect(files(cut)).toEqual(['1-source_00001.ts', '1-source_00002.ts', '2-source_00000.ts', '2-source_00001.ts']);
    expect(files(cut, 1)).toEqual(['1-360p_00001.ts', '1-360p_00002.ts', '2-360p_00000.ts', '2-360p_00001.ts']);
    // The video starts 1 s before the exact in point: the map says so, and the player starts there.
    expect(cut.map.spans).toEqual([
      { offset: 1, at: iso(3), duration: 3 },
      { offset: 4, at: iso(9), duration: 2.5 },
    ]);
    expect(offsetAt(cut.map, iso(10))).toBe(5);
    // Said before the in point or after the out point: not in the replay.
    expect(offsetAt(cut.map, iso(2.5))).toBeNull();
    expect(offsetAt(cut.map, iso(12))).toBeNull();
    expect(replayDuration(cut.map)).toBe(6.5);
  });

  it('lists nothing of a session that a trim leaves out entirely', () => {
    const cut = cutReplay(manifest, settings({ trimIn: 6 }));
    expect(files(cut)).toEqual(['2-source_00000.ts', '2-source_00001.ts']);
    expect(cut.map.spans).toEqual([{ offset: 0, at: iso(9), duration: 4 }]);
  });

  it('starts a live-only film’s replay where the talk starts, and counts the trims from there', () => {
    const film = settings({ filmRights: 'live-only', talkStartsAt: iso(2.5) });
    const whole = untrimmed(manifest, film);
    expect(whole.talkOffset).toBe(0.5);
    expect(whole.fullDuration).toBe(8);
    expect(files(whole)[0]).toBe('1-source_00001.ts');
    expect(whole.map.spans[0]).toEqual({ offset: 0.5, at: iso(2.5), duration: 3.5 });
    expect(offsetAt(whole.map, iso(1))).toBeNull();

    // Trims are seconds of this untrimmed replay, which begins with the segment of the talk's start.
    // 2.5 s into it: 0.5 s into the segment live from 4 s.
    const trimmed = cutReplay(manifest, { ...film, trimIn: 2.5 });
    expect(files(trimmed)[0]).toBe('1-source_00002.ts');
    expect(trimmed.map.spans[0]).toEqual({ offset: 0.5, at: iso(4.5), duration: 1.5 });
    // A trim before the talk's start does not bring the film back.
    expect(cutReplay(manifest, { ...film, trimIn: 0.1 }).map.spans[0]!.at).toBe(iso(2.5));
  });

  it('names the film’s segments in every rendition, and none when nothing is cut or nothing would remain', () => {
    expect(filmSegments(manifest, settings({ filmRights: 'live-only', talkStartsAt: iso(4) }))).toEqual(
      new Set(['1-source_00000.ts', '1-source_00001.ts', '1-360p_00000.ts', '1-360p_00001.ts']),
    );
    expect(filmSegments(manifest, settings({ filmRights: 'replay', talkStartsAt: iso(4) }))).toEqual(new Set());
    expect(filmSegments(manifest, settings({ filmRights: 'live-only' }))).toEqual(new Set());
    expect(filmSegments(manifest, settings({ filmRights: 'live-only', talkStartsAt: iso(60) }))).toEqual(new Set());
  });

  it('plays nothing when the out point is not after the in point', () => {
    const cut = cutReplay(manifest, settings({ trimIn: 5, trimOut: 5 }));
    expect(cut.map.spans).toEqual([]);
    expect(cut.renditions).toEqual([]);
  });

  it('lists the same moments in a rendition whose segments are cut a little apart', () => {
    const skewed: ReplayManifest = { ...manifest, renditions: [rendition('source'), rendition('360p', 0.3)] };
    const cut = cutReplay(skewed, settings({ trimIn: 3, trimOut: 8.5 }));
    expect(files(cut, 1)).toEqual(['1-360p_00001.ts', '1-360p_00002.ts', '2-360p_00000.ts', '2-360p_00001.ts']);
  });

  it('writes a VOD playlist with every program date, and a discontinuity where a session begins', () => {
    const cut = cutReplay(manifest, settings({ trimIn: 3 }));
    const text = renderMedia(cut.renditions[0]!, '?preview=x');
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(text.match(/#EXT-X-PROGRAM-DATE-TIME:/g)).toHaveLength(4);
    expect(text).toContain(`#EXT-X-PROGRAM-DATE-TIME:${iso(9)}`);
    expect(text.match(/#EXT-X-DISCONTINUITY\n/g)).toHaveLength(1);
    expect(text.indexOf('#EXT-X-DISCONTINUITY\n')).toBeLessThan(text.indexOf('2-source_00000.ts?preview=x'));
    expect(text.indexOf('#EXT-X-DISCONTINUITY\n')).toBeGreaterThan(text.indexOf('1-source_00002.ts?preview=x'));
    const master = renderMaster(cut, '?preview=x');
    expect(master).toMatch(/#EXT-X-STREAM-INF:BANDWIDTH=800000\nsource\.m3u8\?preview=x/);
    expect(master).toContain('360p.m3u8?preview=x');
  });
});
