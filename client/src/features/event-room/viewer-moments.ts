import type { Poll } from '#shared/domain/poll';
import type { Question } from '#shared/domain/question';
import type { Clock } from '../../app/clock';
import type { ViewerClock } from '../../player/stream-clock';
import type { RoomState } from './event-room';

/**
 * The live room as one viewer should see it at the point their video has reached: the question on air and the polls
 * that opened are shown when the picture reaches the instant they happened in the room (`liveAt`, `openedAt`), not
 * when the socket brings them, 6–20 s ahead of the picture. What has no instant is placed at the moment its update
 * arrived. Chat, votes and everything else stay as the room has them: this only holds back moments the speaker
 * announces on stage.
 *
 * - A question on air that the picture has not reached yet is shown as still waiting (`approved`); an answered
 *   question whose answer the picture has not reached is still on air. At most one question is on air: the latest.
 * - A poll is not shown until the picture reaches its opening. Its closing is not held back: a vote sent after the
 *   room closed the poll would be refused anyway.
 *
 * Free of the DOM and of Lit: tested with a `ManualClock` and a fake program date.
 */
export class ViewerMoments {
  readonly #clock: ViewerClock;
  readonly #realClock: Clock;
  readonly #onChange: () => void;
  /** When an update with no instant of its own arrived (ms since 1970), by `q:<id>:<state>` / `p:<id>`. */
  readonly #arrivals = new Map<string, number>();
  /** The waits set on the viewer clock, by `<key>@<instant>`, so each is set once. */
  readonly #waits = new Map<string, () => void>();
  #last: { state: RoomState; signature: string; view: RoomState } | null = null;

  /**
   * `onChange` is called when the picture reaches a moment held back: view the state again then.
   * `realClock` stamps the arrival of updates that carry no instant.
   */
  constructor(clock: ViewerClock, realClock: Clock, onChange: () => void) {
    this.#clock = clock;
    this.#realClock = realClock;
    this.#onChange = onChange;
  }

  /** `state` as this viewer should see it now; the same object when nothing in it is held back. */
  view(state: RoomState): RoomState {
    const held: string[] = [];
    const reached = (key: string, iso: string | null): boolean => {
      const instant = this.#instant(key, iso);
      if (this.#clock.reached(instant)) return true;
      held.push(key);
      this.#wait(key, instant);
      return false;
    };

    const questions: Question[] = [];
    let onAir: Question | null = null;
    for (const q of state.questions) {
      let shown = q;
      if (q.state === 'live' || q.state === 'answered') {
        if (!reached(`q:${q.id}:live`, q.liveAt)) shown = { ...q, state: 'approved' };
        else if (q.state === 'answered' && !reached(`q:${q.id}:answered`, q.answeredAt)) shown = { ...q, state: 'live' };
      }
      if (shown.state === 'live' && (!onAir || (onAir.liveAt ?? '') <= (shown.liveAt ?? ''))) onAir = shown;
      questions.push(shown);
    }
    // Between one answer and the next question, for a moment both may be on air in the picture: keep the latest.
    const oneOnAir = questions.map((q) => (q.state === 'live' && q !== onAir ? { ...q, state: 'answered' as const } : q));

    const polls: Poll[] = state.polls.filter(
      (p) => p.state === 'draft' || reached(`p:${p.id}`, p.openedAt),
    );

    const signature = held.join(' ');
    if (this.#last && this.#last.state === state && this.#last.signature === signature) return this.#last.view;
    const view = held.length === 0 ? state : { ...state, questions: oneOnAir, polls };
    this.#last = { state, signature, view };
    return view;
  }

  /** Forgets every wait (the page is leaving). */
  dispose(): void {
    for (const cancel of this.#waits.values()) cancel();
    this.#waits.clear();
  }

  #instant(key: string, iso: string | null): number {
    const parsed = iso === null ? Number.NaN : Date.parse(iso);
    if (Number.isFinite(parsed)) return parsed;
    let arrived = this.#arrivals.get(key);
    if (arrived === undefined) {
      arrived = this.#realClock.now();
      this.#arrivals.set(key, arrived);
    }
    return arrived;
  }

  #wait(key: string, instant: number): void {
    const id = `${key}@${instant}`;
    if (this.#waits.has(id)) return;
    this.#waits.set(
      id,
      this.#clock.at(instant, () => {
        this.#waits.delete(id);
        this.#onChange();
      }),
    );
  }
}
