/**
 * The word filter's matching: case- and accent-insensitive, whole words. Both the text and each entry are cut into
 * words (runs of letters and digits, after compatibility decomposition with the accents dropped), and an entry
 * matches when its words appear one after the other in the text's: `crétin` matches "Quel CRETIN !" but not
 * "crétinisme"; a phrase entry (`gros mot`) matches those two words in a row, whatever the spaces or punctuation.
 */

const MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** The words of a text as the filter compares them. */
export function filterWords(text: string): string[] {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().match(WORD) ?? [];
}

/** The entries of `filter` that `text` contains, in the filter's order. */
export function matchWordFilter(text: string, filter: readonly string[]): string[] {
  if (filter.length === 0) return [];
  const words = filterWords(text);
  return filter.filter((entry) => {
    const needle = filterWords(entry);
    if (needle.length === 0 || needle.length > words.length) return false;
    for (let i = 0; i + needle.length <= words.length; i++) {
      if (needle.every((w, j) => words[i + j] === w)) return true;
    }
    return false;
  });
}

/**
 * A list as moderators typed it, without entries that say the same thing (`Crétin` and `cretin`) and without entries
 * that have no word at all (punctuation only), which could never match.
 */
export function cleanWordFilter(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = filterWords(entry).join(' ');
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
