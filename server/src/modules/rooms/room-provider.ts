import type { RoomIceServer, RoomJoin, RoomProviderName } from '#shared/domain/room';

/*
 * The seam between Parvis and whatever holds the video: Parvis decides who may enter which room and when (sign-up,
 * staff roles, the event's times); a provider turns that into a room and credentials. `janus` is built and run by
 * Parvis (janus-provider.ts); `jitsi` and `livekit` mint the tokens of a library's own deployment.
 */

/** One room: an event's date (or an appointment's slot). */
export interface RoomSpec {
  /** The event id: one room per event (each date of a series is an event). */
  key: string;
  title: string;
  /** How many may send audio and video at once. */
  maxPublishers: number;
  opensAt: Date;
  endsAt: Date;
}

/** The person a grant is for. */
export interface RoomMember {
  /** Stable within the room: a person id or a staff user id (the provider derives its participant id from it). */
  memberKey: string;
  display: string;
  host: boolean;
}

/** A provider's answer for one person: the RoomJoin minus what Parvis itself adds. */
export type RoomGrant = Pick<RoomJoin, 'provider' | 'server' | 'room' | 'token' | 'expiresAt' | 'participantId'>;

export interface RoomProvider {
  readonly name: RoomProviderName;
  /** Makes sure the room exists with its secret and publisher cap (idempotent: every process may call it). */
  open(spec: RoomSpec): Promise<void>;
  /** Destroys the room after the end (idempotent); everyone still in it is let go. */
  close(key: string): Promise<void>;
  /**
   * Credentials for `member` in this room only, valid until `expiresAt`; the room must be open. `origin` is the
   * public origin the request came to (`https://host`), for providers proxied by Parvis.
   */
  grant(spec: RoomSpec, member: RoomMember, expiresAt: Date, origin: string): Promise<RoomGrant>;
  /** The host removes someone: they are out, and their credentials no longer let them back in. */
  remove(key: string, participantId: number): Promise<void>;
  /** The host mutes someone's microphone for everyone. */
  mute(key: string, participantId: number): Promise<void>;
  /** ICE servers the browser should use (STUN/TURN from the configuration). */
  iceServers(): RoomIceServer[];
}
