import type { TimelineItem } from '#shared/domain/broadcast';
import { describe, expect, it } from 'vitest';
import { formatPosition, momentHref, parseReplayLink, questionHref, replayStart } from './deep-link';
import { ReplayTimeline, SHOWN_ENTRIES, type ReplayMoment } from './replay-timeline';

const ana = { id: 'u-ana', displayName: 'Ana', role: 'guest' };
const at = (seconds: number) => new Date(Date.UTC(2027, 2, 5, 18, 0, seconds)).toISOString();
const chat = (id: string, offset: number | null, text = id): TimelineItem => ({
  type: 'chat',
  at: at(offset ?? 0),
  offset,
  messageId: id,
  author: ana,
  text,
});

// A talk as the server gives it: a hello before the first question, two questions, a poll, reactions, and a
// message the replay trimmed away (offset null).
const items: TimelineItem[] = [
  chat('hello', 0),
  chat('m5', 5),
  { type: 'question-live', at: at(10), offset: 10, questionId: 'q1', text: 'Pourquoi ?', author: null },
  { type: 'reactions', at: at(11), offset: 11, counts: { '👏': 3 } },
  { type: 'reactions', at: at(12), offset: 12, counts: { '👏': 1, '❤️': 2 } },
  chat('m20', 20),
  { type: 'question-answered', at: at(30), offset: 30, questionId: 'q1', text: 'Pourquoi ?' },
  { type: 'poll-open', at: at(40), offset: 40, pollId: 'p1', question: 'Un atelier ?' },
  { type: 'question-live', at: at(50), offset: 50, questionId: 'q2', text: 'Et demain ?', author: 'Bob' },
  {
    type: 'poll-close',
    at: at(60),
    offset: 60,
    pollId: 'p1',
    question: 'Un atelier ?',
    options: [{ id: 'o1', label: 'Oui', votes: 2 }],
  },
  chat('trimmed', null),
];

const texts = (m: ReplayMoment) => m.entries.map((e) => (e.type === 'chat' ? e.text : `${e.type}:${e.pollId}`));

describe('the replay timeline', () => {
  it('shows what had been said when the video starts', () => {
    const timeline = new ReplayTimeline(items, 90);
    expect(texts(timeline.moment)).toEqual(['hello']);
    expect(timeline.moment.onAir).toBeNull();
    expect(timeline.moment.chapter).toBe(-1);
    expect(timeline.chapters.map((c) => [c.questionId, c.start, c.end])).toEqual([
      ['q1', 10, 50],
      ['q2', 50, 90],
    ]);
  });

  it('adds the chat as the video plays, with the question on air and the chapter of each moment', () => {
    const timeline = new ReplayTimeline(items, 90);
    const seen: ReplayMoment[] = [];
    timeline.subscribe((m) => seen.push(m));
    for (let p = 0.25; p <= 70; p += 0.25) timeline.play(p);

    // One update per change, not one per tick.
    const moments = seen.map((m) => [texts(m).at(-1), m.onAir?.questionId ?? null, m.chapter]);
    expect(moments).toEqual([
      ['m5', null, -1],
      ['m5', 'q1', 0],
      ['m5', 'q1', 0], // 11 s: a burst of reactions
      ['m5', 'q1', 0], // 12 s: another
      ['m20', 'q1', 0],
      ['m20', null, 0], // 30 s: answered, the chapter goes on until the next question
      ['poll-open:p1', null, 0],
      ['poll-open:p1', 'q2', 1],
      ['poll-close:p1', 'q2', 1],
    ]);
    expect(texts(timeline.moment)).toEqual(['hello', 'm5', 'm20', 'poll-open:p1', 'poll-close:p1']);
  });

  it('plays the reactions the video passes, once each, and none across a seek', () => {
    const timeline = new ReplayTimeline(items, 90);
    timeline.play(10.75);
    timeline.play(12.5);
    expect(timeline.moment.burst).toEqual({ seq: 1, counts: { '👏': 4, '❤️': 2 } });
    timeline.play(13);
    expect(timeline.moment.burst?.seq).toBe(1);

    timeline.seek(0);
    timeline.seek(15);
    expect(timeline.moment.burst?.seq).toBe(1);
    // A jump of more than a few seconds is a seek too, even reported as playback.
    timeline.seek(5);
    timeline.play(14);
    expect(timeline.moment.burst?.seq).toBe(1);
    timeline.seek(10.5);
    timeline.play(11);
    expect(timeline.moment.burst).toEqual({ seq: 2, counts: { '👏': 3 } });
  });

  it('rebuilds the chat as of the moment sought, back or forth', () => {
    const timeline = new ReplayTimeline(items, 90);
    timeline.seek(55);
    expect(texts(timeline.moment)).toEqual(['hello', 'm5', 'm20', 'poll-open:p1']);
    expect(timeline.moment.onAir).toMatchObject({ questionId: 'q2', author: 'Bob' });
    expect(timeline.moment.chapter).toBe(1);

    timeline.seek(12);
    expect(texts(timeline.moment)).toEqual(['hello', 'm5']);
    expect(timeline.moment.onAir).toMatchObject({ questionId: 'q1', author: null });
    expect(timeline.moment.chapter).toBe(0);

    // Playing backwards from a position is a seek as well.
    timeline.play(4);
    expect(texts(timeline.moment)).toEqual(['hello']);
    expect(timeline.moment.onAir).toBeNull();
    expect(timeline.position).toBe(4);
  });

  it('keeps the last messages on screen in a long chat, and counts them all', () => {
    const long = Array.from({ length: SHOWN_ENTRIES + 50 }, (_, i) => chat(`m${i}`, i));
    const timeline = new ReplayTimeline(long, 1000);
    timeline.seek(1000);
    expect(timeline.moment.total).toBe(SHOWN_ENTRIES + 50);
    expect(timeline.moment.entries).toHaveLength(SHOWN_ENTRIES);
    expect(texts(timeline.moment).at(0)).toBe('m50');
  });

  it('says when the live left nothing inside the replay', () => {
    expect(new ReplayTimeline([chat('trimmed', null)]).isEmpty).toBe(true);
    expect(new ReplayTimeline(items).isEmpty).toBe(false);
  });

  it('finds where a link starts the replay', () => {
    const timeline = new ReplayTimeline(items, 90);
    expect(timeline.startOf({ kind: 'time', seconds: 754 })).toBe(754);
    expect(timeline.startOf({ kind: 'question', questionId: 'q2' })).toBe(50);
    expect(timeline.startOf({ kind: 'question', questionId: 'never-on-air' })).toBeNull();
  });
});

