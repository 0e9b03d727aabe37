import type { Event } from '#shared/domain/event';
import { AUDIENCE_STATES, type Question, type QuestionState } from '#shared/domain/question';
import { ACTION_FROM, ACTION_TARGET, MERGE_INTO_STATES } from '#shared/domain/question-transitions';
import { isRoomStaff } from '#shared/domain/staff';
import type { Role, User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { QuestionAskPayload, QuestionModeratePayload, QuestionVotePayload } from '#shared/protocol/payloads';
import type { QuestionRecord } from '../../store/question-store';
import type { Store } from '../../store/store';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AccessPolicy } from '../access/policy';
import { AuditAction, type AuditLog } from '../../core/audit';
import { DomainError } from '../../core/errors';
import type { ModerationService } from '../moderation/moderation.service';
import { consumeOrRefuse } from '../../core/rate-limit';

/** Asking: at most this many questions per person per window (moderators and admins are exempt). */
export const QUESTION_ASK_LIMIT = { points: 5, duration: 60 } as const;
/** Voting and withdrawing votes: at most this many per person per window (moderators and admins are exempt). */
export const QUESTION_VOTE_LIMIT = { points: 30, duration: 10 } as const;

/** A question that changed, with whether the audience could see it before: the broadcaster needs both. */
export interface QuestionChange {
  question: QuestionRecord;
  /** Whether the audience saw the question before this change (false for a new question). */
  wasPublic: boolean;
}

/** Told about every change, after it is stored; broadcasts them (questions.socket.ts). */
export type QuestionListener = (eventId: string, changes: QuestionChange[]) => void;

export const isPublic = (state: QuestionState): boolean => AUDIENCE_STATES.includes(state);

/**
 * A question as one person sees it: moderators see everything; the asker sees their own question (author included)
 * in every state; the audience sees public questions, without the author when anonymous. Undefined when this person
 * may not see it at all.
 */
export function viewOf(q: QuestionRecord, viewer: { userId: string | null; role: Role }, voted?: boolean): Question | undefined {
  const own = viewer.userId !== null && q.author.id === viewer.userId;
  // Those who run the room see every question whole.
  const everything = isRoomStaff(viewer.role);
  if (!everything && !own && !isPublic(q.state)) return undefined;
  const view: Question = {
    id: q.id,
    eventId: q.eventId,
    text: q.text,
    anonymous: q.anonymous,
    author: q.anonymous && !everything && !own ? null : { id: q.author.id, displayName: q.author.displayName },
    state: q.state,
    votes: q.votes,
    starred: q.starred,
    position: q.position,
    createdAt: q.createdAt,
    liveAt: q.liveAt,
    answeredAt: q.answeredAt,
    rejectedReason: q.rejectedReason,
    mergedInto: q.mergedInto,
    origin: q.origin,
  };
  if (voted !== undefined) view.voted = voted;
  return view;
}

/** The audience's copy in a broadcast: a public question, without `voted`, without an anonymous asker's name. */
export const audienceView = (q: QuestionRecord): Question | undefined => viewOf(q, { userId: null, role: 'guest' });
/** The moderators' copy in a broadcast. */
export const staffView = (q: QuestionRecord): Question => viewOf(q, { userId: null, role: 'moderator' })!;
/** The asker's copy in a broadcast. */
export const askerView = (q: QuestionRecord): Question => viewOf(q, { userId: q.author.id, role: 'guest' })!;

export interface QuestionsServiceDeps {
  store: Store;
  policy: AccessPolicy;
  /** Pre-moderation per event, and the sanctions that keep a person from asking and voting. */
  moderation: ModerationService;
  /** Records the moderators' actions on questions. */
  audit: AuditLog;
  /** Told about every change, after it is stored. */
  listener?: QuestionListener;
  /** Count asks and votes per person ({@link QUESTION_ASK_LIMIT}, {@link QUESTION_VOTE_LIMIT}); none when absent. */
  askLimiter?: RateLimiterAbstract;
  voteLimiter?: RateLimiterAbstract;
  now?: () => Date;
}

export class QuestionsService {
  private readonly store: Store;
  private readonly policy: AccessPolicy;
  private readonly listener: QuestionListener;
  private readonly now: () => Date;

  constructor(private readonly deps: QuestionsServiceDeps) {
    this.store = deps.store;
    this.policy = deps.policy;
    this.listener = deps.listener ?? (() => {});
    this.now = deps.now ?? (() => new Date());
  }

