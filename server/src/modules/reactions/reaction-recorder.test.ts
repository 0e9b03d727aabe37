import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../store/sqlite/sqlite-store';
import type { Store } from '../../store/store';
import { ReactionRecorder } from './reaction-recorder';

/** Timers that run only when the test says so, at the instant they were due. */
class ManualTimers {
  now = Date.parse('2026-11-25T18:04:05.250Z');
  private due: { at: number; callback: () => void }[] = [];

  after = (ms: number, callback: () => void) => {
    const entry = { at: this.now + ms, callback };
    this.due.push(entry);
    return () => {
      this.due = this.due.filter((d) => d !== entry);
    };
  };

  get pending(): number {
    return this.due.length;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = this.due.filter((d) => d.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.due = this.due.filter((d) => d !== next);
      this.now = next.at;
      next.callback();
    }
    this.now = until;
  }
}

describe('ReactionRecorder', () => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  function recorder(timers: ManualTimers, errors: unknown[] = []) {
    store = openSqliteStore(':memory:');
    return new ReactionRecorder({ store: store.reactions, now: () => timers.now, after: timers.after, onError: (e) => errors.push(e) });
  }

  it('keeps the clicks of each second under that second, written a second after the first', async () => {
    const timers = new ManualTimers();
    const rec = recorder(timers);
    rec.add('e1', '👏');
    rec.add('e1', '👏');
    rec.add('e2', '❤️');
    timers.advance(500); // 18:04:05.750
    rec.add('e1', '😂');
    timers.advance(300); // 18:04:06.050: the next second
    rec.add('e1', '👏');
    expect(await store.reactions.list('e1')).toEqual([]);

    timers.advance(200); // a second after the first click: the timer writes
    await rec.flush();
    expect(await store.reactions.list('e1')).toEqual([
      { at: '2026-11-25T18:04:05.000Z', counts: { '👏': 2, '😂': 1 } },
      { at: '2026-11-25T18:04:06.000Z', counts: { '👏': 1 } },
    ]);
    expect(await store.reactions.list('e2')).toEqual([{ at: '2026-11-25T18:04:05.000Z', counts: { '❤️': 1 } }]);
    // Idle: no timer runs until the next click.
    expect(timers.pending).toBe(0);
  });

  it('adds to a second already written, as another process would', async () => {
    const timers = new ManualTimers();
    const rec = recorder(timers);
    await store.reactions.add('e1', '2026-11-25T18:04:05.000Z', { '👏': 5 });
    rec.add('e1', '👏');
    await rec.flush();
    rec.add('e1', '👏');
    await rec.close();
    expect(await store.reactions.list('e1')).toEqual([{ at: '2026-11-25T18:04:05.000Z', counts: { '👏': 7 } }]);
  });

  it('writes what is left when it closes, and takes nothing after', async () => {
    const timers = new ManualTimers();
    const rec = recorder(timers);
    rec.add('e1', '🤔');
    await rec.close();
    expect(timers.pending).toBe(0);
    rec.add('e1', '🤔');
    await rec.flush();
    expect(await store.reactions.list('e1')).toEqual([{ at: '2026-11-25T18:04:05.000Z', counts: { '🤔': 1 } }]);
  });

  it('tells of a write the store refused, and goes on with the next', async () => {
    const timers = new ManualTimers();
    const errors: unknown[] = [];
    const rec = recorder(timers, errors);
    rec.add('e1', '👍');
    const real = store.reactions.add.bind(store.reactions);
    let fail = true;
    const flaky = new ReactionRecorder({
      store: { add: (...args) => (fail ? Promise.reject(new Error('disk full')) : real(...args)) },
      now: () => timers.now,
      after: timers.after,
      onError: (e) => errors.push(e),
    });
    flaky.add('e1', '👍');
    await flaky.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    flaky.add('e1', '👍');
    await flaky.close();
    await rec.close();
    expect(await store.reactions.list('e1')).toEqual([{ at: '2026-11-25T18:04:05.000Z', counts: { '👍': 2 } }]);
  });
});
