import type { Logger } from 'pino';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import type { ProgrammeService } from '../programme/programme.service';
import type { PollsService } from './polls.service';

export interface PollHandlerDeps {
  polls: PollsService;
  programme: ProgrammeService;
  log: Logger;
}

/** `poll:create`, `poll:control`, `poll:vote`. The service broadcasts the changes. */
export function pollHandlers(deps: PollHandlerDeps): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    handle('poll:create', async (payload, socket) => {
      const event = await deps.programme.getEvent(payload.eventId);
      return { poll: await deps.polls.create(socket.data.user, event, payload) };
    });

    handle('poll:control', async (payload, socket) => {
      const event = await deps.programme.getEvent(payload.eventId);
      return { poll: await deps.polls.control(socket.data.user, event, payload) };
    });

    handle('poll:vote', async (payload, socket) => {
      const event = await deps.programme.getEvent(payload.eventId);
      return { poll: await deps.polls.vote(socket.data.user, event, payload) };
    });
  });
}
