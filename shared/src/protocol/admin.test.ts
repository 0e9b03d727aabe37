import { describe, expect, it } from 'vitest';
import { EventCreateRequest, EventPatchRequest, isMediaUrl } from './admin';

describe('stream and replay addresses', () => {
  it.each([
    'https://media.example.org/live/ia/master.m3u8',
    'http://10.0.0.5:8080/hls/a.m3u8',
    'https://[::1]:8443/x.m3u8',
    '/media/demo/master.m3u8',
    'https://a.example/x.m3u8?token=1#t',
  ])('accepts %s', (url) => {
    expect(isMediaUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'ftp://example.org/x.m3u8',
    'https://',
    '//evil.example/x.m3u8',
    '/media/../etc/passwd',
    'media/demo/master.m3u8',
    'https://exa mple.org/x',
  ])('refuses %s', (url) => {
    expect(isMediaUrl(url)).toBe(false);
  });
});

describe('event forms', () => {
  const base = { kind: 'lecture', title: 'Rencontre', startsAt: '2031-01-01T18:00:00Z', endsAt: '2031-01-01T19:00:00Z' };

  it('fills in the defaults of a new event', () => {
    expect(EventCreateRequest.parse(base)).toEqual({
      ...base,
      startsAt: '2031-01-01T18:00:00.000Z',
      endsAt: '2031-01-01T19:00:00.000Z',
      summary: '',
      timezone: 'Europe/Paris',
      access: 'open',
      speakers: [],
      language: 'fr',
    });
  });

  it('names the end when it is not after the start', () => {
    const result = EventCreateRequest.safeParse({ ...base, endsAt: base.startsAt });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['endsAt', 'must be after the start']]);
  });

  it('lets a patch remove an optional field with null, and no required one', () => {
    expect(EventPatchRequest.parse({ streamUrl: null, capacity: null })).toEqual({ streamUrl: null, capacity: null });
    expect(EventPatchRequest.safeParse({ title: null }).success).toBe(false);
  });
});
