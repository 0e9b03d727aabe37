import type { AuthRevokedReason } from '#shared/protocol/events';
import { tokenRoom, userRoom } from '../../realtime/rooms';
import type { ParvisServer } from '../../realtime/types';
import type { AuthSignals } from './auth.service';

/**
 * Revocation reaches live sockets: the person's (or the token's) sockets are told why and disconnected, on every
 * process through the adapter. Powers are looked up in the store for each action, so this is not what takes them
 * away; it makes the client notice, renew its token and rejoin with what it may still do.
 */
export function socketAuthSignals(io: ParvisServer): AuthSignals {
  const drop = (room: string, reason: AuthRevokedReason) => {
    io.in(room).emit('auth:revoked', { reason });
    io.in(room).disconnectSockets(true);
  };
  return {
    userRevoked: (userId, reason) => drop(userRoom(userId), reason),
    tokenRevoked: (jti, reason) => drop(tokenRoom(jti), reason),
  };
}
