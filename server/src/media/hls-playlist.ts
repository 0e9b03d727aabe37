// Just enough of RFC 8216 to loop a recording. A full parser (m3u8-parser, hls-parser) would be another dependency
// for the two playlist shapes ffmpeg and nginx-rtmp write; anything outside that subset is rejected loudly
// rather than served wrong.

/** A media segment of a VOD playlist, as written in the file. */
export interface Segment {
  /** As written: usually relative to the playlist. */
  uri: string;
  /** Seconds, from EXTINF. */
  duration: number;
}

export interface MediaPlaylist {
  version: number;
  targetDuration: number;
  independentSegments: boolean;
  /** URI of the EXT-X-MAP init section (fMP4 recordings), if any. */
  mapUri?: string;
  segments: Segment[];
  /** True when the playlist is complete (EXT-X-ENDLIST): only a finished recording can be looped. */
  ended: boolean;
}

export interface MasterPlaylist {
  /** The playlist text, kept so the live master can say exactly what the recording's master says. */
  lines: string[];
  /** URIs of the media playlists it references (variants and alternate renditions), as written. */
  mediaUris: string[];
}

export class PlaylistError extends Error {
  override name = 'PlaylistError';
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new PlaylistError('not an M3U8 playlist (missing #EXTM3U)');
  return lines;
}

function tagValue(line: string, tag: string): string | undefined {
  return line.startsWith(`${tag}:`) ? line.slice(tag.length + 1) : undefined;
}

function quotedAttribute(attributes: string, name: string): string | undefined {
  return new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(attributes)?.[1];
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const playlist: MediaPlaylist = { version: 1, targetDuration: 0, independentSegments: false, segments: [], ended: false };
  let pendingDuration: number | undefined;
  for (const line of splitLines(text)) {
    if (line === '' || (line.startsWith('#') && !line.startsWith('#EXT'))) continue;
    let value: string | undefined;
    if ((value = tagValue(line, '#EXT-X-VERSION')) !== undefined) playlist.version = Number(value);
    else if ((value = tagValue(line, '#EXT-X-TARGETDURATION')) !== undefined) playlist.targetDuration = Number(value);
    else if ((value = tagValue(line, '#EXTINF')) !== undefined) pendingDuration = Number.parseFloat(value);
    else if ((value = tagValue(line, '#EXT-X-MAP')) !== undefined) {
      if (playlist.segments.length > 0 || playlist.mapUri !== undefined) {
        throw new PlaylistError('only one EXT-X-MAP, before the first segment, is supported');
      }
      playlist.mapUri = quotedAttribute(value, 'URI');
    } else if (line === '#EXT-X-INDEPENDENT-SEGMENTS') playlist.independentSegments = true;
    else if (line === '#EXT-X-ENDLIST') playlist.ended = true;
    else if (line.startsWith('#EXT-X-BYTERANGE') || line.startsWith('#EXT-X-KEY')) {
      // Looping these would need them carried per segment; no recording we make uses them.
      throw new PlaylistError(`${line.split(':')[0]} is not supported`);
    } else if (!line.startsWith('#')) {
      if (pendingDuration === undefined || !Number.isFinite(pendingDuration) || pendingDuration <= 0) {
        throw new PlaylistError(`segment ${line} has no valid EXTINF`);
      }
      playlist.segments.push({ uri: line, duration: pendingDuration });
      pendingDuration = undefined;
    }
    // Other tags (MEDIA-SEQUENCE, PLAYLIST-TYPE, PROGRAM-DATE-TIME...) describe the recording, not the loop.
  }
  if (playlist.segments.length === 0) throw new PlaylistError('playlist has no segments');
  return playlist;
}

export function parseMasterPlaylist(text: string): MasterPlaylist {
  const lines = splitLines(text);
  const mediaUris: string[] = [];
  let expectVariantUri = false;
  for (const line of lines) {
    if (line.startsWith('#EXT-X-STREAM-INF:')) expectVariantUri = true;
    else if (line.startsWith('#EXT-X-MEDIA:')) {
      const uri = quotedAttribute(line.slice('#EXT-X-MEDIA:'.length), 'URI');
      if (uri !== undefined) mediaUris.push(uri);
    } else if (line !== '' && !line.startsWith('#')) {
      if (!expectVariantUri) throw new PlaylistError(`URI ${line} outside EXT-X-STREAM-INF`);
      mediaUris.push(line);
      expectVariantUri = false;
    } else if (line.startsWith('#EXTINF')) {
      throw new PlaylistError('this is a media playlist, not a master playlist');
    }
  }
  if (mediaUris.length === 0) throw new PlaylistError('master playlist lists no media playlists');
  return { lines, mediaUris };
}
