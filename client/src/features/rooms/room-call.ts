import { CHAT_MAX_LENGTH } from '#shared/domain/limits';
import type { RoomJoin } from '#shared/domain/room';
import type { Clock } from '../../app/clock';
import type { JanusHandle, JanusSession, Jsep, OpenSession, VideoroomMessage } from './janus-port';

/*
 * One person's call in a workshop room or an appointment, on Janus's videoroom plugin through janus.js: publish our
 * microphone and camera (and a data channel), subscribe to every other publisher, those there when we come and those
 * who come later, and keep a small state for the page. No DOM here, so that the tests drive it with a fake janus.js.
 *
 * Privacy (help desks): the chat and the raised hands travel only over the videoroom's data channels, from browser to
 * Janus to browsers. Janus relays them and keeps nothing; Parvis never sees them; nothing is stored anywhere. A person
 * who joins later sees none of what was said before, and when everyone leaves, the conversation is gone.
 */

/**
 * - `joining`: connecting to Janus, joining the room, publishing;
 * - `joined`: in the room;
 * - `reconnecting`: the connection dropped, the call tries again by itself (a new join, with a fresh token);
 * - `lost`: it gave up trying: the page offers to try again;
 * - `removed`: the host removed this person (Janus's `kick`), who is out;
 * - `ended`: the room was closed (the end of the event);
 * - `left`: this person left;
 * - `refused`: Janus refused the join (a token that no longer works: `error` says Janus's words).
 */
export type CallPhase = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'lost' | 'removed' | 'ended' | 'left' | 'refused';

/** Another person in the room. */
export interface Peer {
  id: number;
  display: string;
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  /** What they say of themselves over the data channel: microphone and camera on, hand raised. */
  micOn: boolean;
  cameraOn: boolean;
  hand: boolean;
  /** The host muted them (Janus's moderation): nobody hears them. */
  mutedByHost: boolean;
  /**
   * They publish a microphone (Janus lists an audio stream). The host's mute moderates the audio stream, which the
   * page publishes first (mid 0) when there is one; without one there is nothing to mute.
   */
  hasMic: boolean;
}

export interface ChatLine {
  /** Order of arrival, for the view's keys. */
  seq: number;
  from: number;
  display: string;
  text: string;
  at: number;
  self: boolean;
}

export interface SelfState {
  id: number;
  display: string;
  host: boolean;
  micOn: boolean;
  cameraOn: boolean;
  hand: boolean;
  mutedByHost: boolean;
  /** Whether there is a microphone (camera) at all: joined without one, its button does nothing. */
  hasMic: boolean;
  hasCamera: boolean;
}

export interface CallState {
  phase: CallPhase;
  self: SelfState;
  /** The others, in the order they came. */
  peers: readonly Peer[];
  chat: readonly ChatLine[];
  /** Janus's words when it refused the join. */
  error: string | null;
}

/** What the person brings in: the tracks of the pre-join check (either may be missing), and whether each is on. */
export interface LocalMedia {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  micOn: boolean;
  cameraOn: boolean;
}

/** What a participant says to the others over the data channel. Anything else is ignored. */
type DataMessage = { t: 'chat'; text: string } | { t: 'state'; mic: boolean; camera: boolean; hand: boolean };

export interface RoomCallOptions {
  openSession: () => Promise<OpenSession>;
  clock: Clock;
  /**
   * A fresh `RoomJoin` for a new attempt after the connection dropped (the token may have expired meanwhile); rejects
   * when the room refuses now (ended…), and the call then stops with `ended`.
   */
  rejoin: () => Promise<RoomJoin>;
}

/** Waits between automatic attempts to come back; after the last, the call is `lost`. */
export const RECONNECT_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000] as const;

/** How many chat lines the page keeps: a workshop's talk, not an archive. */
const CHAT_KEPT = 200;

const VIDEOROOM = 'janus.plugin.videoroom';
/** The videoroom's error code for a participant id already in the room (JANUS_VIDEOROOM_ERROR_ID_EXISTS). */
const ID_EXISTS = 436;

