import type { QuestionAuthor, QuestionOrigin, QuestionState } from '#shared/domain/question';

/** A question as stored: its author always (the service hides anonymous ones from the audience), its clientId. */
export interface QuestionRecord {
  id: string;
  eventId: string;
  text: string;
  anonymous: boolean;
  author: QuestionAuthor;
  clientId: string;
  state: QuestionState;
  /** The number of distinct voters; always equal to the size of the question's voter set. */
  votes: number;
  starred: boolean;
  position: number | null;
  createdAt: string;
  liveAt: string | null;
  answeredAt: string | null;
  rejectedReason: string | null;
  mergedInto: string | null;
  /** Where it was asked; a question stored before origins existed reads as `online`. */
  origin: QuestionOrigin;
}

/** A question as the service hands it to the store; the store assigns `id`. */
export interface NewQuestion {
  eventId: string;
  text: string;
  anonymous: boolean;
  author: QuestionAuthor;
  clientId: string;
  state: 'pending' | 'approved';
  createdAt: string;
  /** Absent: asked online. */
  origin?: QuestionOrigin;
}

export type VoteResult =
  | { outcome: 'counted'; question: QuestionRecord; /** False when the vote was already there (or already gone). */ changed: boolean }
  | { outcome: 'not-found' }
  /** The question is in a state that takes no votes; nothing changed. */
  | { outcome: 'closed'; question: QuestionRecord };

export interface StateChange {
  to: 'approved' | 'live' | 'answered' | 'rejected';
  /** The states the question may be in for the change to happen; otherwise it is refused, atomically. */
  from: readonly QuestionState[];
  /** Recorded as `liveAt` or `answeredAt` (also the previous live question's `answeredAt`). */
  at: string;
  /** With `rejected`: the reason shown to the asker. */
  reason?: string | null;
}

export type StateResult =
  | {
      outcome: 'changed';
      question: QuestionRecord;
      /** The state the question was in just before the change. */
      previous: QuestionState;
      /** When a question went live: the question that was live until then, now answered. */
      answered?: QuestionRecord;
    }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; question: QuestionRecord };

export type MergeResult =
  | { outcome: 'merged'; from: QuestionRecord; into: QuestionRecord; /** from's state before the merge */ previous: QuestionState }
  | { outcome: 'not-found' }
  | { outcome: 'refused'; from: QuestionRecord; into: QuestionRecord };

export interface QuestionPatch {
  text?: string;
  starred?: boolean;
  position?: number | null;
}

/**
 * The storage port of the Q&A, reached as `store.questions`. SQLite and Redis implement it in
 * `sqlite/sqlite-questions.ts` and `redis/redis-questions.ts`; the contract suite is `question.contract.ts`. Every
 * method that changes a question is one atomic step with its checks: one vote per person, one live question.
 */
export interface QuestionStore {
  /**
   * Stores a question, unless this author already asked with this clientId in this event: the first question is then
   * returned unchanged.
   */
  ask(question: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }>;
  get(eventId: string, questionId: string): Promise<QuestionRecord | undefined>;
  /** Every question of the event, oldest first (ties by id). */
  list(eventId: string): Promise<QuestionRecord[]>;
  /**
   * Adds (`up`) or withdraws a person's vote, atomically with the check that the question takes votes (approved or
   * live): one vote per person, `votes` always the number of distinct voters.
   */
  vote(eventId: string, questionId: string, userId: string, up: boolean): Promise<VoteResult>;
  /** Ids of the event's questions this person has a vote on, sorted. */
  votesBy(eventId: string, userId: string): Promise<string[]>;
  /**
   * Moves a question to another state if it is in one of `change.from`, atomically. Setting a question live moves the
   * event's previous live question to answered in the same step, so there is never more than one live question.
   */
  setState(eventId: string, questionId: string, change: StateChange): Promise<StateResult>;
  /**
   * Merges `fromId` into `intoId` atomically when each is in one of its allowed states: `from` becomes `merged` with
   * `mergedInto`, and `into` gains `from`'s voters (a person who voted for both counts once).
   */
  merge(
    eventId: string,
    fromId: string,
    intoId: string,
    allowed: { from: readonly QuestionState[]; into: readonly QuestionState[] },
  ): Promise<MergeResult>;
  /** Changes the text, the star or the queue position; undefined when there is no such question. */
  update(eventId: string, questionId: string, patch: QuestionPatch): Promise<QuestionRecord | undefined>;
}
