import type { Logger } from 'pino';
import { ErrorCode } from '#shared/protocol/errors';
import type { Clock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import { eventRoom } from '../../realtime/rooms';
import type { ParvisSocket } from '../../realtime/types';
import type { AudienceTracker } from './audience-tracker';

/**
 * Who a heartbeat counts for: the account or guest id; an anonymous viewer (no token) counts by its socket, which
 * lives as long as the page. Never an address (docs/audience.md).
 */
export const personOf = (socket: ParvisSocket): string => (socket.data.user ? `user:${socket.data.user.id}` : `socket:${socket.id}`);

/** At most this many heartbeats per socket per window: a player sends one per 15 s, and one per play or pause. */
export const HEARTBEAT_BURST = 20;
export const HEARTBEAT_WINDOW_MS = 10_000;

/**
 * `viewer:heartbeat`: only from a socket in the event's room, so that the room's access rules (registration,
 * invitation, bans) hold for the figures too; replay viewers are in the room of the ended event as well. A socket that
 * goes away is credited the time since its last heartbeat.
 */
export function audienceHandlers(deps: { tracker: AudienceTracker; clock: Clock; log: Logger }): SocketHandler[] {
  // Per socket and in memory: a heartbeat only ever concerns the socket's own player, so a client sending them in a
  // loop is held back where it is connected, before the store is written. On the figures' clock.
  const windows = new WeakMap<ParvisSocket, { start: number; count: number }>();
  return defineHandlers(deps.log, (handle, on) => {
    handle('viewer:heartbeat', async (payload, socket) => {
      if (!socket.rooms.has(eventRoom(payload.eventId))) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'Join the event before sending heartbeats');
      }
      const now = deps.clock.now().getTime();
      let window = windows.get(socket);
      if (!window || now - window.start >= HEARTBEAT_WINDOW_MS) windows.set(socket, (window = { start: now, count: 0 }));
      if (++window.count > HEARTBEAT_BURST) {
        throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many heartbeats', window.start + HEARTBEAT_WINDOW_MS - now);
      }
      await deps.tracker.beat(socket.id, personOf(socket), payload);
      return {};
    });
    on('disconnecting', (socket) => {
      void deps.tracker.leave(socket.id).catch((err: unknown) => deps.log.warn({ err }, 'could not credit a leaving viewer’s watch time'));
    });
  });
}
