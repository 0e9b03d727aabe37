import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '#shared/protocol/events';

/** What the server keeps on each socket: the shared part, and what only the server needs. */
export interface ServerSocketData extends SocketData {
  /** The client's address as the limits per address count it (`addressKey`), read once at the handshake. */
  address: string;
  /**
   * Events whose staff go by this guest's name (found when the guest joined their live room): the guest may watch,
   * not write there, so that nobody passes for a speaker or a moderator.
   */
  nameReservedIn?: Set<string>;
}

// Inbound payloads are typed `unknown` on purpose here: the handler wrapper validates them before any code sees them.
export type ParvisServer = Server<Record<string, (...args: unknown[]) => void>, ServerToClientEvents, Record<string, never>, ServerSocketData>;
export type ParvisSocket = Socket<Record<string, (...args: unknown[]) => void>, ServerToClientEvents, Record<string, never>, ServerSocketData>;
export type { ClientToServerEvents };
