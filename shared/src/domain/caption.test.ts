import { describe, expect, it } from 'vitest';
import { Role } from './user';
import { CaptionLang, CaptionText, captionLanguage, captionShownUntil, mayCaption } from './caption';

describe('captions, for both sides', () => {
  it('keys a language by the primary subtag of its tag, lower-cased', () => {
    expect(['fr', 'fr-FR', 'EN-us', 'en_GB', 'yue-Hant-HK'].map(captionLanguage)).toEqual(['fr', 'fr', 'en', 'en', 'yue']);
    expect(['', 'f', 'français', '12', 'en US'].map(captionLanguage)).toEqual([null, null, null, null, null]);
    expect(CaptionLang.safeParse('x').success).toBe(false);
  });

  it('keeps a line to two lines of plain text', () => {
    expect(CaptionText.parse('  Bonsoir \t à tous  ')).toBe('Bonsoir à tous');
    expect(CaptionText.parse('un<br>deux\ntrois\r\n\nquatre')).toBe('un\ndeux trois quatre');
    expect(CaptionText.safeParse(' \n ').success).toBe(false);
    expect(CaptionText.safeParse('x'.repeat(501)).success).toBe(false);
  });

  it('lets captioners, moderators and admins caption, and nobody else', () => {
    expect(Role.options.filter(mayCaption)).toEqual(['moderator', 'admin', 'captioner']);
  });

  it('shows a cue until the next one, at least a second and at most eight', () => {
    const start = '2026-12-01T18:00:00.000Z';
    const t = Date.parse(start);
    expect(captionShownUntil({ startAt: start, endAt: '2026-12-01T18:00:03.000Z' })).toBe(t + 3000);
    expect(captionShownUntil({ startAt: start, endAt: null })).toBe(t + 8000);
    expect(captionShownUntil({ startAt: start, endAt: '2026-12-01T18:01:00.000Z' })).toBe(t + 8000);
    expect(captionShownUntil({ startAt: start, endAt: start })).toBe(t + 1000);
  });
});
