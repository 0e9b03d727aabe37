import { describe, expect, it } from 'vitest';
import { addressInWords, addressParts } from './room-address';

describe('the address in words', () => {
  it('leaves out the scheme phones add themselves, and keeps the rest as it is', () => {
    expect(addressInWords('https://parvis.bibliotheque.example/events/rencontre-bd/ask')).toBe(
      'parvis.bibliotheque.example/events/rencontre-bd/ask',
    );
    expect(addressInWords('http://192.168.1.20:3000/events/a/ask')).toBe('192.168.1.20:3000/events/a/ask');
  });

  it('breaks only after a slash, so that the pieces put together give the address back', () => {
    const words = 'parvis.example/events/rencontre-bd/ask';
    expect(addressParts(words)).toEqual(['parvis.example/', 'events/', 'rencontre-bd/', 'ask']);
    expect(addressParts(words).join('')).toBe(words);
  });
});
