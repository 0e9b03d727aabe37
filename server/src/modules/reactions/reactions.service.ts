import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Event } from '#shared/domain/event';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { ReactionPayload } from '#shared/protocol/payloads';
import type { AccessPolicy } from '../access/policy';
import { DomainError } from '../../core/errors';
import type { ModerationService } from '../moderation/moderation.service';
import type { ReactionBursts } from './reaction-bursts';
import type { ReactionRecorder } from './reaction-recorder';

/** A person may send this many reactions… */
export const REACTION_RATE_POINTS = 20;
/** …per this many seconds, across all their sockets and every process. */
export const REACTION_RATE_SECONDS = 5;

export interface ReactionsServiceDeps {
  bursts: ReactionBursts;
  /** Keeps the clicks of this process, per second, for the replay. */
  recorder: Pick<ReactionRecorder, 'add'>;
  /** Counts reactions per person: in Redis when processes share the load, so the limit holds across them. */
  limiter: RateLimiterAbstract;
  moderation: Pick<ModerationService, 'assertNotBanned'>;
  /** An ended or cancelled event takes no more reactions. */
  policy: Pick<AccessPolicy, 'assertOpenToWriting'>;
  getEvent: (eventId: string) => Promise<Event>;
}

/** Emoji reactions from the room, aggregated into bursts (issue 5). */
export class ReactionsService {
  constructor(private readonly deps: ReactionsServiceDeps) {}

  /**
   * Takes one click from a socket in the event's room: it joins the next burst, and the second it is kept under for
   * the replay.
   * @param inRoom whether the sending socket joined the event's room
   */
  async send(user: User | null, inRoom: boolean, payload: ReactionPayload): Promise<void> {
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Choose a display name to react');
    if (!inRoom) throw new DomainError(ErrorCode.FORBIDDEN, 'Join the event before reacting');
    this.deps.policy.assertOpenToWriting(await this.deps.getEvent(payload.eventId), 'reactions');
    await this.deps.moderation.assertNotBanned(user, payload.eventId);
    try {
      await this.deps.limiter.consume(user.id);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw new DomainError(ErrorCode.UNAVAILABLE, 'Reactions are unavailable for a moment: try again');
      }
      throw new DomainError(
        ErrorCode.RATE_LIMITED,
        'Too many reactions: wait a moment',
        Math.max(1, Math.ceil(res.msBeforeNext)),
      );
    }
    this.deps.bursts.add(payload.eventId, payload.reaction);
    this.deps.recorder.add(payload.eventId, payload.reaction);
  }
}
