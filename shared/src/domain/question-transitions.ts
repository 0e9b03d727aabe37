import type { QuestionModerateAction } from '../protocol/payloads';
import type { QuestionState } from './question';

/**
 * The states the whole audience sees. Pending and rejected questions reach only their asker and the moderators, and
 * so do merged ones: a question merged while still pending was never approved, and one merged after approval lives
 * on in the question it joined, which carries its votes.
 */
export const AUDIENCE_STATES: readonly QuestionState[] = ['approved', 'live', 'answered'];
/** Only these questions take votes, and withdrawals of votes. */
export const VOTABLE_STATES: readonly QuestionState[] = ['approved', 'live'];

/*
 * Which moderator actions a question takes in each state: the server refuses a state change from any other state
 * (CONFLICT), and the moderator console offers exactly these. The store applies a change only if the question is still in one of the
 * allowed states when it acts, so two moderators acting at once cannot both win.
 */

/** The actions that move a question to another state. */
export type QuestionStateAction = Extract<QuestionModerateAction, 'approve' | 'reject' | 'live' | 'answered' | 'merge'>;

/** The state each state-changing action leads to. */
export const ACTION_TARGET = {
  approve: 'approved',
  reject: 'rejected',
  live: 'live',
  answered: 'answered',
  merge: 'merged',
} as const satisfies Record<QuestionStateAction, QuestionState>;

/**
 * The states each action starts from. `live` is taken from `pending` too: a moderator who puts a waiting question on
 * air approves it in the same step (one store operation, one audit entry), not in two requests that could be split
 * by another moderator's action.
 */
export const ACTION_FROM: Readonly<Record<QuestionStateAction, readonly QuestionState[]>> = {
  approve: ['pending'],
  reject: ['pending', 'approved'],
  live: ['pending', 'approved'],
  answered: ['live'],
  merge: ['pending', 'approved'],
};

/** A question can absorb another while it is one someone may still answer, or has answered. */
export const MERGE_INTO_STATES: readonly QuestionState[] = ['pending', 'approved', 'live', 'answered'];

/**
 * The actions that change a question without moving it, as the console offers them: starring and editing while it is
 * still in play, and placing it in the queue while it waits there (approved). They move no state, so the server takes
 * them in any state; a question rejected or merged meanwhile simply keeps the change.
 */
const EDITS: Readonly<Record<QuestionState, readonly QuestionModerateAction[]>> = {
  pending: ['star', 'edit'],
  approved: ['star', 'edit', 'reorder'],
  live: ['star', 'edit'],
  answered: ['star', 'edit'],
  rejected: [],
  merged: [],
};

export function isStateAction(action: QuestionModerateAction): action is QuestionStateAction {
  return action in ACTION_FROM;
}

/** Whether a moderator may take `action` on a question in `state`. */
export function canModerateQuestion(state: QuestionState, action: QuestionModerateAction): boolean {
  return isStateAction(action) ? ACTION_FROM[action].includes(state) : EDITS[state].includes(action);
}

/** Every action a question in `state` takes, in the order of `QuestionModerateAction`. */
export function actionsFor(state: QuestionState): ReadonlySet<QuestionModerateAction> {
  const all: readonly QuestionModerateAction[] = ['approve', 'reject', 'live', 'answered', 'merge', 'star', 'edit', 'reorder'];
  return new Set(all.filter((action) => canModerateQuestion(state, action)));
}
