import type { Logger } from 'pino';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import { eventBackstageRoom, eventRoom, eventStaffRoom, userRoom } from '../../realtime/rooms';
import type { ParvisServer } from '../../realtime/types';
import type { ProgrammeService } from '../programme/programme.service';
import type { ModerationNotifier, ModerationService } from './moderation.service';

export interface ModerationHandlerDeps {
  moderation: ModerationService;
  programme: ProgrammeService;
  log: Logger;
}

/** `chat:delete`, `chat:review`, `moderation:sanction`, `room:configure`, `backstage:note`. */
export function moderationHandlers(deps: ModerationHandlerDeps): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    const { moderation, programme } = deps;

    handle('chat:delete', async ({ eventId, messageId }, socket) => {
      await moderation.deleteMessage(socket.data.user, await programme.getEvent(eventId), messageId);
      return {};
    });

    handle('chat:review', async ({ eventId, heldId, approve }, socket) => {
      return moderation.review(socket.data.user, await programme.getEvent(eventId), heldId, approve);
    });

    handle('moderation:sanction', async (payload, socket) => {
      return { sanction: await moderation.sanction(socket.data.user, await programme.getEvent(payload.eventId), payload) };
    });

    handle('room:configure', async (payload, socket) => {
      return moderation.configure(socket.data.user, await programme.getEvent(payload.eventId), payload);
    });

    handle('backstage:note', async ({ eventId, text }, socket) => {
      return { note: await moderation.backstageNote(socket.data.user, await programme.getEvent(eventId), text) };
    });
  });
}

/**
 * The notifier the composition root gives the moderation service. Through the adapter every emit and the
 * disconnection of a banned person's sockets reach every process.
 */
export function socketModerationNotifier(io: ParvisServer): ModerationNotifier {
  return {
    chatDeleted: (eventId, messageIds) => io.to(eventRoom(eventId)).emit('chat:deleted', { eventId, messageIds }),
    roomSettings: (eventId, settings) => io.to(eventRoom(eventId)).emit('room:settings', { eventId, settings }),
    staffState: (eventId, staff) => io.to(eventStaffRoom(eventId)).emit('moderation:state', { eventId, staff }),
    sanctioned: (userId, eventId, sanction) => io.to(userRoom(userId)).emit('moderation:sanctioned', { eventId, sanction }),
    dropSockets: (userId) => io.in(userRoom(userId)).disconnectSockets(true),
    backstageNote: (note) => io.to(eventBackstageRoom(note.eventId)).emit('backstage:note', { note }),
  };
}
