/**
 * Checked by `tsc -p server` and never run: what `handle` accepts is decided by `ClientToServerEvents`. Each
 * `@ts-expect-error` below fails the typecheck the day the mistake under it starts to compile.
 */
import type { Logger } from 'pino';
import type { Poll } from '#shared/domain/poll';
import type { Question } from '#shared/domain/question';
import { defineHandlers } from './handler';

declare const log: Logger;
declare const question: Question;
declare const poll: Poll;

export const handlerTypeChecks = defineHandlers(log, (handle, on) => {
  // The payload and the ack are inferred from the event's name.
  handle('question:vote', async (payload) => {
    const up: boolean = payload.up;
    return { question: { ...question, voted: up } };
  });

  // The payload is the parsed one: `poll:create`'s defaults are filled in, though a client may leave them out.
  handle('poll:create', async (payload) => {
    const multiple: boolean = payload.multiple;
    return { poll: { ...poll, multiple } };
  });

  // @ts-expect-error: an event the protocol does not declare has no handler.
  handle('chat:shout', async () => ({}));

  // @ts-expect-error: `chat:send` is answered with `{message}` or `{held}`, not a question.
  handle('chat:send', async () => ({ question }));

  // @ts-expect-error: `event:leave` is answered with `{}`, not a poll.
  handle('event:leave', async () => ({ poll }));

  handle('event:leave', async (payload) => {
    // @ts-expect-error: `event:leave` carries no text.
    void payload.text;
    return {};
  });

  // @ts-expect-error: only events Socket.IO raises itself are listened to with `on`.
  on('chat:send', () => undefined);
});
