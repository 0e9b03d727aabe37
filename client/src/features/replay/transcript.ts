/** One line of a replay's transcript: a WebVTT cue, in seconds of the replay. */
export interface TranscriptLine {
  start: number;
  end: number;
  text: string;
}

const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{2}\.\d{3})\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}\.\d{3})/;

function seconds(stamp: string): number {
  const parts = stamp.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** What a cue's payload says, as plain text: tags (`<v Name>`, `<i>`) and entities taken out. */
function plain(payload: string): string {
  return payload
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * The cues of a WebVTT file, in order of start: enough of the format for the captions Parvis writes (and most
 * others): NOTE, STYLE and REGION blocks skipped, cue settings ignored, identifiers optional.
 */
export function parseVtt(text: string): TranscriptLine[] {
  const blocks = text.replace(/^\uFEFF/, '').split(/\r?\n(?:[ \t]*\r?\n)+/);
  const lines: TranscriptLine[] = [];
  for (const block of blocks) {
    const rows = block.split(/\r?\n/);
    const at = rows.findIndex((row) => TIMING.test(row));
    if (at < 0 || at > 1) continue;
    const [, from, to] = TIMING.exec(rows[at]!)!;
    const body = plain(rows.slice(at + 1).join('\n'));
    if (body) lines.push({ start: seconds(from!), end: seconds(to!), text: body });
  }
  return lines.sort((a, b) => a.start - b.start);
}

/** The line being said at `time`: the last that started at or before it, while it lasts; -1 before the first. */
export function currentLine(lines: readonly TranscriptLine[], time: number): number {
  let low = 0;
  let high = lines.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (lines[mid]!.start <= time) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found >= 0 && time < lines[found]!.end ? found : -1;
}

/** Case and accents do not matter to someone searching a transcript: "eleve" finds "Élève". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The indexes of the lines that hold every word of `query` (in any order); all of them for an empty query. */
export function searchTranscript(lines: readonly TranscriptLine[], query: string): number[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const all = lines.map((_, i) => i);
  if (words.length === 0) return all;
  return all.filter((i) => {
    const line = fold(lines[i]!.text);
    return words.every((w) => line.includes(w));
  });
}