const asId = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export class RoomCall {
  readonly #options: RoomCallOptions;
  #join: RoomJoin | null = null;
  #media: LocalMedia = { audio: null, video: null, micOn: false, cameraOn: false };
  #state: CallState;
  #listeners = new Set<(state: CallState) => void>();

  /** The attempt in progress: callbacks of an older session (torn down) are ignored. */
  #attempt = 0;
  #session: JanusSession | null = null;
  #publisher: JanusHandle | null = null;
  #subscriber: JanusHandle | null = null;
  #privateId: number | null = null;
  /** Subscriber negotiation: joined or not, a request in flight, feeds waiting for it. */
  #subscriberState: 'none' | 'attaching' | 'busy' | 'ready' = 'none';
  #subscribed = new Set<number>();
  #toSubscribe: number[] = [];
  /** Which feed each of the subscriber's m-lines carries (from `attached`/`updated`). */
  #mids = new Map<string, number>();
  #failures = 0;
  #cancelRetry: (() => void) | null = null;
  #chatSeq = 0;

  constructor(options: RoomCallOptions) {
    this.#options = options;
    this.#state = {
      phase: 'idle',
      self: { id: 0, display: '', host: false, micOn: false, cameraOn: false, hand: false, mutedByHost: false, hasMic: false, hasCamera: false },
      peers: [],
      chat: [],
      error: null,
    };
  }

  get state(): CallState {
    return this.#state;
  }

  subscribe(listener: (state: CallState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(change: Partial<CallState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener(this.#state);
  }

  #setSelf(change: Partial<SelfState>): void {
    this.#set({ self: { ...this.#state.self, ...change } });
  }

  #setPeer(id: number, change: Partial<Peer>): void {
    if (!this.#state.peers.some((p) => p.id === id)) return;
    this.#set({ peers: this.#state.peers.map((p) => (p.id === id ? { ...p, ...change } : p)) });
  }

  /** Whether the call is over for good (nothing more will happen until a new `join`). */
  get over(): boolean {
    return ['left', 'removed', 'ended', 'refused'].includes(this.#state.phase);
  }

  /** Enters the room with the pre-join check's tracks. */
  async join(join: RoomJoin, media: LocalMedia): Promise<void> {
    this.#media = media;
    this.#failures = 0;
    this.#set({
      self: {
        id: join.participantId,
        display: join.display,
        host: join.host,
        micOn: media.micOn && media.audio !== null,
        cameraOn: media.cameraOn && media.video !== null,
        hand: false,
        mutedByHost: false,
        hasMic: media.audio !== null,
        hasCamera: media.video !== null,
      },
      peers: [],
      chat: [],
      error: null,
    });
    await this.#connect(join, 'joining');
  }

  async #connect(join: RoomJoin, phase: 'joining' | 'reconnecting'): Promise<void> {
    this.#join = join;
    const attempt = ++this.#attempt;
    this.#set({ phase });
    let open: OpenSession;
    try {
      open = await this.#options.openSession();
    } catch {
      if (attempt === this.#attempt) this.#connectionDropped();
      return;
    }
    if (attempt !== this.#attempt) return;
    const current = () => attempt === this.#attempt;
    this.#session = open({
      server: join.server,
      token: join.token,
      iceServers: join.iceServers,
      destroyOnUnload: true,
      success: () => {
        if (current()) this.#attachPublisher(attempt);
      },
      error: () => {
        // janus.js says this when the WebSocket cannot open, and when it closes later.
        if (current()) this.#connectionDropped();
      },
    });
  }

  #attachPublisher(attempt: number): void {
    const current = () => attempt === this.#attempt;
    this.#session?.attach({
      plugin: VIDEOROOM,
      success: (handle) => {
        if (!current()) return;
        this.#publisher = handle;
        const join = this.#join!;
        handle.send({
          message: { request: 'join', ptype: 'publisher', room: join.room, id: join.participantId, display: join.display, token: join.token },
        });
      },
      error: () => {
        if (current()) this.#connectionDropped();
      },
      onmessage: (message, jsep) => {
        if (current()) this.#onPublisherMessage(message, jsep);
      },
      iceState: (state) => {
        if (current() && state === 'failed') this.#connectionDropped();
      },
      // Our own tracks are the pre-join check's: the page already shows them.
      onlocaltrack: () => {},
      onremotetrack: () => {},
    });
  }

  #onPublisherMessage(message: VideoroomMessage, jsep: Jsep | undefined): void {
    const kind = message['videoroom'] as unknown;
    if (kind === 'joined') {
      this.#privateId = asId(message['private_id']);
      this.#failures = 0;
      this.#set({ phase: 'joined' });
      this.#publish();
      this.#addPublishers(message['publishers']);
      return;
    }
    if (kind === 'destroyed') {
      this.#finish('ended');
      return;
    }
    if (kind !== 'event') return;
    if (jsep) this.#publisher?.handleRemoteJsep({ jsep });
    if (typeof message['error'] === 'string' && this.#state.phase !== 'joined') {
      // Coming back, our id may still be held by the session that dropped (436, "User ID already exists") until Janus
      // notices it is gone: that passes, so try again later.
      if (this.#state.phase === 'reconnecting' && message['error_code'] === ID_EXISTS) {
        this.#connectionDropped();
        return;
      }
      // The join itself was refused (a token Janus does not accept, a room that is gone).
      this.#set({ error: message['error'] });
      this.#finish('refused');
      return;
    }
    if (message['leaving'] === 'ok' && message['reason'] === 'kicked') {
      this.#finish('removed');
      return;
    }
    this.#addPublishers(message['publishers']);
    for (const field of ['leaving', 'unpublished', 'kicked'] as const) {
      const id = asId(message[field]);
      if (id !== null) this.#removePeer(id);
    }
    const moderated = asId(message['id']);
    if (moderated !== null && (message['moderation'] === 'muted' || message['moderation'] === 'unmuted')) {
      const muted = message['moderation'] === 'muted';
      if (moderated === this.#state.self.id) {
        if (muted) this.#publisher?.muteAudio();
        this.#setSelf(muted ? { mutedByHost: true, micOn: false } : { mutedByHost: false });
        if (muted) this.#announce();
      } else {
        this.#setPeer(moderated, { mutedByHost: muted });
      }
    }
  }

  /** Publishes what the person brought, plus the data channel that carries the chat and the hands. */
  #publish(): void {
    const publisher = this.#publisher;
    if (!publisher) return;
    const tracks: Array<{ type: 'audio' | 'video' | 'data'; capture: boolean | MediaStreamTrack; recv: boolean }> = [];
    if (this.#media.audio) tracks.push({ type: 'audio', capture: this.#media.audio, recv: false });
    if (this.#media.video) tracks.push({ type: 'video', capture: this.#media.video, recv: false });
    tracks.push({ type: 'data', capture: false, recv: false });
    publisher.createOffer({
      tracks,
      success: (offer) => {
        publisher.send({ message: { request: 'configure', audio: this.#media.audio !== null, video: this.#media.video !== null }, jsep: offer });
        // Off from the start when chosen so: the track is there, silent or black, until the person turns it on.
        if (this.#media.audio && !this.#state.self.micOn) publisher.muteAudio();
        if (this.#media.video && !this.#state.self.cameraOn) publisher.muteVideo();
      },
      error: () => this.#connectionDropped(),
    });
  }

  #addPublishers(list: unknown): void {
    if (!Array.isArray(list)) return;
    const added: Peer[] = [];
    for (const item of list as Array<Record<string, unknown>>) {
      const id = asId(item?.['id']);
      if (id === null || id === this.#state.self.id || this.#state.peers.some((p) => p.id === id)) continue;
      const display = typeof item['display'] === 'string' ? item['display'] : '';
      const streams = Array.isArray(item['streams']) ? (item['streams'] as Array<Record<string, unknown>>) : [];
      const mutedByHost = streams.some((s) => s?.['type'] === 'audio' && s['moderated'] === true);
      const hasMic = streams.some((s) => s?.['type'] === 'audio');
      added.push({ id, display, audio: null, video: null, micOn: true, cameraOn: true, hand: false, mutedByHost, hasMic });
    }
    if (added.length === 0) return;
    this.#set({ peers: [...this.#state.peers, ...added] });
    this.#subscribeTo(added.map((p) => p.id));
    // The newcomers do not know our hand or our muted microphone: say it again.
    this.#announce();
  }

  #removePeer(id: number): void {
    if (!this.#state.peers.some((p) => p.id === id)) return;
    this.#subscribed.delete(id);
    this.#toSubscribe = this.#toSubscribe.filter((f) => f !== id);
    this.#set({ peers: this.#state.peers.filter((p) => p.id !== id) });
  }

  // --- the subscriber: everyone else's streams, on one PeerConnection (Janus 1.x multistream) -----------------------

  #subscribeTo(feeds: number[]): void {
    for (const feed of feeds) if (!this.#subscribed.has(feed) && !this.#toSubscribe.includes(feed)) this.#toSubscribe.push(feed);
    if (this.#subscriberState === 'none') this.#attachSubscriber(this.#attempt);
    else if (this.#subscriberState === 'ready') this.#flushSubscriptions();
    // attaching or busy: the feeds wait for the negotiation in flight to end.
  }

  #flushSubscriptions(): void {
    const feeds = this.#toSubscribe.filter((f) => this.#state.peers.some((p) => p.id === f));
    this.#toSubscribe = [];
    if (feeds.length === 0 || !this.#subscriber) return;
    for (const feed of feeds) this.#subscribed.add(feed);
    this.#subscriberState = 'busy';
    this.#subscriber.send({ message: { request: 'subscribe', streams: feeds.map((feed) => ({ feed })) } });
  }

  #attachSubscriber(attempt: number): void {
    const current = () => attempt === this.#attempt;
    this.#subscriberState = 'attaching';
    this.#session?.attach({
      plugin: VIDEOROOM,
      success: (handle) => {
        if (!current()) return;
        this.#subscriber = handle;
        const feeds = this.#toSubscribe.filter((f) => this.#state.peers.some((p) => p.id === f));
        this.#toSubscribe = [];
        if (feeds.length === 0) {
          // Everyone we meant to see left meanwhile: nothing to join yet.
          this.#subscriberState = 'none';
          this.#subscriber = null;
          handle.detach();
          return;
        }
        for (const feed of feeds) this.#subscribed.add(feed);
        this.#subscriberState = 'busy';
        handle.send({
          message: {
            request: 'join',
            ptype: 'subscriber',
            room: this.#join!.room,
            ...(this.#privateId !== null && { private_id: this.#privateId }),
            streams: feeds.map((feed) => ({ feed })),
          },
        });
      },
      error: () => {
        if (current()) this.#connectionDropped();
      },
      onmessage: (message, jsep) => {
        if (current()) this.#onSubscriberMessage(message, jsep);
      },
      onremotetrack: (track, mid, on) => {
        if (current()) this.#onRemoteTrack(track, mid, on);
      },
      ondata: (data: unknown, label: unknown) => {
        if (current()) this.#onData(data, label);
      },
    });
  }

  #onSubscriberMessage(message: VideoroomMessage, jsep: Jsep | undefined): void {
    const kind = message['videoroom'] as unknown;
    if (kind === 'attached' || kind === 'updated') {
      if (Array.isArray(message['streams'])) {
        for (const s of message['streams'] as Array<Record<string, unknown>>) {
          const feed = asId(s?.['feed_id']);
          if (typeof s?.['mid'] === 'string' && feed !== null) this.#mids.set(s['mid'], feed);
        }
      }
    }
    if (jsep) {
      const subscriber = this.#subscriber;
      subscriber?.createAnswer({
        jsep,
        // We send nothing on this PeerConnection but accept the data channel the offer carries.
        tracks: [{ type: 'data', capture: false }],
        success: (answer) => {
          subscriber.send({
            message: { request: 'start' },
            jsep: answer,
            success: () => this.#negotiated(),
            error: () => this.#negotiated(),
          });
        },
        error: () => this.#connectionDropped(),
      });
    } else if (typeof message['error'] === 'string') {
      // A subscription Janus refused (the feed left meanwhile): go on with the next.
      this.#negotiated();
    }
  }

  #negotiated(): void {
    this.#subscriberState = 'ready';
    this.#flushSubscriptions();
  }

  #onRemoteTrack(track: MediaStreamTrack, mid: string, on: boolean): void {
    const feed = this.#mids.get(mid);
    if (feed === undefined) return;
    const kind = track.kind === 'audio' ? 'audio' : track.kind === 'video' ? 'video' : null;
    if (!kind) return;
    const peer = this.#state.peers.find((p) => p.id === feed);
    if (!peer) return;
    if (on) this.#setPeer(feed, { [kind]: track });
    else if (peer[kind] === track) this.#setPeer(feed, { [kind]: null });
  }

  #onData(data: unknown, label: unknown): void {
    // Janus relays each publisher's data with the publisher's id as the channel's label: who speaks is Janus's word,
    // not the message's.
    const from = typeof label === 'string' ? Number(label) : NaN;
    const peer = this.#state.peers.find((p) => p.id === from);
    if (!peer || typeof data !== 'string') return;
    let message: Partial<DataMessage> & Record<string, unknown>;
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (message.t === 'chat' && typeof message.text === 'string' && message.text.trim()) {
      this.#addChat(peer.id, peer.display, message.text.slice(0, CHAT_MAX_LENGTH), false);
    } else if (message.t === 'state') {
      this.#setPeer(peer.id, { micOn: message['mic'] === true, cameraOn: message['camera'] === true, hand: message['hand'] === true });
    }
  }

  #addChat(from: number, display: string, text: string, self: boolean): void {
    const line: ChatLine = { seq: ++this.#chatSeq, from, display, text, at: this.#options.clock.now(), self };
    this.#set({ chat: [...this.#state.chat, line].slice(-CHAT_KEPT) });
  }

  #send(message: DataMessage): void {
    if (this.#state.phase !== 'joined') return;
    this.#publisher?.data({ data: JSON.stringify(message) });
  }

  /** Tells the others our microphone, camera and hand. */
  #announce(): void {
    const { micOn, cameraOn, hand } = this.#state.self;
    this.#send({ t: 'state', mic: micOn, camera: cameraOn, hand });
  }

  // --- the person's controls ------------------------------------------------------------------------------------------

  setMic(on: boolean): void {
    const self = this.#state.self;
    if (!self.hasMic || (on && self.mutedByHost) || self.micOn === on) return;
    if (on) this.#publisher?.unmuteAudio();
    else this.#publisher?.muteAudio();
    this.#setSelf({ micOn: on });
    this.#announce();
  }

  setCamera(on: boolean): void {
    const self = this.#state.self;
    if (!self.hasCamera || self.cameraOn === on) return;
    if (on) this.#publisher?.unmuteVideo();
    else this.#publisher?.muteVideo();
    this.#setSelf({ cameraOn: on });
    this.#announce();
  }

  setHand(up: boolean): void {
    if (this.#state.self.hand === up) return;
    this.#setSelf({ hand: up });
    this.#announce();
  }

  /** Sends a chat line to everyone in the room; false when it cannot go (empty, or not in the room). */
  sendChat(text: string): boolean {
    const trimmed = text.trim().slice(0, CHAT_MAX_LENGTH);
    if (!trimmed || this.#state.phase !== 'joined') return false;
    this.#send({ t: 'chat', text: trimmed });
    this.#addChat(this.#state.self.id, this.#state.self.display, trimmed, true);
    return true;
  }

  // --- leaving, losing the connection -----------------------------------------------------------------------------------

  /** Leaves for real: hangs up, destroys the Janus session, stops the camera and the microphone. */
  leave(): void {
    if (this.#state.phase === 'idle') {
      this.#stopTracks();
      return;
    }
    this.#publisher?.send({ message: { request: 'leave' } });
    this.#finish('left');
  }

  /** Tries again now, after the call was `lost`. */
  retry(): void {
    if (this.#state.phase !== 'lost') return;
    this.#failures = 0;
    void this.#comeBack();
  }

  #connectionDropped(): void {
    const phase = this.#state.phase;
    if (phase !== 'joining' && phase !== 'joined' && phase !== 'reconnecting') return;
    this.#teardown();
    const delay = RECONNECT_DELAYS_MS[this.#failures];
    this.#failures += 1;
    if (delay === undefined) {
      this.#set({ phase: 'lost', peers: [] });
      return;
    }
    this.#set({ phase: 'reconnecting', peers: [] });
    this.#cancelRetry = this.#options.clock.after(delay, () => {
      this.#cancelRetry = null;
      void this.#comeBack();
    });
  }

  async #comeBack(): Promise<void> {
    this.#set({ phase: 'reconnecting' });
    const attempt = this.#attempt;
    let join: RoomJoin;
    try {
      join = await this.#options.rejoin();
    } catch {
      // The room refuses us now (it ended, we are no longer on its list): the page asks the server again and says why.
      if (attempt === this.#attempt && this.#state.phase === 'reconnecting') this.#finish('ended');
      return;
    }
    if (attempt !== this.#attempt || this.#state.phase !== 'reconnecting') return;
    await this.#connect(join, 'reconnecting');
  }

  #finish(phase: 'left' | 'removed' | 'ended' | 'refused'): void {
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#teardown();
    this.#stopTracks();
    this.#set({ phase, peers: [], self: { ...this.#state.self, hand: false } });
  }

  /** Closes the session (its handles with it) and forgets it; the person's own tracks stay for a reconnection. */
  #teardown(): void {
    this.#attempt += 1;
    this.#publisher?.hangup(true);
    this.#subscriber?.hangup(true);
    this.#session?.destroy({ cleanupHandles: true, notifyDestroyed: false });
    this.#session = null;
    this.#publisher = null;
    this.#subscriber = null;
    this.#privateId = null;
    this.#subscriberState = 'none';
    this.#subscribed.clear();
    this.#toSubscribe = [];
    this.#mids.clear();
  }

  #stopTracks(): void {
    this.#media.audio?.stop();
    this.#media.video?.stop();
  }
}
