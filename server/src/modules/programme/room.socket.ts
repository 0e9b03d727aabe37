import type { Logger } from 'pino';
import { JoinPayload, LeavePayload } from '#shared/protocol/payloads';
import { eventRoom, type JoinResult } from '#shared/protocol/events';
import type { ParvisServer, ParvisSocket } from '../../realtime/types';
import { handle } from '../../realtime/handler';
import type { Presence } from '../../realtime/presence';
import type { AccessPolicy } from '../access/policy';
import type { ChatService } from '../chat/chat.service';
import type { ProgrammeService } from './programme.service';

export interface RoomHandlerDeps {
  programme: ProgrammeService;
  policy: AccessPolicy;
  chat: ChatService;
  presence: Presence;
  log: Logger;
}

/** Entering and leaving an event's live room. */
export function registerRoomHandlers(_io: ParvisServer, socket: ParvisSocket, deps: RoomHandlerDeps): void {
  handle(socket, deps.log, 'event:join', JoinPayload, async ({ eventId, since }): Promise<JoinResult> => {
    const event = await deps.programme.getEvent(eventId);
    const role = await deps.policy.assertCanJoin(socket.data.user, event);
    // Join the room before reading history: a message stored in between then arrives twice (history and broadcast)
    // rather than never, and clients drop the copy by offset.
    await socket.join(eventRoom(eventId));
    deps.presence.changed(eventId);
    const chat = await deps.chat.snapshot(eventId, since);
    const viewers = await deps.presence.count(eventId);
    return { event: deps.policy.visible(event, role), chat, questions: [], viewers, role };
  });

  handle(socket, deps.log, 'event:leave', LeavePayload, async ({ eventId }) => {
    const room = eventRoom(eventId);
    if (socket.rooms.has(room)) {
      await socket.leave(room);
      deps.presence.changed(eventId);
    }
    return {};
  });

  socket.on('disconnecting', () => {
    for (const room of socket.rooms) {
      if (room.startsWith('event:')) deps.presence.changed(room.slice('event:'.length));
    }
  });
}
