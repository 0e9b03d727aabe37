import type { z } from 'zod';
import type { AckFn } from './ack';
import type { ClientToServerEvents } from './events';
import {
  BackstageNotePayload,
  CaptionSendPayload,
  ChatDeletePayload,
  ChatReviewPayload,
  ChatSendPayload,
  JoinPayload,
  LeavePayload,
  PollControlPayload,
  PollCreatePayload,
  PollVotePayload,
  QuestionAskPayload,
  QuestionModeratePayload,
  QuestionVotePayload,
  ReactionPayload,
  RoomConfigurePayload,
  SanctionPayload,
  ViewerHeartbeatPayload,
} from './payloads';

/** The name of a client → server event. */
export type ClientEventName = keyof ClientToServerEvents;
/** What a client sends with an event, as it goes on the wire (before the server's schema applies defaults). */
export type ClientPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
/** The `data` of a successful ack of an event. */
export type ClientResult<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;

/**
 * The schema of every client → server event: the one list the server validates against, and the one a test walks to
 * fuzz the whole protocol. An event added to `ClientToServerEvents` without a schema here does not compile, nor does a
 * schema whose input differs from the event's declared payload (see `SchemasMatchEvents` below).
 */
export const clientEventSchemas = {
  'event:join': JoinPayload,
  'event:leave': LeavePayload,
  'chat:send': ChatSendPayload,
  'chat:delete': ChatDeletePayload,
  'chat:review': ChatReviewPayload,
  'moderation:sanction': SanctionPayload,
  'room:configure': RoomConfigurePayload,
  'backstage:note': BackstageNotePayload,
  'poll:create': PollCreatePayload,
  'poll:control': PollControlPayload,
  'poll:vote': PollVotePayload,
  'reaction:send': ReactionPayload,
  'question:ask': QuestionAskPayload,
  'question:vote': QuestionVotePayload,
  'question:moderate': QuestionModeratePayload,
  'viewer:heartbeat': ViewerHeartbeatPayload,
  'caption:send': CaptionSendPayload,
} as const satisfies { readonly [E in ClientEventName]: z.ZodType<unknown, ClientPayload<E>> };

/** The payload a handler receives: the event's payload once its schema accepted it (defaults filled in, text trimmed). */
export type ParsedPayload<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;

/** Whether an event name is one of the protocol's; own keys only, so `constructor` or `__proto__` are not. */
export function isClientEventName(name: unknown): name is ClientEventName {
  return typeof name === 'string' && Object.hasOwn(clientEventSchemas, name);
}

// `satisfies` above only checks that each schema's input is assignable to the declared payload; these check the two are
// the same type, so that a schema with an extra optional field or a wider type than `ClientToServerEvents` says is
// caught too. (Mutual assignability would not do: `{a}` and `{a, b?}` are assignable both ways.)
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Mismatched = {
  [E in ClientEventName]: Same<z.input<(typeof clientEventSchemas)[E]>, ClientPayload<E>> extends true ? never : E;
}[ClientEventName];
type AssertNever<T extends never> = T;
/** Compiles only while every schema's input is exactly its event's payload; a mismatch names the event. */
export type SchemasMatchEvents = AssertNever<Mismatched>;
