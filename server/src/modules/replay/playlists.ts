import HLS from 'hls-parser';
import type { CutReplay, CutRendition } from './cut';

/**
 * The replay's playlists, computed on each request from the manifest and the settings (cut.ts): a VOD with
 * `#EXT-X-ENDLIST`, `EXT-X-PROGRAM-DATE-TIME` on every segment as ffmpeg wrote it (the replay map and players rely on
 * it), and `EXT-X-DISCONTINUITY` where a new publishing session begins (its timestamps restart).
 *
 * `query` (e.g. `?preview=…`) is added to every URI, so that an admin's signed preview reaches the variants and the
 * segments too.
 */
export function renderMaster(cut: CutReplay, query = ''): string {
  const variants = cut.renditions
    .filter((r) => r.segments.length > 0)
    .map(
      ({ rendition: r }) =>
        new HLS.types.Variant({
          uri: `${r.name}.m3u8${query}`,
          bandwidth: r.bandwidth,
          ...(r.averageBandwidth !== undefined && { averageBandwidth: r.averageBandwidth }),
          ...(r.codecs && { codecs: r.codecs }),
          ...(r.resolution && { resolution: r.resolution }),
          ...(r.frameRate !== undefined && { frameRate: r.frameRate }),
        }),
    );
  return `${HLS.stringify(new HLS.types.MasterPlaylist({ version: 3, independentSegments: true, variants }))}\n`;
}

export function renderMedia({ rendition, segments }: CutRendition, query = ''): string {
  let discontinuitySequence = 0;
  const listed = segments.map((s, i) => {
    const discontinuity = i > 0 && s.session !== segments[i - 1]!.session;
    if (discontinuity) discontinuitySequence++;
    return new HLS.types.Segment({
      uri: `${s.file}${query}`,
      duration: s.duration,
      discontinuity,
      programDateTime: new Date(s.programDateTime),
      mediaSequenceNumber: i,
      discontinuitySequence,
    });
  });
  const playlist = new HLS.types.MediaPlaylist({
    // 3: fractional EXTINF.
    version: 3,
    // RFC 8216: every EXTINF, rounded to the nearest second, is at most the target duration.
    targetDuration: Math.max(1, ...rendition.segments.map((s) => Math.round(s.duration))),
    mediaSequenceBase: 0,
    discontinuitySequenceBase: 0,
    playlistType: 'VOD',
    endlist: true,
    independentSegments: true,
    segments: listed,
  });
  return `${HLS.stringify(playlist)}\n`;
}
