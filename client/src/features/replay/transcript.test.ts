import { describe, expect, it } from 'vitest';
import { currentLine, parseVtt, searchTranscript } from './transcript';

const VTT = `WEBVTT

NOTE made by Parvis

c1
00:00:01.000 --> 00:00:03.500
Bonsoir à toutes
et à tous.

00:00:04.000 --> 00:00:06.000 line:90%
<v Intervenante>L'élève &amp; le maître</v>

01:02:03.250 --> 01:02:05.000
Merci !
`;

describe('the replay transcript', () => {
  it('reads the cues of a WebVTT file as lines of text with their times', () => {
    expect(parseVtt(VTT)).toEqual([
      { start: 1, end: 3.5, text: 'Bonsoir à toutes\net à tous.' },
      { start: 4, end: 6, text: "L'élève & le maître" },
      { start: 3723.25, end: 3725, text: 'Merci !' },
    ]);
    expect(parseVtt('WEBVTT\n')).toEqual([]);
  });

  it('follows the line being said, and none between lines', () => {
    const lines = parseVtt(VTT);
    expect(currentLine(lines, 0.5)).toBe(-1);
    expect(currentLine(lines, 1)).toBe(0);
    expect(currentLine(lines, 3.7)).toBe(-1);
    expect(currentLine(lines, 5.9)).toBe(1);
    expect(currentLine(lines, 3724)).toBe(2);
  });

  it('finds lines by their words, whatever the case and accents', () => {
    const lines = parseVtt(VTT);
    expect(searchTranscript(lines, 'ELEVE')).toEqual([1]);
    expect(searchTranscript(lines, 'tous bonsoir')).toEqual([0]);
    expect(searchTranscript(lines, '  ')).toEqual([0, 1, 2]);
    expect(searchTranscript(lines, 'absent')).toEqual([]);
  });
});
