import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors';
import { parseIngestBody, youTubeTime } from './ingest-body';

const NOW = new Date('2026-12-01T18:30:00.000Z');

function refusal(body: string): string {
  try {
    parseIngestBody(body, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INVALID_PAYLOAD');
    return (err as DomainError).message;
  }
  throw new Error('the body was accepted');
}

describe('the body captioning software posts', () => {
  it('reads YouTube lines with their UTC timestamps, several in one POST, and <br> as a line break', () => {
    const body = '2026-12-01T18:29:58.120\nBonsoir à toutes<br>et à tous\n2026-12-01T18:29:59.500 region:reg1#cue1\nBienvenue.\n';
    expect(parseIngestBody(body, NOW)).toEqual([
      { startAt: '2026-12-01T18:29:58.120Z', text: 'Bonsoir à toutes\net à tous' },
      { startAt: '2026-12-01T18:29:59.500Z', text: 'Bienvenue.' },
    ]);
  });

  it('reads a Zoom body (plain text) as one line said when it arrived', () => {
    expect(parseIngestBody('Hello everyone,\r\nwelcome\r\nto the library', NOW)).toEqual([
      { startAt: NOW.toISOString(), text: 'Hello everyone,\nwelcome to the library' },
    ]);
  });

  it('refuses a body without text, a timestamp far from the server time, too long a line, and too many lines', () => {
    expect(refusal('')).toMatch(/no caption text/);
    expect(refusal('2026-12-01T18:29:58.120\n\n')).toMatch(/no caption text/);
    expect(refusal('2026-12-02T18:29:58.120\nhello')).toMatch(/12 hours/);
    expect(refusal('2026-13-01T18:29:58.120\nhello')).toMatch(/not a valid instant/);
    expect(refusal('x'.repeat(501))).toMatch(/500/);
    expect(refusal(Array.from({ length: 51 }, (_, i) => `2026-12-01T18:29:${String(i % 60).padStart(2, '0')}.000\nl${i}`).join('\n'))).toMatch(/50 lines/);
  });

  it('answers the time as YouTube does, without a zone', () => {
    expect(youTubeTime(NOW)).toBe('2026-12-01T18:30:00.000');
  });
});
