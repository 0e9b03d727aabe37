import type { Logger } from 'pino';
import { ChatSendPayload } from '#shared/protocol/payloads';
import type { ParvisServer, ParvisSocket } from '../../realtime/types';
import { handle } from '../../realtime/handler';
import type { ProgrammeService } from '../programme/programme.service';
import type { ChatFanout } from './chat-fanout';
import type { ChatService } from './chat.service';

export interface ChatHandlerDeps {
  chat: ChatService;
  fanout: ChatFanout;
  programme: ProgrammeService;
  log: Logger;
}

export function registerChatHandlers(_io: ParvisServer, socket: ParvisSocket, deps: ChatHandlerDeps): void {
  handle(socket, deps.log, 'chat:send', ChatSendPayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    const outcome = await deps.chat.send(socket.data.user, event, payload);
    // Stored before it is acknowledged or broadcast; a retried clientId was already broadcast the first time. A held
    // message goes to nobody but the moderators (the moderation service told them).
    if ('held' in outcome) return { held: outcome.held };
    if (outcome.created) deps.fanout.publish(outcome.message);
    return { message: outcome.message };
  });
}
