import { randomUUID } from 'node:crypto';
import type { PollOption, PollResultsVisibility, PollState } from '#shared/domain/poll';

/** A poll as stored: its counts always, whoever will read it (the service hides them when it must). */
export interface PollRecord {
  id: string;
  eventId: string;
  question: string;
  options: PollOption[];
  multiple: boolean;
  results: PollResultsVisibility;
  state: PollState;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  /** Votes per option, in the order of `options`. */
  counts: number[];
  /** The number of people who voted; always the number of ballots stored for the poll. */
  voters: number;
}

/** A poll as the service hands it to the store: a draft, without votes. The store assigns `id`. */
export interface NewPoll {
  eventId: string;
  question: string;
  /** Option ids are unique within the poll. */
  options: PollOption[];
  multiple: boolean;
  results: PollResultsVisibility;
  createdAt: string;
}

export interface PollStateChange {
  to: 'open' | 'closed';
  /** The state the poll must be in for the change to happen; otherwise it is refused, atomically. */
  from: PollState;
  /** Recorded as `openedAt` or `closedAt`. */
  at: string;
}

export type PollStateResult =
  | { outcome: 'changed'; poll: PollRecord }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; poll: PollRecord };

export type PollDeleteResult = { outcome: 'deleted'; poll: PollRecord } | { outcome: 'not-found' } | { outcome: 'refused'; poll: PollRecord };

export type PollVoteResult =
  | { outcome: 'counted'; poll: PollRecord; choice: string[] }
  | { outcome: 'not-found' }
  /** The poll is not open (a draft, or closed); nothing changed. */
  | { outcome: 'not-open'; poll: PollRecord }
  /** The choice names an option the poll does not have, names one twice, or names several in a single-choice poll. */
  | { outcome: 'invalid'; poll: PollRecord }
  /** This person already voted: `choice` is the ballot stored the first time, which stays. */
  | { outcome: 'already-voted'; poll: PollRecord; choice: string[] };

/**
 * The storage port of polls (issue 5). SQLite and Redis implement it in `sqlite/sqlite-polls.ts` and
 * `redis/redis-polls.ts`; the contract suite is `poll.contract.ts`. State changes and votes are single atomic
 * operations: one vote per person, counts always equal to the ballots stored.
 */
export interface PollStore {
  /** Stores a new draft, with zero votes. */
  createPoll(poll: NewPoll): Promise<PollRecord>;
  getPoll(eventId: string, pollId: string): Promise<PollRecord | undefined>;
  /** Every poll of the event, oldest first (ties by id). */
  listPolls(eventId: string): Promise<PollRecord[]>;
  /** Moves a poll from `change.from` to `change.to`, atomically; refused from any other state. */
  setPollState(eventId: string, pollId: string, change: PollStateChange): Promise<PollStateResult>;
  /** Deletes a poll if it is a draft, atomically; refused in any other state. */
  deleteDraft(eventId: string, pollId: string): Promise<PollDeleteResult>;
  /**
   * Records a person's ballot atomically with every check: the poll is open, the options exist and are distinct,
   * exactly one unless the poll is `multiple`, and the person has not voted yet.
   */
  votePoll(eventId: string, pollId: string, userId: string, optionIds: readonly string[]): Promise<PollVoteResult>;
  /** The ballots of one person in an event: poll id → the options they chose. */
  choicesOf(eventId: string, userId: string): Promise<Map<string, string[]>>;
  /** Removes everything of this event (called when the event is deleted). */
  deleteEventData(eventId: string): Promise<void>;
  /** Removes everything (the demo reset). */
  clearAll(): Promise<void>;
}

/** A new poll as both stores keep it: a draft with no votes. */
export function newPollRecord(poll: NewPoll): PollRecord {
  return {
    id: randomUUID(),
    eventId: poll.eventId,
    question: poll.question,
    options: poll.options.map((o) => ({ id: o.id, text: o.text })),
    multiple: poll.multiple,
    results: poll.results,
    state: 'draft',
    createdAt: poll.createdAt,
    openedAt: null,
    closedAt: null,
    counts: poll.options.map(() => 0),
    voters: 0,
  };
}
