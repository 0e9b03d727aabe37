import { describe, expect, it } from 'vitest';
import { cleanWordFilter, matchWordFilter } from './word-filter';

describe('the word filter', () => {
  it('matches whatever the case and the accents', () => {
    expect(matchWordFilter('Quel CRETIN !', ['crétin'])).toEqual(['crétin']);
    expect(matchWordFilter('quel crétin', ['CRETIN'])).toEqual(['CRETIN']);
    expect(matchWordFilter('Ça suffit', ['ca'])).toEqual(['ca']);
  });

  it('matches whole words only', () => {
    expect(matchWordFilter('le crétinisme est une maladie', ['crétin'])).toEqual([]);
    expect(matchWordFilter('une conférence', ['con'])).toEqual([]);
    expect(matchWordFilter('con.', ['con'])).toEqual(['con']);
  });

  it('matches a phrase as its words in a row, whatever lies between them', () => {
    expect(matchWordFilter('Un gros, mot ici', ['gros mot'])).toEqual(['gros mot']);
    expect(matchWordFilter('gros et mot', ['gros mot'])).toEqual([]);
  });

  it('answers every entry that matched, in the filter’s order', () => {
    expect(matchWordFilter('zut et flûte', ['flute', 'rien', 'zut'])).toEqual(['flute', 'zut']);
    expect(matchWordFilter('bonjour à tous', [])).toEqual([]);
  });

  it('drops entries that repeat another or have no word at all', () => {
    expect(cleanWordFilter(['Crétin', 'cretin', '!!!', 'zut', 'ZUT'])).toEqual(['Crétin', 'zut']);
  });
});
