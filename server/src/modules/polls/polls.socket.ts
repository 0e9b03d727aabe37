import type { Logger } from 'pino';
import { PollControlPayload, PollCreatePayload, PollVotePayload } from '#shared/protocol/payloads';
import { handle } from '../../realtime/handler';
import type { ParvisServer, ParvisSocket } from '../../realtime/types';
import type { ProgrammeService } from '../programme/programme.service';
import type { ReactionsService } from '../reactions/reactions.service';
import { registerReactionHandlers } from '../reactions/reactions.socket';
import type { PollsService } from './polls.service';

export interface PollHandlerDeps {
  polls: PollsService;
  reactions: ReactionsService;
  programme: ProgrammeService;
  log: Logger;
}

/** `poll:create`, `poll:control`, `poll:vote`, `reaction:send`. The services broadcast the changes. */
export function registerPollHandlers(_io: ParvisServer, socket: ParvisSocket, deps: PollHandlerDeps): void {
  handle(socket, deps.log, 'poll:create', PollCreatePayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    return { poll: await deps.polls.create(socket.data.user, event, payload) };
  });

  handle(socket, deps.log, 'poll:control', PollControlPayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    return { poll: await deps.polls.control(socket.data.user, event, payload) };
  });

  handle(socket, deps.log, 'poll:vote', PollVotePayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    return { poll: await deps.polls.vote(socket.data.user, event, payload) };
  });

  registerReactionHandlers(socket, { reactions: deps.reactions, log: deps.log });
}
