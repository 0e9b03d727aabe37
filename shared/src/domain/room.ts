/*
 * Rooms of our own (issue 14): small-group video for workshops and help-desk appointments, held on Parvis's own
 * Janus (or, behind the same seam, a library's Jitsi or LiveKit). Plain types and rules, without zod: the room page
 * is audience code and never loads it.
 */

/** Where a registration event is held besides (or instead of) a broadcast: `parvis` = in a Parvis room. */
export const EVENT_ROOMS = ['parvis'] as const;
export type EventRoom = (typeof EVENT_ROOMS)[number];

/** The room providers behind the `RoomProvider` seam (server/src/modules/rooms/room-provider.ts). */
export const ROOM_PROVIDERS = ['janus', 'jitsi', 'livekit'] as const;
export type RoomProviderName = (typeof ROOM_PROVIDERS)[number];

/** An ICE server the browser may use (TURN from coturn in production), as RTCPeerConnection takes it. */
export interface RoomIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * `GET /api/events/:id/room`: what one person's browser needs to join the event's room, and nothing that would let
 * it into another room or past `expiresAt`. Called with a personal link's token (`Authorization: Bearer`) or a staff
 * session; answered from ROOM_LEAD_MINUTES (15) before the start until the end.
 */
export interface RoomJoin {
  provider: RoomProviderName;
  /**
   * janus: the WebSocket address of the Janus API, proxied by Parvis on its own origin (`wss://host/janus`).
   * jitsi / livekit: the provider's own address.
   */
  server: string;
  /** The provider's name of the room (a number for Janus's videoroom). */
  room: string | number;
  /**
   * Short-lived credentials for this person and this room only. Janus: the signed core token, also on the room's
   * allowed list (janus.js's `token`, and `token` in the videoroom `join`).
   */
  token: string;
  expiresAt: string;
  /** This person's id in the room, chosen by Parvis (Janus feed id): the host names people by it to mute or remove. */
  participantId: number;
  /** The name the others see. */
  display: string;
  /** The workshop's moderator (or the help desk's librarian): may mute and remove others. */
  host: boolean;
  iceServers: RoomIceServer[];
  /** The room opens (tokens are given) from here, and closes at the end. */
  opensAt: string;
  endsAt: string;
}

/**
 * Why `GET /api/events/:id/room` refused (the `reason` of the error body), for the page to say so:
 * - `not-registered` (FORBIDDEN): no confirmed registration and not the event's staff;
 * - `waitlisted` (FORBIDDEN): on the waiting list (or holding an offer not yet accepted);
 * - `too-early` (CONFLICT, with `retryAfterMs` until the room opens);
 * - `room-ended` (CONFLICT): the event ended or was cancelled;
 * - `not-a-room` (NOT_FOUND): the event is not held in a Parvis room;
 * - `by-phone` (CONFLICT): an appointment held by phone, the partner calls the reader;
 * - `rooms-unavailable` (UNAVAILABLE): Janus is not running here; the event's outside `joinUrl`, if any, applies;
 * - `removed` (FORBIDDEN): the host removed this person from the room, which does not let them back in.
 */
export const ROOM_REFUSALS = ['not-registered', 'waitlisted', 'too-early', 'room-ended', 'not-a-room', 'by-phone', 'rooms-unavailable', 'removed'] as const;
export type RoomRefusal = (typeof ROOM_REFUSALS)[number];

/** Minutes before the start from which the room answers (ROOM_LEAD_MINUTES' default). */
export const ROOM_LEAD_MINUTES = 15;
