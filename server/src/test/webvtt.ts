/*
 * A small, strict reader of WebVTT chapter files, for tests: it refuses what the WebVTT spec's syntax rules refuse
 * (https://www.w3.org/TR/webvtt1/#file-structure) rather than skipping it as a browser's lenient parser would, so that
 * a test fails on a file a player might misread.
 */

export interface VttCue {
  /** The cue identifier line, or null without one. */
  id: string | null;
  /** Seconds. */
  start: number;
  end: number;
  /** The cue text with its character references resolved. */
  text: string;
}

const TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;

function seconds(stamp: string): number {
  const m = TIMESTAMP.exec(stamp);
  if (!m) throw new Error(`Not a WebVTT timestamp: ${JSON.stringify(stamp)}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

function unescape(text: string): string {
  if (/</.test(text)) throw new Error(`A cue text holds a tag or a raw "<": ${JSON.stringify(text)}`);
  return text.replace(/&[^;\s]*;?/g, (ref) => {
    const known: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&nbsp;': '\u00a0', '&lrm;': '\u200e', '&rlm;': '\u200f' };
    const value = known[ref];
    if (value === undefined) throw new Error(`A cue text holds a raw "&" or an unknown reference: ${JSON.stringify(ref)}`);
    return value;
  });
}

/**
 * The cues of a WebVTT file meant for `<track kind="chapters">`: a `WEBVTT` header, then blocks separated by blank
 * lines, each an optional identifier, a timings line (start before end) and at least one line of text. Chapters must
 * come in order and must not overlap.
 */
export function readChapters(file: string): VttCue[] {
  return readCues(file, { chapters: true });
}

/**
 * The cues of a WebVTT file meant for `<track kind="captions">`: the same syntax, NOTE blocks skipped, cues in order
 * of their start (captions may overlap).
 */
export function readCaptions(file: string): VttCue[] {
  return readCues(file, { chapters: false });
}

function readCues(file: string, { chapters }: { chapters: boolean }): VttCue[] {
  if (file.startsWith('\ufeff')) file = file.slice(1);
  const blocks = file.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const header = blocks.shift() ?? '';
  if (!/^WEBVTT(?:[ \t][^\n]*)?$/.test(header.split('\n')[0]!)) throw new Error('The file does not start with WEBVTT');
  if (header.includes('-->')) throw new Error('The header block holds a cue');
  const cues: VttCue[] = [];
  for (const block of blocks) {
    if (block.trim() === '') continue;
    if (!chapters && /^NOTE(?:[ \t\n]|$)/.test(block)) {
      if (block.includes('-->')) throw new Error('A NOTE holds "-->"');
      continue;
    }
    const lines = block.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
    let id: string | null = null;
    if (!lines[0]!.includes('-->')) {
      id = lines.shift()!;
      if (id.trim() === '') throw new Error('An empty cue identifier');
    }
    const timing = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?$/.exec(lines.shift() ?? '');
    if (!timing) throw new Error(`A cue without timings: ${JSON.stringify(block)}`);
    const start = seconds(timing[1]!);
    const end = seconds(timing[2]!);
    if (!(end > start)) throw new Error(`A cue ends before it starts: ${timing[0]}`);
    if (lines.length === 0) throw new Error(`A cue without text: ${timing[0]}`);
    if (lines.some((line) => line.includes('-->'))) throw new Error(`A cue text holds "-->": ${JSON.stringify(block)}`);
    const previous = cues.at(-1);
    if (previous && start < (chapters ? previous.end : previous.start)) throw new Error(`Cues overlap or are out of order at ${timing[0]}`);
    cues.push({ id, start, end, text: unescape(lines.join('\n')) });
  }
  return cues;
}
