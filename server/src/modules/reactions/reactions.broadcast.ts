import type { Logger } from 'pino';
import { eventRoom } from '../../realtime/rooms';
import type { ParvisServer } from '../../realtime/types';
import { PeerReactions, ReactionBursts } from './reaction-bursts';

/** The server-side event that carries a process's clicks to the other processes (never sent to clients). */
export const PEER_REACTIONS_EVENT = 'parvis:reactions';

/** Socket.IO's server-side events, which the typed server map leaves out on purpose. */
interface ServerSide {
  serverSideEmit(event: string, ...args: unknown[]): boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * The reaction bursts of this process, wired to Socket.IO: bursts go to this process's own sockets (`io.local`), and,
 * with several processes (`cluster`), clicks travel between processes with `serverSideEmit` through the Redis adapter.
 * The in-memory adapter of a single process has no peers and does not support `serverSideEmit`.
 */
export function socketReactionBursts(io: ParvisServer, options: { cluster: boolean; log: Logger }): ReactionBursts {
  const nsp = io.of('/') as unknown as ServerSide;
  const bursts = new ReactionBursts({
    toLocalRoom: (eventId, counts) => io.local.to(eventRoom(eventId)).emit('reactions:burst', { eventId, counts }),
    ...(options.cluster && { toPeers: (clicks: PeerReactions) => nsp.serverSideEmit(PEER_REACTIONS_EVENT, clicks) }),
  });
  if (options.cluster) {
    nsp.on(PEER_REACTIONS_EVENT, (clicks: unknown) => {
      const parsed = PeerReactions.safeParse(clicks);
      if (parsed.success) bursts.fromPeers(parsed.data);
      else options.log.warn({ issues: parsed.error.issues.slice(0, 3) }, 'dropped malformed reactions from a peer');
    });
  }
  return bursts;
}
