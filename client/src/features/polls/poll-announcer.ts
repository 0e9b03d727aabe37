import type { Poll } from '#shared/domain/poll';

/** Live results are announced at most this often per poll, however fast the votes come in. */
export const RESULTS_ANNOUNCE_INTERVAL_MS = 20_000;

export type PollAnnouncement =
  | { kind: 'opened'; poll: Poll }
  | { kind: 'closed'; poll: Poll }
  | { kind: 'results'; poll: Poll };

interface Seen {
  state: Poll['state'];
  voters: number | null;
  announcedAt: number;
}

/**
 * Decides what a screen reader should hear about the polls: a poll that opens, a poll that closes, and, for the polls
 * whose results the person follows, a results update now and then — never one per burst of votes.
 *
 * The first call only learns what is there: polls that were open before the page came are not news.
 */
export class PollAnnouncer {
  readonly #seen = new Map<string, Seen>();
  readonly #intervalMs: number;
  #primed = false;

  constructor(intervalMs = RESULTS_ANNOUNCE_INTERVAL_MS) {
    this.#intervalMs = intervalMs;
  }

  /**
   * Takes the polls as they are now; answers the most important news, or null. `followResults` says whether results
   * updates are wanted (the polls are on screen).
   */
  next(polls: readonly Poll[], now: number, followResults: boolean): PollAnnouncement | null {
    let news: PollAnnouncement | null = null;
    const rank = { opened: 2, closed: 3, results: 1 } as const;
    const offer = (a: PollAnnouncement): void => {
      if (!news || rank[a.kind] > rank[news.kind]) news = a;
    };
    for (const poll of polls) {
      if (poll.state === 'draft') continue;
      const seen = this.#seen.get(poll.id);
      const voters = poll.counts === null ? null : poll.voters;
      if (!seen) {
        this.#seen.set(poll.id, { state: poll.state, voters, announcedAt: now });
        if (this.#primed && poll.state === 'open') offer({ kind: 'opened', poll });
        continue;
      }
      if (seen.state !== poll.state) {
        seen.state = poll.state;
        seen.voters = voters;
        seen.announcedAt = now;
        offer({ kind: poll.state === 'closed' ? 'closed' : 'opened', poll });
        continue;
      }
      if (
        followResults &&
        poll.state === 'open' &&
        voters !== null &&
        voters !== seen.voters &&
        now - seen.announcedAt >= this.#intervalMs
      ) {
        seen.voters = voters;
        seen.announcedAt = now;
        offer({ kind: 'results', poll });
      }
    }
    this.#primed = true;
    return news;
  }
}
