import { describe, expect, it } from 'vitest';
import type { CaptionCue } from '#shared/domain/caption';
import type { ReplayMap } from '#shared/domain/replay-map';
import { readCaptions } from '../../test/webvtt';
import { captionsVtt } from './captions-vtt';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 18, 0, 0) + s * 1000).toISOString();
function cue(id: string, start: number, end: number | null, text: string): CaptionCue {
  return { id, eventId: 'e', lang: 'fr', seq: 1, startAt: at(start), endAt: end === null ? null : at(end), text, source: 'ingest', editedAt: null };
}

describe('the captions of a replay as WebVTT', () => {
  // Two sessions: 0–100 s of the live, then a break, then 200–300 s, trimmed to start at 10 s.
  const map: ReplayMap = {
    spans: [
      { offset: 0, at: at(10), duration: 90 },
      { offset: 90, at: at(200), duration: 100 },
    ],
  };

  it('places each cue on the replay clock, until the next line or a few seconds at most', () => {
    const file = captionsVtt(
      [cue('a', 20, 22.5, 'Bonsoir'), cue('b', 22.5, 60, 'Bienvenue à la médiathèque'), cue('c', 210, null, 'Après la pause')],
      map,
    );
    expect(readCaptions(file)).toEqual([
      { id: 'a', start: 10, end: 12.5, text: 'Bonsoir' },
      { id: 'b', start: 12.5, end: 20.5, text: 'Bienvenue à la médiathèque' },
      { id: 'c', start: 100, end: 108, text: 'Après la pause' },
    ]);
  });

  it('leaves out what was trimmed away or said during the break, and cuts a cue at a trim', () => {
    const file = captionsVtt([cue('before', 0, 5, 'coupé'), cue('edge', 8, 14, 'à cheval'), cue('gap', 150, 155, 'pendant la pause')], map);
    expect(readCaptions(file)).toEqual([{ id: 'edge', start: 0, end: 4, text: 'à cheval' }]);
  });

  it('keeps two lines and escapes what could be read as markup', () => {
    const file = captionsVtt([cue('x', 20, 21, 'Tom & Jerry <b>\n--> suite')], map);
    expect(file).toContain('Tom &amp; Jerry &lt;b&gt;\n--&gt; suite');
    expect(readCaptions(file)[0]!.text).toBe('Tom & Jerry <b>\n--> suite');
  });
});
