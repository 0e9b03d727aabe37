import { createHash, createHmac } from 'node:crypto';
import type { RoomIceServer } from '#shared/domain/room';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import { JanusError, VIDEOROOM_ERROR, VideoroomHandle } from './janus-client';
import { signJanusToken } from './janus-tokens';
import type { RoomGrant, RoomMember, RoomProvider, RoomSpec } from './room-provider';

export interface JanusProviderOptions {
  /** Janus's WebSocket API as Parvis reaches it: the supervised one on loopback, or JANUS_URL. */
  url: string;
  /** Janus's `token_auth_secret`. */
  tokenSecret: string;
  /** The videoroom's `admin_key`. */
  adminKey: string;
  /** Where room secrets and participant ids come from (HMAC): every process derives the same without storing them. */
  serverSecret: string;
  iceServers: RoomIceServer[];
}

/** Parvis's own requests to Janus carry a token this short-lived. */
const OWN_TOKEN_SECONDS = 60;
/** Room and participant ids stay below 2^48: exact as JSON numbers in every browser, and far from colliding. */
const ID_BYTES = 6;

/** The videoroom's numeric id of an event's room: the same in every process, from the event id alone. */
export function janusRoomId(key: string): number {
  return createHash('sha256').update(`parvis-room:${key}`).digest().readUIntBE(0, ID_BYTES) || 1;
}

/**
 * The microphone's mid: the room page publishes its microphone first (janus.js numbers the m-lines in the order the
 * tracks are added), and the videoroom's `listparticipants` does not list streams to ask instead.
 */
const AUDIO_MID = '0';

/** The allowed list's mark for a participant the host removed: not a token (no signature), just a note in Janus. */
const removedMark = (participantId: number) => `removed:p=${participantId}`;

/**
 * Rooms on Janus's videoroom plugin. Nothing is stored in Parvis: the room id comes from the event id, the room's
 * secret and each person's participant id from the server secret, and who may join is the room's allowed list in
 * Janus (tokens signed for this room and person, each also on the list). Every request is idempotent, so any process
 * may open, grant or close at any time.
 */
export class JanusProvider implements RoomProvider {
  readonly name = 'janus' as const;

  constructor(private readonly o: JanusProviderOptions) {}

  /** The videoroom's numeric id of an event's room. */
  roomId(key: string): number {
    return janusRoomId(key);
  }

  /** A person's feed id in a room: the same for them on every call, and unlike anyone else's. */
  participantId(key: string, memberKey: string): number {
    return this.hmac(`participant:${key}:${memberKey}`).readUIntBE(0, ID_BYTES) || 1;
  }

  private secret(room: number): string {
    return this.hmac(`room-secret:${room}`).toString('base64url');
  }

  private hmac(text: string): Buffer {
    return createHmac('sha256', this.o.serverSecret).update(text).digest();
  }

  async open(spec: RoomSpec): Promise<void> {
    const room = this.roomId(spec.key);
    await this.admin(async (h) => {
      const { exists } = await h.sync({ request: 'exists', room });
      if (exists === true) return;
      await h
        .sync({
          request: 'create',
          room,
          admin_key: this.o.adminKey,
          secret: this.secret(room),
          description: spec.title.slice(0, 100),
          publishers: spec.maxPublishers,
          is_private: true,
          // An empty allowed list turns the check on: nobody joins without a token Parvis put there.
          allowed: [],
          permanent: false,
          notify_joining: true,
        })
        .catch((err: unknown) => {
          // Another process created it between our check and our request.
          if (!(err instanceof JanusError && err.code === VIDEOROOM_ERROR.ROOM_EXISTS)) throw err;
        });
    });
  }

  async close(key: string): Promise<void> {
    const room = this.roomId(key);
    await this.admin((h) => h.sync({ request: 'destroy', room, secret: this.secret(room) })).catch((err: unknown) => {
      if (!(err instanceof JanusError && err.code === VIDEOROOM_ERROR.NO_SUCH_ROOM)) throw err;
    });
  }

  async grant(spec: RoomSpec, member: RoomMember, expiresAt: Date, origin: string): Promise<RoomGrant> {
    const room = this.roomId(spec.key);
    const participantId = this.participantId(spec.key, member.memberKey);
    const token = signJanusToken(this.o.tokenSecret, expiresAt, [`room=${room}`, `p=${participantId}`]);
    await this.admin(async (h) => {
      const list = await this.allowed(h, room, []);
      if (list.includes(removedMark(participantId))) {
        throw new DomainError(ErrorCode.FORBIDDEN, 'The host removed you from this room', undefined, 'removed');
      }
      await this.allowed(h, room, [token]);
    });
    const server = new URL('/janus', origin);
    server.protocol = server.protocol === 'https:' ? 'wss:' : 'ws:';
    return { provider: 'janus', server: server.href, room, token, expiresAt: expiresAt.toISOString(), participantId };
  }

  async remove(key: string, participantId: number): Promise<void> {
    const room = this.roomId(key);
    await this.admin(async (h) => {
      // First the list: a kicked browser that tries again is refused at once.
      const list = await this.allowed(h, room, [removedMark(participantId)]);
      const theirs = list.filter((t) => t.includes(`,p=${participantId}:`));
      if (theirs.length > 0) await h.sync({ request: 'allowed', room, secret: this.secret(room), action: 'remove', allowed: theirs });
      await h.sync({ request: 'kick', room, secret: this.secret(room), id: participantId }).catch((err: unknown) => {
        // Not in the room right now: their way back in is closed all the same.
        if (!(err instanceof JanusError && err.code === VIDEOROOM_ERROR.NO_SUCH_FEED)) throw err;
      });
    });
  }

  async mute(key: string, participantId: number): Promise<void> {
    const room = this.roomId(key);
    await this.admin((h) =>
      h.sync({ request: 'moderate', room, secret: this.secret(room), id: participantId, mid: AUDIO_MID, mute: true }).catch((err: unknown) => {
        // Not publishing (or gone): nothing of theirs to mute.
        if (!(err instanceof JanusError && (err.code === VIDEOROOM_ERROR.NO_SUCH_FEED || err.code === VIDEOROOM_ERROR.INVALID_ELEMENT))) throw err;
      }),
    );
  }

  iceServers(): RoomIceServer[] {
    return this.o.iceServers;
  }

  /** The room's allowed list after adding `tokens` (an empty add reads it). */
  private async allowed(h: VideoroomHandle, room: number, tokens: string[]): Promise<string[]> {
    const data = await h.sync({ request: 'allowed', room, secret: this.secret(room), action: 'add', allowed: tokens });
    return Array.isArray(data.allowed) ? (data.allowed as string[]) : [];
  }

  /** One request session of Parvis's own: a short token, a handle, closed after. */
  private async admin<T>(work: (h: VideoroomHandle) => Promise<T>): Promise<T> {
    // Janus's clock, not an injected one: Janus checks the expiry against its own.
    const expires = new Date(Date.now() + OWN_TOKEN_SECONDS * 1000);
    const handle = await VideoroomHandle.open(this.o.url, signJanusToken(this.o.tokenSecret, expires, ['parvis']));
    try {
      return await work(handle);
    } finally {
      handle.close();
    }
  }
}
