import { describe, expect, it } from 'vitest';
import { DisplayName, displayNameKey, displayNameProblem, normaliseDisplayName } from './user';

const problemOf = (raw: string) => displayNameProblem(normaliseDisplayName(raw));

describe('a display name', () => {
  it('is stored in NFC, trimmed, with every run of spaces made one space', () => {
    // "é" as e + combining acute; no-break, em and ideographic spaces.
    expect(DisplayName.parse('  Le\u0301a \u00a0 \u2003Dupont\u3000')).toBe('Léa Dupont');
  });

  it('keeps names in any script, with emoji sequences and the joiners some scripts need', () => {
    for (const name of ['Zoë', '李小龙', 'Ahmed عبد الله', 'Léa 👩‍💻', 'می‌خواهم', 'Jean-Pierre', 'J.']) {
      expect(problemOf(name), name).toBeNull();
    }
  });

  it('refuses a name made only of spaces or zero-width characters', () => {
    expect(problemOf('   ')).toBe('empty');
    expect(problemOf('\u200b\u200b')).toBe('invisible');
    expect(problemOf('\u200d')).toBe('invisible');
    expect(problemOf('\u3164')).toBe('invisible');
    expect(problemOf('\u2800\u2800')).toBe('invisible');
  });

  it('refuses invisible characters hidden inside a visible name', () => {
    expect(problemOf('Mar\u200bie')).toBe('invisible');
    expect(problemOf('Marie\u2060')).toBe('invisible');
    expect(problemOf('Mar\ufeffie')).toBe('invisible');
    expect(problemOf('Ma\u00adrie')).toBe('invisible');
    // A joiner that joins nothing.
    expect(problemOf('Marie \u200d')).toBe('invisible');
  });

  it('refuses characters that turn the direction of the text around', () => {
    expect(problemOf('\u202eeinraM')).toBe('direction');
    expect(problemOf('Marie\u200f')).toBe('direction');
    expect(problemOf('\u2067Marie\u2069')).toBe('direction');
  });

  it('refuses control characters and names longer than 40 characters', () => {
    expect(problemOf('Ma\u0000rie')).toBe('control');
    expect(problemOf('Ana\nBob')).toBe('control');
    expect(problemOf('x'.repeat(41))).toBe('too-long');
    expect(problemOf('x'.repeat(40))).toBeNull();
  });

  it('says why in the error the server sends back', () => {
    const result = DisplayName.safeParse('\u202eeinraM');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must not contain characters that change the direction of the text');
  });
});

describe('comparing display names', () => {
  it('takes names that differ only in case, spacing, composition or width as the same', () => {
    const key = displayNameKey('Marie Lenoir');
    for (const same of ['marie lenoir', '  MARIE   LENOIR ', 'Ｍａｒｉｅ Ｌｅｎｏｉｒ']) expect(displayNameKey(same), same).toBe(key);
    expect(displayNameKey('Le\u0301a')).toBe(displayNameKey('léa'));
    expect(displayNameKey('Marie Lenoire')).not.toBe(key);
  });
});
