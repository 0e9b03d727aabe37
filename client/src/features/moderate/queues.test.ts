import type { Question } from '#shared/domain/question';
import { describe, expect, it } from 'vitest';
import {
  excerpt,
  isTyping,
  keyCommand,
  mergeTargets,
  moveSelection,
  originCounts,
  reorderPlan,
  selectionAfterChange,
  toQueues,
  withOrigin,
} from './queues';

let seq = 0;
function q(patch: Partial<Question> & { id: string }): Question {
  seq++;
  return {
    eventId: 'e1',
    text: `question ${patch.id}`,
    anonymous: false,
    author: { id: `u-${patch.id}`, displayName: `Person ${patch.id}` },
    state: 'approved',
    votes: 0,
    starred: false,
    position: null,
    createdAt: `2026-01-01T10:${String(seq % 60).padStart(2, '0')}:00.000Z`,
    liveAt: null,
    answeredAt: null,
    rejectedReason: null,
    mergedInto: null,
    origin: 'online',
    ...patch,
  };
}

const ids = (list: readonly Question[]) => list.map((x) => x.id);

/** Applies a reorder plan the way the server would, then sorts as the console does. */
function apply(list: readonly Question[], plan: { questionId: string; position: number }[]): string[] {
  const moved = list.map((x) => {
    const change = plan.find((c) => c.questionId === x.id);
    return change ? { ...x, position: change.position } : x;
  });
  return ids(toQueues(moved, 'votes').approved);
}

describe('toQueues', () => {
  it('puts the oldest pending question first and the most voted approved question first', () => {
    const list = [
      q({ id: 'p-new', state: 'pending', createdAt: '2026-01-01T10:05:00.000Z' }),
      q({ id: 'p-old', state: 'pending', createdAt: '2026-01-01T10:01:00.000Z' }),
      q({ id: 'a-few', votes: 1 }),
      q({ id: 'a-many', votes: 9 }),
      q({ id: 'live', state: 'live' }),
      q({ id: 'ans-1', state: 'answered', answeredAt: '2026-01-01T11:00:00.000Z' }),
      q({ id: 'ans-2', state: 'answered', answeredAt: '2026-01-01T11:30:00.000Z' }),
      q({ id: 'rej', state: 'rejected' }),
      q({ id: 'mer', state: 'merged', mergedInto: 'a-many' }),
    ];
    const queues = toQueues(list, 'votes');
    expect(ids(queues.pending)).toEqual(['p-old', 'p-new']);
    expect(ids(queues.approved)).toEqual(['a-many', 'a-few']);
    expect(ids(queues.live)).toEqual(['live']);
    expect(ids(queues.answered)).toEqual(['ans-2', 'ans-1']);
    expect(ids(queues.closed).sort()).toEqual(['mer', 'rej']);
  });

  it('orders the approved queue by time when asked', () => {
    const list = [
      q({ id: 'old', votes: 0, createdAt: '2026-01-01T09:00:00.000Z' }),
      q({ id: 'popular', votes: 5, createdAt: '2026-01-01T09:30:00.000Z' }),
    ];
    expect(ids(toQueues(list, 'time').approved)).toEqual(['old', 'popular']);
    expect(ids(toQueues(list, 'votes').approved)).toEqual(['popular', 'old']);
  });
});

describe('the origin filter', () => {
  it('keeps the questions of the room, or those asked online, or all of them, each queue in its order', () => {
    const list = [
      q({ id: 'room-pending', state: 'pending', origin: 'room' }),
      q({ id: 'online-pending', state: 'pending' }),
      q({ id: 'room-few', votes: 1, origin: 'room' }),
      q({ id: 'online-many', votes: 8 }),
      q({ id: 'room-many', votes: 5, origin: 'room' }),
      q({ id: 'room-rejected', state: 'rejected', origin: 'room' }),
    ];
    const room = toQueues(withOrigin(list, 'room'), 'votes');
    expect(ids(room.pending)).toEqual(['room-pending']);
    expect(ids(room.approved)).toEqual(['room-many', 'room-few']);
    expect(ids(room.closed)).toEqual(['room-rejected']);
    const online = toQueues(withOrigin(list, 'online'), 'votes');
    expect(ids(online.pending)).toEqual(['online-pending']);
    expect(ids(online.approved)).toEqual(['online-many']);
    expect(ids(toQueues(withOrigin(list, 'all'), 'votes').approved)).toEqual(['online-many', 'room-many', 'room-few']);
    // The counts beside the filter are of questions still in the queues: the rejected one is left out.
    expect(originCounts(list)).toEqual({ all: 5, online: 2, room: 3 });
  });
});

describe('mergeTargets', () => {
  it('lists every other question still in play, never the question itself nor closed ones', () => {
    const self = q({ id: 'self', state: 'pending' });
    const list = [self, q({ id: 'a' }), q({ id: 'live', state: 'live' }), q({ id: 'rej', state: 'rejected' }), q({ id: 'p', state: 'pending' })];
    expect(ids(mergeTargets(self, list))).toEqual(['live', 'a', 'p']);
  });
});