  /** Asks a question; a repeated clientId returns the question stored the first time and tells nobody again. */
  async ask(user: User | null, event: Event, payload: QuestionAskPayload): Promise<Question> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to ask a question');
    const role = await this.policy.assertCanJoin(user, event);
    this.policy.assertOpenToWriting(event, 'questions');
    await this.deps.moderation.assertMayTakePart(user, role, event.id);
    if (this.deps.askLimiter && !isRoomStaff(role)) {
      try {
        await consumeOrRefuse(this.deps.askLimiter, user.id, 'Too many questions: wait a moment before asking again');
      } catch (err) {
        // A retried ask (lost ack) is answered with the question stored the first time, limit or not.
        const asked = (await this.store.questions.list(event.id)).find((q) => q.author.id === user.id && q.clientId === payload.clientId);
        if (!asked) throw err;
      }
    }
    const { question, created } = await this.store.questions.ask({
      eventId: event.id,
      text: payload.text,
      anonymous: payload.anonymous ?? false,
      author: { id: user.id, displayName: user.displayName },
      clientId: payload.clientId,
      state: (await this.deps.moderation.preModeration(event)) ? 'pending' : 'approved',
      createdAt: this.now().toISOString(),
      origin: payload.origin ?? 'online',
    });
    if (created) this.listener(event.id, [{ question, wasPublic: false }]);
    // A retried ask answers the question as it is now, votes included.
    const voted = !created && (await this.store.questions.votesBy(event.id, user.id)).includes(question.id);
    return viewOf(question, { userId: user.id, role }, voted)!;
  }

  /** Upvotes (`up`) or withdraws a vote on an approved or live question. */
  async vote(user: User | null, event: Event, payload: QuestionVotePayload): Promise<Question> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to vote');
    const role = await this.policy.assertCanJoin(user, event);
    this.policy.assertOpenToWriting(event, 'votes');
    await this.deps.moderation.assertMayTakePart(user, role, event.id);
    if (this.deps.voteLimiter && !isRoomStaff(role)) {
      await consumeOrRefuse(this.deps.voteLimiter, user.id, 'Too many votes: wait a moment before voting again');
    }
    const result = await this.store.questions.vote(event.id, payload.questionId, user.id, payload.up);
    if (result.outcome === 'not-found' || (result.outcome === 'closed' && !viewOf(result.question, { userId: user.id, role }))) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'No such question in this event');
    }
    if (result.outcome === 'closed') {
      throw new DomainError(ErrorCode.CONFLICT, `This question takes no votes: it is ${result.question.state}`);
    }
    if (result.changed) this.listener(event.id, [{ question: result.question, wasPublic: true }]);
    return viewOf(result.question, { userId: user.id, role }, payload.up)!;
  }

  /**
   * A moderator's action on a question; answers the question as the moderator now sees it. The states each action
   * starts from are the shared table (`shared/src/domain/question-transitions.ts`): putting a pending question on air
   * approves it in the same store operation, and is audited once, as `live`.
   */
  async moderate(user: User | null, event: Event, payload: QuestionModeratePayload): Promise<Question> {
    const role = await this.policy.assertCanModerate(user, event.id);
    const at = this.now().toISOString();
    const { questionId } = payload;
    const changes: QuestionChange[] = [];
    let result: QuestionRecord;

    switch (payload.action) {
      case 'approve':
      case 'reject':
      case 'live':
      case 'answered': {
        const changed = await this.store.questions.setState(event.id, questionId, {
          to: ACTION_TARGET[payload.action],
          from: ACTION_FROM[payload.action],
          at,
          ...(payload.action === 'reject' && { reason: payload.reason ?? null }),
        });
        if (changed.outcome === 'not-found') throw notFound();
        if (changed.outcome === 'refused') throw refused(payload.action, changed.question.state);
        // The previous live question was public and stays so (answered).
        if (changed.answered) changes.push({ question: changed.answered, wasPublic: true });
        changes.push({ question: changed.question, wasPublic: isPublic(changed.previous) });
        result = changed.question;
        break;
      }
      case 'merge': {
        const merged = await this.store.questions.merge(event.id, questionId, payload.intoQuestionId!, {
          from: ACTION_FROM.merge,
          into: MERGE_INTO_STATES,
        });
        if (merged.outcome === 'not-found') throw notFound();
        if (merged.outcome === 'refused') {
          throw new DomainError(
            ErrorCode.CONFLICT,
            merged.from.id === merged.into.id
              ? 'A question cannot be merged into itself'
              : `Cannot merge a ${merged.from.state} question into a ${merged.into.state} one`,
          );
        }
        changes.push({ question: merged.from, wasPublic: isPublic(merged.previous) });
        changes.push({ question: merged.into, wasPublic: isPublic(merged.into.state) });
        result = merged.from;
        break;
      }
      case 'star':
      case 'edit':
      case 'reorder': {
        const patch =
          payload.action === 'star'
            ? { starred: payload.starred ?? true }
            : payload.action === 'edit'
              ? { text: payload.text! }
              : { position: payload.position ?? null };
        const updated = await this.store.questions.update(event.id, questionId, patch);
        if (!updated) throw notFound();
        changes.push({ question: updated, wasPublic: isPublic(updated.state) });
        result = updated;
        break;
      }
    }
    this.listener(event.id, changes);
    await this.deps.audit.record(user!, AuditAction.QUESTION_MODERATE, `event:${event.id}`, {
      questionId,
      // The words of the question, so that the audit log can say which one in a sentence.
      question: result.text,
      ...(payload.action === 'merge' && { intoQuestion: changes.at(-1)?.question.text }),
      action: payload.action,
      ...(payload.reason !== undefined && { reason: payload.reason }),
      ...(payload.intoQuestionId !== undefined && { intoQuestionId: payload.intoQuestionId }),
      ...(payload.action === 'edit' && { text: payload.text }),
      ...(payload.action === 'star' && { starred: payload.starred ?? true }),
      ...(payload.action === 'reorder' && { position: payload.position ?? null }),
    });
    return viewOf(result, { userId: user!.id, role })!;
  }

  /**
   * The questions a person may see, with whether they voted for each: for the join ack. Moderators and admins get
   * every question; anyone else the public ones and their own.
   */
  async visibleTo(user: User | null, role: Role, eventId: string): Promise<Question[]> {
    const [all, votes] = await Promise.all([
      this.store.questions.list(eventId),
      user ? this.store.questions.votesBy(eventId, user.id) : Promise.resolve([]),
    ]);
    const voted = new Set(votes);
    const viewer = { userId: user?.id ?? null, role };
    return all.flatMap((q) => viewOf(q, viewer, voted.has(q.id)) ?? []);
  }
}

function notFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'No such question in this event');
}

function refused(action: string, state: QuestionState): DomainError {
  return new DomainError(ErrorCode.CONFLICT, `Cannot ${action === 'answered' ? 'mark as answered' : action} a ${state} question`);
}
