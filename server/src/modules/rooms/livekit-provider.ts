import jwt from 'jsonwebtoken';
import type { RoomIceServer } from '#shared/domain/room';
import { ErrorCode } from '#shared/protocol/errors';
import type { Clock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import type { RoomGrant, RoomMember, RoomProvider, RoomSpec } from './room-provider';
import {
  NOT_BEFORE_LEEWAY_SECONDS,
  mintedParticipantId,
  mintedRoomName,
  requiredEnv,
  unixSeconds,
  urlFrom,
} from './minted-room';

/*
 * A library's own LiveKit server (or LiveKit Cloud): Parvis signs, with an API key's secret, an access token per
 * person and per room, in the format LiveKit documents ("Tokens & grants"): `iss` the API key, `sub` the participant's
 * identity, `name` the name the others see, and a `video` grant for this one room. livekit-server creates the room
 * on the first join and closes it once it has been empty for a while, so there is nothing to open or close.
 */

export interface LiveKitOptions {
  /** LIVEKIT_URL: the server's WebSocket address browsers connect to (`wss://livekit.example.org`). */
  url: string;
  /** LIVEKIT_API_KEY: one of the server's `keys`, the token's `iss`. */
  apiKey: string;
  /** LIVEKIT_API_SECRET: that key's secret, the HS256 key. */
  apiSecret: string;
}

/** LiveKit's video grant, as much of it as Parvis sets. */
export interface LiveKitVideoGrant {
  room: string;
  roomJoin: true;
  canPublish: boolean;
  canSubscribe: boolean;
  canPublishData: boolean;
  /** Only in the host's token: may mute and remove others through LiveKit's own tools. */
  roomAdmin?: true;
}

/** The payload Parvis signs for LiveKit. */
export interface LiveKitClaims {
  iss: string;
  sub: string;
  name: string;
  nbf: number;
  exp: number;
  video: LiveKitVideoGrant;
}

/**
 * Reads LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET from the environment config.ts passes, or throws one error
 * that names every missing variable.
 */
export function liveKitOptionsFromEnv(env: Record<string, string | undefined>): LiveKitOptions {
  const v = requiredEnv('livekit', env, ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const);
  return {
    url: urlFrom('LIVEKIT_URL', v.LIVEKIT_URL, ['wss:', 'ws:']),
    apiKey: v.LIVEKIT_API_KEY,
    apiSecret: v.LIVEKIT_API_SECRET,
  };
}

export class LiveKitProvider implements RoomProvider {
  readonly name = 'livekit' as const;

  constructor(
    private readonly options: LiveKitOptions,
    private readonly clock: Clock,
  ) {}

  async open(): Promise<void> {
    // livekit-server creates the room on the first join with a token for it.
  }

  async close(): Promise<void> {
    // livekit-server closes an empty room by itself; the tokens stop at the event's end.
  }

  async grant(spec: RoomSpec, member: RoomMember, expiresAt: Date): Promise<RoomGrant> {
    const now = this.clock.now();
    if (expiresAt <= now) throw new Error(`livekit grant for ${spec.key}: expiresAt ${expiresAt.toISOString()} has passed`);
    const room = mintedRoomName(spec.key);
    const participantId = mintedParticipantId(spec.key, member.memberKey);
    const video: LiveKitVideoGrant = {
      room,
      roomJoin: true,
      // Everyone in a workshop talks: LiveKit has no per-room cap on publishers to carry `maxPublishers`.
      canPublish: true,
      canSubscribe: true,
      // The room's text chat and raised hands travel as data messages.
      canPublishData: true,
    };
    if (member.host) video.roomAdmin = true;
    const claims: LiveKitClaims = {
      iss: this.options.apiKey,
      // The identity is the participant id: the same person on two tabs is one participant (LiveKit lets the newer
      // one in), and no internal person id reaches the others.
      sub: String(participantId),
      name: member.display,
      nbf: unixSeconds(now) - NOT_BEFORE_LEEWAY_SECONDS,
      exp: unixSeconds(expiresAt),
      video,
    };
    const token = jwt.sign(claims, this.options.apiSecret, { algorithm: 'HS256', noTimestamp: true });
    return {
      provider: 'livekit',
      server: this.options.url,
      room,
      token,
      expiresAt: expiresAt.toISOString(),
      participantId,
    };
  }

  async remove(): Promise<void> {
    throw new DomainError(
      ErrorCode.CONFLICT,
      'This room is held on LiveKit: the host removes people with LiveKit itself (their token is a room admin’s)',
    );
  }

  async mute(): Promise<void> {
    throw new DomainError(
      ErrorCode.CONFLICT,
      'This room is held on LiveKit: the host mutes people with LiveKit itself (their token is a room admin’s)',
    );
  }

  iceServers(): RoomIceServer[] {
    // LiveKit's client gets its ICE servers (and TURN) from livekit-server when it connects.
    return [];
  }
}