describe('links to a moment of a replay', () => {
  it('reads a time in seconds or as people write it', () => {
    for (const t of ['754', '754s', '12m34s', '12:34', '0:12:34', ' 754 ']) {
      expect(parseReplayLink(`?t=${encodeURIComponent(t)}`)).toEqual({ kind: 'time', seconds: 754 });
    }
    expect(parseReplayLink('?t=1h2m3s')).toEqual({ kind: 'time', seconds: 3723 });
    expect(parseReplayLink('?t=1:02:03')).toEqual({ kind: 'time', seconds: 3723 });
  });

  it('reads a question, and prefers a time given with it', () => {
    expect(parseReplayLink('?q=3f2a-44')).toEqual({ kind: 'question', questionId: '3f2a-44' });
    expect(parseReplayLink('?q=3f2a&t=60')).toEqual({ kind: 'time', seconds: 60 });
  });

  it('ignores what reads as neither, so the replay opens from the start', () => {
    for (const search of ['', '?t=', '?t=abc', '?t=-5', '?t=12:75', '?q=', `?q=${'x'.repeat(101)}`, '?kind=lecture']) {
      expect(parseReplayLink(search)).toBeNull();
    }
    expect(parseReplayLink('?t=abc&q=q1')).toEqual({ kind: 'question', questionId: 'q1' });
  });

  it('writes links that read back', () => {
    expect(momentHref('rencontre bd', 754.9)).toBe('/events/rencontre%20bd?t=754');
    expect(parseReplayLink(new URL(momentHref('e', 754.9), 'http://x').search)).toEqual({ kind: 'time', seconds: 754 });
    expect(questionHref('e', 'q/1')).toBe('/events/e?q=q%2F1');
    expect(parseReplayLink(new URL(questionHref('e', 'q/1'), 'http://x').search)).toEqual({ kind: 'question', questionId: 'q/1' });
  });

  it('shows a position as minutes and seconds, with hours past the hour', () => {
    expect([0, 5.9, 65, 754, 3723, 36000].map(formatPosition)).toEqual(['0:00', '0:05', '1:05', '12:34', '1:02:03', '10:00:00']);
  });
});

describe('where the replay starts', () => {
  const untrimmed = { firstOffset: 0, questionStart: null };
  // Trimmed in at 63.5 s: the replay lists the segment from 62 s, so its clock starts 1.5 s into the video.
  const trimmed = { firstOffset: 1.5, questionStart: null };

  it('waits for the map and the timeline before it moves the playhead', () => {
    expect(replayStart(null, null)).toBeNull();
    expect(replayStart({ kind: 'time', seconds: 754 }, null)).toBeNull();
    expect(replayStart({ kind: 'question', questionId: 'q1' }, null)).toBeNull();
  });

  it('starts a trimmed replay at its exact in point, and an untrimmed one (or one with no map) from 0', () => {
    expect(replayStart(null, trimmed)).toBe(1.5);
    expect(replayStart(null, untrimmed)).toBeNull();
    expect(replayStart(null, { firstOffset: null, questionStart: null })).toBeNull();
  });

  it("starts at a link's time, but never before the in point", () => {
    expect(replayStart({ kind: 'time', seconds: 754 }, trimmed)).toBe(754);
    expect(replayStart({ kind: 'time', seconds: 0 }, trimmed)).toBe(1.5);
    expect(replayStart({ kind: 'time', seconds: 0 }, untrimmed)).toBe(0);
    expect(replayStart({ kind: 'time', seconds: 12 }, { firstOffset: null, questionStart: null })).toBe(12);
  });

  it('starts where a linked question went on air, or at the in point when the replay does not hold it', () => {
    const q1 = { kind: 'question', questionId: 'q1' } as const;
    expect(replayStart(q1, { firstOffset: 1.5, questionStart: 50 })).toBe(50);
    expect(replayStart(q1, trimmed)).toBe(1.5);
    expect(replayStart(q1, untrimmed)).toBeNull();
  });
});
