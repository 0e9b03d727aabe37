import { ROOM_REFUSALS } from '#shared/domain/room';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import { testTranslator } from '../../i18n/test-translator';
import { refusalText, roomRefusal } from './room-refusal';

describe('the room’s refusals', () => {
  it('says each reason in its own words, in French and in English', () => {
    for (const lang of ['fr', 'en'] as const) {
      const i18n = testTranslator(lang);
      const texts = ROOM_REFUSALS.map((reason) => refusalText(i18n, reason, Date.parse('2026-12-07T09:45:00Z')));
      for (const text of texts) {
        expect(text.title).not.toBe('');
        expect(text.body).not.toBe('');
      }
      expect(new Set(texts.map((x) => x.title)).size).toBe(ROOM_REFUSALS.length);
      expect(new Set(texts.map((x) => x.body)).size).toBe(ROOM_REFUSALS.length);
    }
  });

  it('tells a person who comes too early the time the room opens', () => {
    const i18n = testTranslator('fr');
    const opensAt = Date.parse('2026-12-07T09:45:00Z');
    expect(refusalText(i18n, 'too-early', opensAt).body).toContain(i18n.time(new Date(opensAt).toISOString()));
  });

  it('tells a person whose appointment is by phone that they will be called', () => {
    expect(refusalText(testTranslator('en'), 'by-phone').body).toMatch(/will be called/);
    expect(refusalText(testTranslator('fr'), 'by-phone').body).toMatch(/appelé·e/);
  });

  it('reads the reason of a refusal from the server’s error body, and only a known one', () => {
    const refused = (reason: string) => new ApiError('FORBIDDEN', 'no', 403, undefined, undefined, reason as never);
    expect(roomRefusal(refused('waitlisted'))).toBe('waitlisted');
    expect(roomRefusal(refused('banned'))).toBeNull();
    expect(roomRefusal(new ApiError('NETWORK', 'offline'))).toBeNull();
    expect(roomRefusal(new Error('x'))).toBeNull();
  });
});
