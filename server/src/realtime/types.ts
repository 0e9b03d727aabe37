import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '#shared/protocol/events';

// Inbound payloads are typed `unknown` on purpose here: the handler wrapper validates them before any code sees them.
export type ParvisServer = Server<Record<string, (...args: unknown[]) => void>, ServerToClientEvents, Record<string, never>, SocketData>;
export type ParvisSocket = Socket<Record<string, (...args: unknown[]) => void>, ServerToClientEvents, Record<string, never>, SocketData>;
export type { ClientToServerEvents };
