import { describe, expect, it } from 'vitest';
import { readChapters } from '../../test/webvtt';
import { chaptersVtt, vttTimestamp } from './chapters-vtt';

describe('chapters as WebVTT', () => {
  it('writes timings with hours and milliseconds, whatever the length', () => {
    expect(vttTimestamp(0)).toBe('00:00:00.000');
    expect(vttTimestamp(754.25)).toBe('00:12:34.250');
    expect(vttTimestamp(3600 * 27 + 61.0004)).toBe('27:01:01.000');
  });

  it('writes a file a strict reader takes, with what an asker typed kept as text', () => {
    const file = chaptersVtt([
      { questionId: 'q1', title: 'Les <i>bandes</i> dessinées & vous ?', start: 12, end: 75.5 },
      { questionId: 'q2', title: 'Sur deux\n\nlignes --> et plus', start: 75.5, end: 600 },
    ]);
    expect(file.startsWith('WEBVTT\n\n')).toBe(true);
    expect(readChapters(file)).toEqual([
      { id: 'q1', start: 12, end: 75.5, text: 'Les <i>bandes</i> dessinées & vous ?' },
      { id: 'q2', start: 75.5, end: 600, text: 'Sur deux lignes --> et plus' },
    ]);
  });

  it('writes a valid file without chapters', () => {
    expect(readChapters(chaptersVtt([]))).toEqual([]);
  });
});
