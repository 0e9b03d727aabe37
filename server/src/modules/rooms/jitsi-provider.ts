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
 * A library's own Jitsi Meet with prosody's token authentication (`authentication = "token"`, jitsi-meet-tokens):
 * Parvis signs, with the shared app secret, a JWT per person and per room, in the format of lib-jitsi-meet's
 * doc/tokens.md; prosody checks the signature, `iss`, `aud`, `sub` and `exp`, and (token_verification) that `room`
 * is the room being joined. Jitsi creates a room when the first person with a valid token joins, and forgets it when
 * the last one leaves, so there is nothing to open or close.
 */

export interface JitsiOptions {
  /** JITSI_URL: the Jitsi Meet address people open, with the tenant if any (`https://meet.example.org/library`). */
  url: string;
  /** JITSI_APP_ID: prosody's `app_id`, the token's `iss`. */
  appId: string;
  /** JITSI_APP_SECRET: prosody's `app_secret`, the HS256 key. */
  appSecret: string;
  /**
   * JITSI_DOMAIN: the token's `sub`, lower-cased: the tenant for rooms at `/TENANT/ROOM`, otherwise the XMPP domain
   * (`meet.example.org` on a Debian install, `meet.jitsi` with docker-jitsi-meet).
   */
  domain: string;
  /** JITSI_AUDIENCE: the token's `aud`, which prosody's `asap_accepted_audiences` must accept; `jitsi` by default. */
  audience: string;
}

/** The payload Parvis signs for Jitsi (lib-jitsi-meet doc/tokens.md, "Token structure" and "Token Identifiers"). */
export interface JitsiClaims {
  aud: string;
  iss: string;
  sub: string;
  room: string;
  iat: number;
  nbf: number;
  exp: number;
  context: {
    user: {
      id: string;
      name: string;
      /**
       * The string `"true"` for the host, `"false"` for everyone else, as Jitsi's JWT documentation spells it (its
       * user fields must all be strings). Prosody needs a module that reads it to make the host a moderator.
       */
      moderator: 'true' | 'false';
      /** The same, for jitsi-contrib's `token_affiliation` prosody module: `owner` or `member`. */
      affiliation: 'owner' | 'member';
    };
  };
}

/**
 * Reads JITSI_URL, JITSI_APP_ID, JITSI_APP_SECRET and JITSI_DOMAIN (and JITSI_AUDIENCE, optional) from the
 * environment config.ts passes, or throws one error that names every missing variable.
 */
export function jitsiOptionsFromEnv(env: Record<string, string | undefined>): JitsiOptions {
  const v = requiredEnv('jitsi', env, ['JITSI_URL', 'JITSI_APP_ID', 'JITSI_APP_SECRET', 'JITSI_DOMAIN'] as const);
  const domain = v.JITSI_DOMAIN.toLowerCase();
  if (!/^(\*|[a-z0-9.-]+)$/.test(domain)) {
    throw new Error(`JITSI_DOMAIN must be a domain or tenant name such as meet.example.org, got "${v.JITSI_DOMAIN}"`);
  }
  return {
    url: urlFrom('JITSI_URL', v.JITSI_URL, ['https:', 'http:']),
    appId: v.JITSI_APP_ID,
    appSecret: v.JITSI_APP_SECRET,
    domain,
    audience: env.JITSI_AUDIENCE?.trim() || 'jitsi',
  };
}

export class JitsiProvider implements RoomProvider {
  readonly name = 'jitsi' as const;

  constructor(
    private readonly options: JitsiOptions,
    private readonly clock: Clock,
  ) {}

  async open(): Promise<void> {
    // Jitsi creates the room on the first join with a token for it.
  }

  async close(): Promise<void> {
    // Jitsi ends the room when the last person leaves; the tokens stop at the event's end.
  }

  async grant(spec: RoomSpec, member: RoomMember, expiresAt: Date): Promise<RoomGrant> {
    const now = this.clock.now();
    if (expiresAt <= now) throw new Error(`jitsi grant for ${spec.key}: expiresAt ${expiresAt.toISOString()} has passed`);
    const room = mintedRoomName(spec.key);
    const participantId = mintedParticipantId(spec.key, member.memberKey);
    const claims: JitsiClaims = {
      aud: this.options.audience,
      iss: this.options.appId,
      sub: this.options.domain,
      room,
      iat: unixSeconds(now),
      nbf: unixSeconds(now) - NOT_BEFORE_LEEWAY_SECONDS,
      exp: unixSeconds(expiresAt),
      context: {
        user: {
          id: String(participantId),
          name: member.display,
          moderator: member.host ? 'true' : 'false',
          affiliation: member.host ? 'owner' : 'member',
        },
      },
    };
    const token = jwt.sign(claims, this.options.appSecret, { algorithm: 'HS256', noTimestamp: true });
    return {
      provider: 'jitsi',
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
      'This room is held on Jitsi: the host removes people from Jitsi itself (the participant menu, "Kick out")',
    );
  }

  async mute(): Promise<void> {
    throw new DomainError(
      ErrorCode.CONFLICT,
      'This room is held on Jitsi: the host mutes people from Jitsi itself (the participant menu, "Mute")',
    );
  }

  iceServers(): RoomIceServer[] {
    // Jitsi's own page connects with the STUN/TURN its deployment configures.
    return [];
  }
}
