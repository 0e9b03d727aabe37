/**
 * The phone page's address as the room's display writes it out for people to type: without `https://` or
 * `http://`, which phones add themselves and which only make the line longer to read from the back of a room.
 */
export function addressInWords(url: string): string {
  return url.replace(/^https?:\/\//i, '');
}

/** Where the display breaks the address across lines when it must: after each `/`, never inside a word. */
export function addressParts(words: string): string[] {
  return words.split(/(?<=\/)/);
}
