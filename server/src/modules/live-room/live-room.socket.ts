import type { Logger } from 'pino';
import type { CaptionCue } from '#shared/domain/caption';
import type { Event } from '#shared/domain/event';
import { isEventStaff, isRoomStaff } from '#shared/domain/staff';
import type { User } from '#shared/domain/user';
import type { JoinResult } from '#shared/protocol/events';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import type { Presence } from '../../realtime/presence';
import type { ParvisSocket } from '../../realtime/types';
import { eventBackstageRoom, eventRoom, eventStaffRoom } from '../../realtime/rooms';
import { nameReserved, type AccessPolicy } from '../access/policy';
import type { ChatService } from '../chat/chat.service';
import type { ModerationService } from '../moderation/moderation.service';
import type { PollsService } from '../polls/polls.service';
import type { ProgrammeService } from '../programme/programme.service';
import type { QuestionsService } from '../questions/questions.service';

export interface LiveRoomHandlerDeps {
  programme: ProgrammeService;
  policy: AccessPolicy;
  chat: ChatService;
  questions: QuestionsService;
  moderation: ModerationService;
  polls: PollsService;
  presence: Presence;
  /** The newest captions of a live event, for the join ack (issue 12). */
  captions?: { recent(eventId: string): Promise<CaptionCue[]> };
  /** A registrant entered a registration event's room: their attendance is taken (sign-up). */
  attended?: (user: User | null, eventId: string) => Promise<void>;
  log: Logger;
}

/**
 * Entering and leaving an event's live room: the rooms a socket joins for its role, the snapshot it starts from, and the
 * viewer counts that change with it (leaving, by `event:leave` or a disconnect, is seen by the count itself:
 * realtime/viewer-tally.ts).
 */
export function liveRoomHandlers(deps: LiveRoomHandlerDeps): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    handle('event:join', async ({ eventId, since }, socket): Promise<JoinResult> => {
      const event = await deps.programme.getEvent(eventId);
      const role = await deps.policy.assertCanJoin(socket.data.user, event);
      // A banned person never enters the rooms (joinState below refuses them too, for a ban issued meanwhile; the ban
      // then drops this socket anyway).
      if (!isRoomStaff(role)) await deps.moderation.assertNotBanned(socket.data.user, eventId);
      // Entering is attending; a failure to note it must not keep the person out of the room they have a seat in.
      if (role === 'registrant' && deps.attended) {
        await deps.attended(socket.data.user, eventId).catch((err: unknown) =>
          deps.log.warn({ err, eventId }, 'could not mark a registrant as attended'),
        );
      }
      await markReservedName(deps.policy, socket, event);
      // Join the room before reading history: a message stored in between then arrives twice (history and broadcast)
      // rather than never, and clients drop the copy by offset.
      // Moderators and admins also join the staff room, where every question arrives whole, and with speakers the
      // backstage room of the moderators' notes; the same reasoning about overlapping the snapshot applies to them
      // (clients merge questions and notes by id).
      const rooms = [eventRoom(eventId)];
      if (isRoomStaff(role)) rooms.push(eventStaffRoom(eventId));
      if (isEventStaff(role)) rooms.push(eventBackstageRoom(eventId));
      await socket.join(rooms);
      // A role taken back since an earlier join: out of the rooms it opened.
      if (!isRoomStaff(role)) await socket.leave(eventStaffRoom(eventId));
      if (!isEventStaff(role)) await socket.leave(eventBackstageRoom(eventId));
      deps.presence.changed(eventId);
      const [chat, questions, polls, moderation, captions] = await Promise.all([
        deps.chat.snapshot(eventId, since),
        deps.questions.visibleTo(socket.data.user, role, eventId),
        deps.polls.visibleTo(socket.data.user, role, eventId),
        deps.moderation.joinState(socket.data.user, role, event),
        // Only while live: a viewer arriving mid-sentence sees the lines just said (a replay has its WebVTT).
        event.status === 'live' && deps.captions ? deps.captions.recent(eventId) : undefined,
      ]);
      const viewers = await deps.presence.count(eventId);
      return {
        event: deps.policy.visible(event, role),
        chat,
        questions,
        polls,
        ...moderation,
        viewers,
        role,
        ...(captions && { captions }),
      };
    });

    handle('event:leave', async ({ eventId }, socket) => {
      await socket.leave(eventStaffRoom(eventId));
      await socket.leave(eventBackstageRoom(eventId));
      await socket.leave(eventRoom(eventId));
      return {};
    });
  });
}

/**
 * Remembers whether the staff of the event go by this guest's name. A guest normally picks a name for the event they
 * are about to join and is refused one that is taken there (`POST /api/auth/guest` with `eventId`); this covers a name
 * carried over from another event, or a token asked for without the event.
 */
async function markReservedName(policy: AccessPolicy, socket: ParvisSocket, event: Event): Promise<void> {
  const user = socket.data.user;
  if (user?.role !== 'guest') return;
  if (await policy.isNameReserved(user.displayName, event)) (socket.data.nameReservedIn ??= new Set()).add(event.id);
  else socket.data.nameReservedIn?.delete(event.id);
}

/** Refuses a chat message or a question from a guest whose name the event's staff go by (see markReservedName). */
export function assertNameFree(socket: ParvisSocket, eventId: string): void {
  if (socket.data.nameReservedIn?.has(eventId)) throw nameReserved();
}
