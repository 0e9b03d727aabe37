import { describe, expect, it } from 'vitest';
import { readGuestName } from './guest-name';

describe('a guest name, checked without zod', () => {
  it('sends the name as the server stores it: spaces of any kind made one, trimmed, in NFC', () => {
    expect(readGuestName('  Jose\u0301\u00a0\u2009Martin ')).toEqual({ ok: true, name: 'José Martin' });
  });

  it('says what is wrong with a name the server would refuse', () => {
    expect(readGuestName('   ')).toEqual({ ok: false, refusal: 'empty' });
    expect(readGuestName('Ada\u0007')).toEqual({ ok: false, refusal: 'control' });
    expect(readGuestName('Ada\u202e')).toEqual({ ok: false, refusal: 'direction' });
    expect(readGuestName('Ada\u200b')).toEqual({ ok: false, refusal: 'invisible' });
    expect(readGuestName('A'.repeat(200))).toEqual({ ok: false, refusal: 'too-long' });
  });
});