describe('selectionAfterChange', () => {
  it('keeps the selection while the question stays in the queue', () => {
    expect(selectionAfterChange(['a', 'b'], ['b', 'a'], 'a')).toBe('a');
  });

  it('selects the next question when the selected one leaves the queue', () => {
    expect(selectionAfterChange(['a', 'b', 'c'], ['a', 'c'], 'b')).toBe('c');
  });

  it('selects the previous question when the last one leaves', () => {
    expect(selectionAfterChange(['a', 'b', 'c'], ['a', 'b'], 'c')).toBe('b');
  });

  it('selects nothing once the queue is empty', () => {
    expect(selectionAfterChange(['a'], [], 'a')).toBeNull();
  });

  it('selects the first question when nothing was selected', () => {
    expect(selectionAfterChange([], ['x', 'y'], null)).toBe('x');
  });
});

describe('moveSelection', () => {
  it('moves one step and stops at both ends', () => {
    expect(moveSelection(['a', 'b', 'c'], 'a', 1)).toBe('b');
    expect(moveSelection(['a', 'b', 'c'], 'c', 1)).toBe('c');
    expect(moveSelection(['a', 'b', 'c'], 'a', -1)).toBe('a');
  });

  it('starts from the top going down and from the bottom going up', () => {
    expect(moveSelection(['a', 'b'], null, 1)).toBe('a');
    expect(moveSelection(['a', 'b'], null, -1)).toBe('b');
    expect(moveSelection([], null, 1)).toBeNull();
  });
});

describe('reorderPlan', () => {
  it('moves an unplaced question above the one before it, placing both', () => {
    const list = toQueues([q({ id: 'a', votes: 5 }), q({ id: 'b', votes: 3 }), q({ id: 'c', votes: 1 })], 'votes').approved;
    const plan = reorderPlan(list, 'b', -1);
    expect(plan).toEqual([
      { questionId: 'b', position: 0 },
      { questionId: 'a', position: 1 },
    ]);
    expect(apply(list, plan)).toEqual(['b', 'a', 'c']);
  });

  it('moves a question down past an unplaced one, and the rest keep their order by votes', () => {
    const list = toQueues([q({ id: 'a', votes: 5 }), q({ id: 'b', votes: 3 }), q({ id: 'c', votes: 1 }), q({ id: 'd', votes: 0 })], 'votes')
      .approved;
    const plan = reorderPlan(list, 'a', 1);
    expect(apply(list, plan)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('keeps questions placed further down after the moved pair', () => {
    const list = toQueues(
      [q({ id: 'a', position: 0 }), q({ id: 'b', position: 0 }), q({ id: 'c', position: 0 }), q({ id: 'd', votes: 9 })],
      'votes',
    ).approved;
    const before = ids(list);
    const plan = reorderPlan(list, before[1]!, -1);
    expect(apply(list, plan)).toEqual([before[1], before[0], before[2], 'd']);
  });

  it('sends only the positions that change', () => {
    const list = toQueues([q({ id: 'a', position: 0 }), q({ id: 'b', position: 1 }), q({ id: 'c', position: 2 })], 'votes').approved;
    expect(reorderPlan(list, 'c', -1)).toEqual([
      { questionId: 'c', position: 1 },
      { questionId: 'b', position: 2 },
    ]);
  });

  it('does nothing past the ends of the queue', () => {
    const list = [q({ id: 'a' }), q({ id: 'b' })];
    expect(reorderPlan(list, 'a', -1)).toEqual([]);
    expect(reorderPlan(list, 'b', 1)).toEqual([]);
    expect(reorderPlan(list, 'zzz', 1)).toEqual([]);
  });
});

describe('keyCommand', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
    keyCommand({ key: k, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });

  it('maps the single keys of the console', () => {
    expect(key('a')).toBe('approve');
    expect(key('r')).toBe('reject');
    expect(key('R', { shiftKey: true })).toBe('rejectWithReason');
    expect(key('l')).toBe('live');
    expect(key('d')).toBe('answered');
    expect(key('s')).toBe('star');
    expect(key('e')).toBe('edit');
    expect(key('j')).toBe('next');
    expect(key('ArrowUp')).toBe('previous');
    expect(key('?', { shiftKey: true })).toBe('help');
  });

  it('leaves keys with Ctrl, Alt or Meta to the browser', () => {
    expect(key('a', { ctrlKey: true })).toBeNull();
    expect(key('r', { metaKey: true })).toBeNull();
    expect(key('l', { altKey: true })).toBeNull();
    expect(key('x')).toBeNull();
  });
});

describe('isTyping', () => {
  const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, ...extra }) as unknown as EventTarget;

  it('is true in a text field, a text area or a select', () => {
    expect(isTyping([el('INPUT', { type: 'text' }), el('FORM')])).toBe(true);
    expect(isTyping([el('TEXTAREA')])).toBe(true);
    expect(isTyping([el('SELECT')])).toBe(true);
    expect(isTyping([el('DIV', { isContentEditable: true })])).toBe(true);
  });

  it('is false on a button, a checkbox or the page', () => {
    expect(isTyping([el('BUTTON'), el('LI')])).toBe(false);
    expect(isTyping([el('INPUT', { type: 'checkbox' })])).toBe(false);
    expect(isTyping([])).toBe(false);
  });
});

describe('excerpt', () => {
  it('shortens long texts on one line', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt('a\n  b')).toBe('a b');
    const long = excerpt('x'.repeat(100), 20);
    expect(long).toHaveLength(20);
    expect(long.endsWith('…')).toBe(true);
  });
});
