import { describe, expect, it } from 'vitest';
import { movedCursors } from './pager';

describe('paging a list newest first', () => {
  it('goes back with the last row shown as the cursor, and forward to the page before', () => {
    const first: Array<string | undefined> = [undefined];
    const second = movedCursors(first, 'older', 'row-50');
    expect(second).toEqual([undefined, 'row-50']);
    expect(movedCursors(second, 'older', 'row-100')).toEqual([undefined, 'row-50', 'row-100']);
    expect(movedCursors(second, 'newer', undefined)).toEqual([undefined]);
  });

  it('stays on an empty page rather than losing its place', () => {
    expect(movedCursors([undefined, 'row-50'], 'older', undefined)).toEqual([undefined, 'row-50']);
  });
});
