import type { Logger } from 'pino';
import { assertNameFree } from '../live-room/live-room.socket';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import type { ProgrammeService } from '../programme/programme.service';
import type { ChatRelay } from './chat-relay';
import type { ChatService } from './chat.service';

export interface ChatHandlerDeps {
  chat: ChatService;
  relay: ChatRelay;
  programme: ProgrammeService;
  log: Logger;
}

export function chatHandlers(deps: ChatHandlerDeps): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    handle('chat:send', async (payload, socket) => {
      assertNameFree(socket, payload.eventId);
      const event = await deps.programme.getEvent(payload.eventId);
      const outcome = await deps.chat.send(socket.data.user, event, payload, socket.data.address);
      // Stored before it is acknowledged or broadcast; a retried clientId was already broadcast the first time. A held
      // message goes to nobody but the moderators (the moderation service told them). Relayed before the ack, so that
      // the sender's process dying just after cannot keep an acknowledged message from the other processes' viewers.
      if ('held' in outcome) return { held: outcome.held };
      if (outcome.created) await deps.relay.publish(outcome.message);
      return { message: outcome.message };
    });
  });
}
