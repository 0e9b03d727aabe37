/**
 * Every Socket.IO room name of the server is built here, and nowhere else. Names are never parsed back: code that
 * needs to know which events a socket joined keeps track of them itself (see realtime/viewer-tally.ts).
 */

/** Room that carries the broadcasts of one event. */
export const eventRoom = (eventId: string): string => `event:${eventId}`;
/** Room of an event's moderators and admins, who see every question whole. */
export const eventStaffRoom = (eventId: string): string => `event:${eventId}:staff`;
/** Room of the people backstage: the event's speakers, moderators and admins, who get the moderators' notes. */
export const eventBackstageRoom = (eventId: string): string => `event:${eventId}:backstage`;
/** Every socket of a person, on every process: revoking their roles or tokens disconnects this room. */
export const userRoom = (userId: string): string => `user:${userId}`;
/** Every socket opened with one access token: signing out disconnects this room. */
export const tokenRoom = (jti: string): string => `token:${jti}`;
/** Sockets of programme admins, who get invite-only events whole in broadcasts. */
export const ADMINS_ROOM = 'admins';
