import type { Poll } from '#shared/domain/poll';
import type { Question } from '#shared/domain/question';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/manual-clock';
import { ViewerClock } from '../../player/stream-clock';
import type { RoomState } from './event-room';
import { ViewerMoments } from './viewer-moments';

const START = Date.UTC(2026, 11, 6, 18, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function question(id: string, patch: Partial<Question> = {}): Question {
  return {
    id,
    eventId: 'e1',
    text: `Question ${id}`,
    anonymous: false,
    author: null,
    state: 'approved',
    votes: 0,
    starred: false,
    position: null,
    createdAt: iso(START - 60_000),
    liveAt: null,
    answeredAt: null,
    rejectedReason: null,
    mergedInto: null,
    origin: 'online',
    ...patch,
  };
}

function poll(id: string, patch: Partial<Poll> = {}): Poll {
  return {
    id,
    eventId: 'e1',
    question: `Poll ${id}`,
    options: [{ id: 'a', text: 'A' }],
    multiple: false,
    results: 'live',
    state: 'open',
    createdAt: iso(START - 60_000),
    openedAt: null,
    closedAt: null,
    counts: [0],
    voters: 0,
    ...patch,
  };
}

function room(questions: Question[], polls: Poll[] = []): RoomState {
  return {
    eventId: 'e1',
    phase: 'joined',
    connection: 'connected',
    event: null,
    messages: [],
    viewers: 2,
    error: null,
    historyTrimmed: false,
    role: 'guest',
    questions,
    askedIds: [],
    settings: null,
    polls,
    sanction: null,
    backstage: [],
    staff: null,
    reactions: null,
    captions: [],
  };
}

/** One viewer whose picture runs `delayMs` behind the room, and can pause. */
function viewer(clock: ManualClock, delayMs: number) {
  let picture = clock.now() - delayMs;
  let since = clock.now();
  let playing = true;
  const programDate = (): Date => new Date(playing ? picture + clock.now() - since : picture);
  let changes = 0;
  const moments = new ViewerMoments(new ViewerClock(programDate, clock), clock, () => changes++);
  return {
    moments,
    get changes() {
      return changes;
    },
    pause() {
      picture = programDate().getTime();
      playing = false;
    },
    play() {
      since = clock.now();
      playing = true;
    },
    /** The question this viewer sees on air, by id, or null. */
    onAir(state: RoomState): string | null {
      return moments.view(state).questions.find((q) => q.state === 'live')?.id ?? null;
    },
  };
}

describe('ViewerMoments', () => {
  it('highlights the question on air for each viewer only when their own video reaches it', () => {
    const clock = new ManualClock(START);
    const near = viewer(clock, 5_000);
    const far = viewer(clock, 12_000);
    // The moderator puts q1 on air now: the room's state has it live at once.
    const state = room([question('q1', { state: 'live', liveAt: iso(START) }), question('q2')]);
    expect(near.onAir(state)).toBeNull();
    expect(far.onAir(state)).toBeNull();
    // Held back, it still shows as a waiting question rather than vanishing.
    expect(near.moments.view(state).questions.map((q) => q.state)).toEqual(['approved', 'approved']);

    clock.advance(5_000);
    expect(near.changes).toBeGreaterThan(0);
    expect(near.onAir(state)).toBe('q1');
    expect(far.onAir(state)).toBeNull();
    clock.advance(7_000);
    expect(far.changes).toBeGreaterThan(0);
    expect(far.onAir(state)).toBe('q1');
  });

  it('waits for a viewer who paused for as long as they paused', () => {
    const clock = new ManualClock(START);
    const paused = viewer(clock, 6_000);
    const state = room([question('q1', { state: 'live', liveAt: iso(START + 1_000) })]);
    expect(paused.onAir(state)).toBeNull();
    paused.pause();
    clock.advance(10_000);
    expect(paused.onAir(state)).toBeNull();
    paused.play();
    clock.advance(6_900);
    expect(paused.onAir(state)).toBeNull();
    clock.advance(100);
    expect(paused.onAir(state)).toBe('q1');
  });

  it('keeps an answered question on air until the viewer’s video reaches the answer, then shows the next one', () => {
    const clock = new ManualClock(START);
    const v = viewer(clock, 8_000);
    const before = room([question('q1', { state: 'live', liveAt: iso(START - 30_000) }), question('q2')]);
    expect(v.onAir(before)).toBe('q1');
    // The moderator moves on: q1 answered, q2 on air, in the room now.
    const after = room([
      question('q1', { state: 'answered', liveAt: iso(START - 30_000), answeredAt: iso(START) }),
      question('q2', { state: 'live', liveAt: iso(START) }),
    ]);
    expect(v.onAir(after)).toBe('q1');
    clock.advance(8_000);
    expect(v.onAir(after)).toBe('q2');
    expect(v.moments.view(after).questions.map((q) => q.state)).toEqual(['answered', 'live']);
  });

  it('shows an opened poll when the video reaches its opening, and one without an instant after the viewer’s delay', () => {
    const clock = new ManualClock(START);
    const v = viewer(clock, 10_000);
    const draft = poll('p0', { state: 'draft' });
    const state = room([], [draft, poll('p1', { openedAt: iso(START) }), poll('p2')]);
    expect(v.moments.view(state).polls.map((p) => p.id)).toEqual(['p0']);
    clock.advance(10_000);
    expect(v.moments.view(state).polls.map((p) => p.id)).toEqual(['p0', 'p1', 'p2']);
  });

  it('answers the room’s own state when nothing is held back, and the same view while nothing changes', () => {
    const clock = new ManualClock(START);
    const v = viewer(clock, 3_000);
    const settled = room([question('q1', { state: 'live', liveAt: iso(START - 60_000) })], [poll('p1', { openedAt: iso(START - 60_000) })]);
    expect(v.moments.view(settled)).toBe(settled);
    const fresh = room([question('q1', { state: 'live', liveAt: iso(START) })]);
    expect(v.moments.view(fresh)).toBe(v.moments.view(fresh));
  });

  it('holds nothing back for a viewer without a picture (no video, no first frame yet)', () => {
    const clock = new ManualClock(START);
    const moments = new ViewerMoments(new ViewerClock(() => null, clock), clock, () => undefined);
    const state = room([question('q1', { state: 'live', liveAt: iso(START) })], [poll('p1', { openedAt: iso(START) })]);
    expect(moments.view(state)).toBe(state);
    expect(clock.pending).toBe(0);
  });

  it('leaves no wait behind once disposed', () => {
    const clock = new ManualClock(START);
    const v = viewer(clock, 3_000);
    v.moments.view(room([question('q1', { state: 'live', liveAt: iso(START) })]));
    expect(clock.pending).toBe(1);
    v.moments.dispose();
    expect(clock.pending).toBe(0);
  });
});
