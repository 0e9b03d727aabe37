import type { Event } from '#shared/domain/event';
import { REACTION_BURSTS_PER_SECOND } from '#shared/domain/moderation';
import type { Poll } from '#shared/domain/poll';
import { isRoomStaff } from '#shared/domain/staff';
import type { Role, User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { PollControlPayload, PollCreatePayload, PollVotePayload } from '#shared/protocol/payloads';
import type { PollRecord } from '../../store/poll-store';
import type { Store } from '../../store/store';
import type { AccessPolicy } from '../access/policy';
import { AuditAction, type AuditLog } from '../../core/audit';
import { DomainError } from '../../core/errors';
import type { ModerationService } from '../moderation/moderation.service';
import { Coalescer } from './coalescer';

/** The results of a poll reach the room at most this often while votes come in (per poll, per process). */
export const POLL_UPDATES_PER_SECOND = REACTION_BURSTS_PER_SECOND;

/** Polls that changed, as stored; the broadcaster makes each room's copy (polls.broadcast.ts). */
export interface PollsChange {
  polls: PollRecord[];
  /** Drafts deleted: only the staff ever saw them. */
  removed?: string[];
}
export type PollsListener = (eventId: string, change: PollsChange) => void;

export interface PollsServiceDeps {
  store: Store;
  policy: AccessPolicy;
  audit: AuditLog;
  /** Refuses votes of people banned from the event. */
  moderation: Pick<ModerationService, 'assertNotBanned'>;
  listener?: PollsListener;
  /** Told when a coalesced results update could not be read; it is dropped (the next vote sends another). */
  onError?: (err: unknown) => void;
  now?: () => Date;
}

/**
 * A poll as one person sees it: the staff (moderators, admins) see every poll with its results; everyone else sees
 * open and closed polls, without results while an `after-close` poll is still open. Undefined when this person may
 * not see the poll at all (a draft, to the audience).
 */
export function pollView(p: PollRecord, staff: boolean, myChoice?: string[]): Poll | undefined {
  if (!staff && p.state === 'draft') return undefined;
  const hidden = !staff && p.results === 'after-close' && p.state !== 'closed';
  const view: Poll = {
    id: p.id,
    eventId: p.eventId,
    question: p.question,
    options: p.options.map((o) => ({ id: o.id, text: o.text })),
    multiple: p.multiple,
    results: p.results,
    state: p.state,
    createdAt: p.createdAt,
    openedAt: p.openedAt,
    closedAt: p.closedAt,
    counts: hidden ? null : [...p.counts],
    voters: hidden ? null : p.voters,
  };
  if (myChoice !== undefined) view.myChoice = myChoice;
  return view;
}

/** The moderators' copy in a broadcast. */
export const staffPollView = (p: PollRecord): Poll => pollView(p, true)!;
/** The audience's copy in a broadcast, or undefined for a draft. */
export const audiencePollView = (p: PollRecord): Poll | undefined => pollView(p, false);

/** Polls: prepared by moderators, opened and closed, one vote per person (issue 5). */
export class PollsService {
  private readonly updates: Coalescer<string>;
  private readonly now: () => Date;

  constructor(private readonly deps: PollsServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    // Results are re-read when the update goes out, so the trailing update always carries the latest counts.
    this.updates = new Coalescer(1000 / POLL_UPDATES_PER_SECOND, (key) => {
      const [eventId, pollId] = JSON.parse(key) as [string, string];
      this.deps.store.polls.getPoll(eventId, pollId).then(
        (poll) => {
          if (poll) this.deps.listener?.(eventId, { polls: [poll] });
        },
        (err: unknown) => this.deps.onError?.(err),
      );
    });
  }

  /** A moderator prepares a poll: a draft that only the staff see until it opens. */
  async create(user: User | null, event: Event, payload: PollCreatePayload): Promise<Poll> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const poll = await this.deps.store.polls.createPoll({
      eventId: event.id,
      question: payload.question,
      options: payload.options.map((text, i) => ({ id: `o${i + 1}`, text })),
      multiple: payload.multiple,
      results: payload.results,
      createdAt: this.now().toISOString(),
    });
    await this.deps.audit.record(user!, AuditAction.POLL_CREATE, `event:${event.id}`, { pollId: poll.id, question: poll.question });
    this.deps.listener?.(event.id, { polls: [poll] });
    return pollView(poll, true, [])!;
  }

  /**
   * Opens a draft, closes an open poll, or deletes a draft (answering null). CONFLICT from any other state; an ended
   * or cancelled event opens no more polls (FORBIDDEN, `event-closed`), but its open polls can still be closed.
   */
  async control(user: User | null, event: Event, payload: PollControlPayload): Promise<Poll | null> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const { pollId, action } = payload;
    if (action === 'open') this.deps.policy.assertOpenToWriting(event, 'polls');
    const target = `event:${event.id}`;
    if (action === 'delete') {
      const deleted = await this.deps.store.polls.deleteDraft(event.id, pollId);
      if (deleted.outcome === 'not-found') throw notFound();
      if (deleted.outcome === 'refused') throw new DomainError(ErrorCode.CONFLICT, `Only a draft can be deleted; this poll is ${deleted.poll.state}`);
      await this.deps.audit.record(user!, AuditAction.POLL_DELETE, target, { pollId, question: deleted.poll.question });
      this.deps.listener?.(event.id, { polls: [], removed: [pollId] });
      return null;
    }
    const changed = await this.deps.store.polls.setPollState(
      event.id,
      pollId,
      action === 'open' ? { from: 'draft', to: 'open', at: this.now().toISOString() } : { from: 'open', to: 'closed', at: this.now().toISOString() },
    );
    if (changed.outcome === 'not-found') throw notFound();
    if (changed.outcome === 'refused') throw new DomainError(ErrorCode.CONFLICT, `Cannot ${action} a poll that is ${changed.poll.state}`);
    await this.deps.audit.record(user!, action === 'open' ? AuditAction.POLL_OPEN : AuditAction.POLL_CLOSE, target, {
      pollId,
      question: changed.poll.question,
    });
    this.deps.listener?.(event.id, { polls: [changed.poll] });
    const mine = (await this.deps.store.polls.choicesOf(event.id, user!.id)).get(pollId) ?? [];
    return pollView(changed.poll, true, mine)!;
  }

  /**
   * Records a person's vote, stored before it is acknowledged, and answers the poll as they now see it. One vote per
   * person: a second one is a CONFLICT and the first stays.
   */
  async vote(user: User | null, event: Event, payload: PollVotePayload): Promise<Poll> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to vote');
    const role = await this.deps.policy.assertCanJoin(user, event);
    this.deps.policy.assertOpenToWriting(event, 'votes');
    await this.deps.moderation.assertNotBanned(user, event.id);
    const staff = isRoomStaff(role);
    const result = await this.deps.store.polls.votePoll(event.id, payload.pollId, user.id, payload.optionIds);
    switch (result.outcome) {
      case 'not-found':
        throw notFound();
      case 'not-open':
        // A draft is not the audience's to know about.
        if (!staff && result.poll.state === 'draft') throw notFound();
        throw new DomainError(ErrorCode.CONFLICT, `This poll takes no votes: it is ${result.poll.state}`);
      case 'invalid':
        throw new DomainError(
          ErrorCode.INVALID_PAYLOAD,
          result.poll.multiple ? 'optionIds: choose distinct options of this poll' : 'optionIds: choose exactly one option of this poll',
        );
      case 'already-voted':
        throw new DomainError(ErrorCode.CONFLICT, 'You have already voted in this poll');
      case 'counted':
        this.updates.touch(JSON.stringify([event.id, result.poll.id]));
        return pollView(result.poll, staff, result.choice)!;
    }
  }

  /** The polls a person may see at join: every poll for moderators and admins, open and closed ones for others. */
  async visibleTo(user: User | null, role: Role, eventId: string): Promise<Poll[]> {
    const [polls, choices] = await Promise.all([
      this.deps.store.polls.listPolls(eventId),
      user ? this.deps.store.polls.choicesOf(eventId, user.id) : Promise.resolve(new Map<string, string[]>()),
    ]);
    const staff = isRoomStaff(role);
    return polls.flatMap((p) => pollView(p, staff, choices.get(p.id) ?? []) ?? []);
  }

  /** Stops the pending results updates (at shutdown). */
  close(): void {
    this.updates.close();
  }
}

function notFound(): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, 'No such poll in this event');
}
