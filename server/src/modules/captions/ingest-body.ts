import { CAPTION_MAX_LENGTH, normaliseCaptionText } from '#shared/domain/caption';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';

/*
 * The body captioning software posts (issue 12), in the two formats it already speaks:
 *
 * - YouTube's: lines of text, each preceded by a timestamp line `YYYY-MM-DDTHH:MM:SS.mmm` (UTC, no zone), which may
 *   be followed on the same line by a region (`region:reg1#cue1`), ignored here; `<br>` breaks a line. Several
 *   timestamped lines may come in one POST.
 * - Zoom's: the text alone (`Content-Type: text/plain`); the line is said when it arrives.
 *
 * Both give `seq` and (Zoom) `lang` in the query string; the body is parsed here, the rest by the routes.
 */

/** Lines one POST may carry: software sends one, or a few it held back while offline. */
export const INGEST_MAX_LINES = 50;
/** How far a captioner's timestamp may stray from the server's clock before the line is refused. */
export const INGEST_MAX_SKEW_MS = 12 * 3600_000;

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)Z?(?:\s.*)?$/;

export interface IngestLine {
  /** ISO instant with the zone: the captioner's timestamp, or `now` for a line without one. */
  startAt: string;
  text: string;
}

/** Refused with INVALID_PAYLOAD, whose message says what is wrong with the body. */
function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.INVALID_PAYLOAD, message);
}

/**
 * The lines of a caption POST, each with its instant. Throws INVALID_PAYLOAD for a body without text, with a
 * timestamp that is not a real instant or strays more than {@link INGEST_MAX_SKEW_MS} from `now`, with a line over
 * the length limit, or with too many lines.
 */
export function parseIngestBody(body: string, now: Date): IngestLine[] {
  const parts: Array<{ at: string | null; raw: string[] }> = [];
  for (const line of body.split(/\r\n|\r|\n/)) {
    const stamp = TIMESTAMP.exec(line.trim());
    if (stamp) {
      const at = Date.parse(`${stamp[1]}Z`);
      if (Number.isNaN(at)) throw invalid(`"${stamp[1]}" is not a valid instant`);
      if (Math.abs(at - now.getTime()) > INGEST_MAX_SKEW_MS) {
        throw invalid(`the timestamp ${stamp[1]} is more than 12 hours away from the server's time (${youTubeTime(now)}): it must be UTC`);
      }
      parts.push({ at: new Date(at).toISOString(), raw: [] });
    } else if (line.trim().length > 0) {
      if (parts.length === 0) parts.push({ at: null, raw: [] });
      parts.at(-1)!.raw.push(line);
    }
  }
  const lines = parts.flatMap(({ at, raw }) => {
    const text = normaliseCaptionText(raw.join('\n'));
    return text ? [{ startAt: at ?? now.toISOString(), text }] : [];
  });
  if (lines.length === 0) throw invalid('the body holds no caption text');
  if (lines.length > INGEST_MAX_LINES) throw invalid(`at most ${INGEST_MAX_LINES} lines may be sent at once`);
  const long = lines.find((l) => l.text.length > CAPTION_MAX_LENGTH);
  if (long) throw invalid(`a caption line must be at most ${CAPTION_MAX_LENGTH} characters`);
  return lines;
}

/** The server's time as YouTube answers it to captioning software: `YYYY-MM-DDTHH:MM:SS.mmm`, UTC, no zone. */
export function youTubeTime(now: Date): string {
  return now.toISOString().replace(/Z$/, '');
}
