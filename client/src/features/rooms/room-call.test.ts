import type { JanusJS } from 'janus-gateway';
import type { RoomJoin } from '#shared/domain/room';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/manual-clock';
import type { AttachOptions, JanusHandle, JanusSession, OpenSession } from './janus-port';
import { RECONNECT_DELAYS_MS, RoomCall, type LocalMedia } from './room-call';

/*
 * janus.js is a boundary we do not own: a fake stands in for it, and the tests play the videoroom plugin's side of the
 * conversation (its `joined`, `event`, `attached` and `updated` messages, as the plugin's documentation gives them).
 */

interface Sent {
  message: Record<string, unknown>;
  jsep?: unknown;
}

class FakeHandle implements JanusHandle {
  sent: Sent[] = [];
  data_: string[] = [];
  audioMuted = false;
  videoMuted = false;
  hungUp = false;
  offers: JanusJS.OfferParams[] = [];
  constructor(readonly options: AttachOptions) {}
  send(params: JanusJS.PluginMessage): void {
    this.sent.push({ message: params.message, jsep: params.jsep });
    params.success?.();
  }
  createOffer(params: JanusJS.OfferParams): void {
    this.offers.push(params);
    params.success?.({ type: 'offer', sdp: 'offer' });
  }
  createAnswer(params: JanusJS.PluginCreateAnswerParam): void {
    params.success?.({ type: 'answer', sdp: 'answer' });
  }
  handleRemoteJsep(): void {}
  muteAudio(): void {
    this.audioMuted = true;
  }
  unmuteAudio(): void {
    this.audioMuted = false;
  }
  muteVideo(): void {
    this.videoMuted = true;
  }
  unmuteVideo(): void {
    this.videoMuted = false;
  }
  data(params: JanusJS.PluginDataParam): void {
    this.data_.push(params.data as string);
  }
  hangup(): void {
    this.hungUp = true;
  }
  detach(): void {}
  /** The plugin speaks to this handle. */
  emit(message: Record<string, unknown>, jsep?: JanusJS.JSEP): void {
    this.options.onmessage?.(message, jsep);
  }
  get requests(): string[] {
    return this.sent.map((s) => String(s.message['request']));
  }
}

class FakeSession implements JanusSession {
  handles: FakeHandle[] = [];
  destroyed = false;
  constructor(readonly options: JanusJS.ConstructorOptions) {}
  attach(options: AttachOptions): void {
    const handle = new FakeHandle(options);
    this.handles.push(handle);
    options.success(handle);
  }
  destroy(): void {
    this.destroyed = true;
  }
  get publisher(): FakeHandle {
    return this.handles[0]!;
  }
  get subscriber(): FakeHandle {
    return this.handles[1]!;
  }
  /** The WebSocket to Janus closes: janus.js calls the session's `error`. */
  drop(): void {
    this.options.error?.('Lost connection to the server (is it down?)');
  }
}

const track = (kind: 'audio' | 'video') => {
  const t = { kind, stopped: false, stop: () => (t.stopped = true) };
  return t as unknown as MediaStreamTrack & { stopped: boolean };
};

const JOIN: RoomJoin = {
  provider: 'janus',
  server: 'ws://127.0.0.1/janus',
  room: 4242,
  token: 'tok-1',
  expiresAt: '2026-12-07T12:00:00Z',
  participantId: 7,
  display: 'Awa',
  host: false,
  iceServers: [],
  opensAt: '2026-12-07T09:45:00Z',
  endsAt: '2026-12-07T11:00:00Z',
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(options: { rejoin?: () => Promise<RoomJoin> } = {}) {
  const sessions: FakeSession[] = [];
  const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'));
  const open: OpenSession = (o) => {
    const session = new FakeSession(o);
    sessions.push(session);
    // janus.js connects, then calls success.
    queueMicrotask(() => o.success?.());
    return session;
  };
  let rejoins = 0;
  const call = new RoomCall({
    openSession: async () => open,
    clock,
    rejoin:
      options.rejoin ??
      (async () => {
        rejoins += 1;
        return { ...JOIN, token: `tok-${rejoins + 1}` };
      }),
  });
  const media: LocalMedia = { audio: track('audio'), video: track('video'), micOn: true, cameraOn: true };
  return { call, sessions, clock, media, rejoins: () => rejoins };
}

/** Joins, with Janus answering `joined` with these publishers already in the room. */
async function joined(publishers: Array<Record<string, unknown>> = [], options: Parameters<typeof setup>[0] = {}) {
  const world = setup(options);
  await world.call.join(JOIN, world.media);
  await flush();
  const session = world.sessions[0]!;
  session.publisher.emit({ videoroom: 'joined', room: 4242, id: 7, private_id: 99, publishers });
  return { ...world, session };
}

const pub = (id: number, display: string) => ({ id, display, streams: [{ type: 'audio', mid: '0' }, { type: 'video', mid: '1' }, { type: 'data', mid: '2' }] });

describe('RoomCall', () => {
  it('joins the room as a publisher with its token, then publishes the microphone, the camera and a data channel', async () => {
    const { session, call } = await joined();
    expect(session.options.token).toBe('tok-1');
    expect(session.publisher.sent[0]!.message).toMatchObject({ request: 'join', ptype: 'publisher', room: 4242, id: 7, display: 'Awa', token: 'tok-1' });
    expect(session.publisher.offers[0]!.tracks!.map((t) => t.type)).toEqual(['audio', 'video', 'data']);
    expect(session.publisher.sent[1]!.message).toMatchObject({ request: 'configure', audio: true, video: true });
    expect(call.state.phase).toBe('joined');
  });

  it('subscribes to everyone already there, and to each newcomer, and shows their tracks on their tile', async () => {
    const { session, call } = await joined([pub(11, 'Bilal'), pub(12, 'Chloé')]);
    expect(call.state.peers.map((p) => p.display)).toEqual(['Bilal', 'Chloé']);
    const sub = session.subscriber;
    expect(sub.sent[0]!.message).toMatchObject({ request: 'join', ptype: 'subscriber', room: 4242, private_id: 99, streams: [{ feed: 11 }, { feed: 12 }] });
    sub.emit(
      { videoroom: 'attached', streams: [{ mid: '0', feed_id: 11 }, { mid: '1', feed_id: 11 }, { mid: '2', feed_id: 12 }, { mid: '3', feed_id: 12 }] },
      { type: 'offer', sdp: 'x' },
    );
    expect(sub.requests).toEqual(['join', 'start']);
    const video = track('video');
    sub.options.onremotetrack!(video, '3', true);
    expect(call.state.peers.find((p) => p.id === 12)!.video).toBe(video);

    // Someone comes later: one more subscription on the same handle.
    session.publisher.emit({ videoroom: 'event', publishers: [pub(13, 'Dan')] });
    expect(sub.sent.at(-1)!.message).toEqual({ request: 'subscribe', streams: [{ feed: 13 }] });
    expect(call.state.peers.map((p) => p.display)).toEqual(['Bilal', 'Chloé', 'Dan']);

    // Someone without a microphone: the host has nothing of theirs to mute.
    session.publisher.emit({ videoroom: 'event', publishers: [{ id: 14, display: 'Eva', streams: [{ type: 'video', mid: '0' }, { type: 'data', mid: '1' }] }] });
    expect(call.state.peers.map((p) => [p.display, p.hasMic])).toEqual([['Bilal', true], ['Chloé', true], ['Dan', true], ['Eva', false]]);
  });

  it('waits for a negotiation in flight before it subscribes to the next newcomer', async () => {
    const { session } = await joined([pub(11, 'Bilal')]);
    const sub = session.subscriber;
    // The subscriber's join has not been answered yet.
    session.publisher.emit({ videoroom: 'event', publishers: [pub(13, 'Dan')] });
    expect(sub.requests).toEqual(['join']);
    sub.emit({ videoroom: 'attached', streams: [] }, { type: 'offer', sdp: 'x' });
    expect(sub.requests).toEqual(['join', 'start', 'subscribe']);
  });

  it('takes a person off the grid when they leave or are removed', async () => {
    const { session, call } = await joined([pub(11, 'Bilal'), pub(12, 'Chloé'), pub(13, 'Dan')]);
    session.publisher.emit({ videoroom: 'event', leaving: 11 });
    session.publisher.emit({ videoroom: 'event', kicked: 12 });
    expect(call.state.peers.map((p) => p.display)).toEqual(['Dan']);
  });

  it('is out, its camera and microphone stopped, when the host removes it', async () => {
    const { session, call, media } = await joined([pub(11, 'Bilal')]);
    session.publisher.emit({ videoroom: 'event', room: 4242, leaving: 'ok', reason: 'kicked' });
    expect(call.state.phase).toBe('removed');
    expect(call.state.peers).toEqual([]);
    expect(session.destroyed).toBe(true);
    expect((media.audio as ReturnType<typeof track>).stopped).toBe(true);
    expect((media.video as ReturnType<typeof track>).stopped).toBe(true);
  });

  it('leaves for real: the leave request, hang-up, the session destroyed, the tracks stopped', async () => {
    const { session, call, media } = await joined([pub(11, 'Bilal')]);
    call.leave();
    expect(session.publisher.requests).toContain('leave');
    expect(session.publisher.hungUp).toBe(true);
    expect(session.destroyed).toBe(true);
    expect((media.video as ReturnType<typeof track>).stopped).toBe(true);
    expect(call.state.phase).toBe('left');
    // A late message of the closed session changes nothing.
    session.publisher.emit({ videoroom: 'event', publishers: [pub(14, 'Eve')] });
    expect(call.state.peers).toEqual([]);
  });

  it('mutes and unmutes the microphone and the camera, and tells the others', async () => {
    const { session, call } = await joined([pub(11, 'Bilal')]);
    call.setMic(false);
    expect(session.publisher.audioMuted).toBe(true);
    call.setCamera(false);
    expect(session.publisher.videoMuted).toBe(true);
    expect(JSON.parse(session.publisher.data_.at(-1)!)).toEqual({ t: 'state', mic: false, camera: false, hand: false });
    call.setMic(true);
    expect(session.publisher.audioMuted).toBe(false);
    expect(call.state.self).toMatchObject({ micOn: true, cameraOn: false });
  });

  it('joins with the camera off when chosen so, and says so to the others', async () => {
    const world = setup();
    await world.call.join(JOIN, { ...world.media, cameraOn: false });
    await flush();
    const session = world.sessions[0]!;
    session.publisher.emit({ videoroom: 'joined', id: 7, private_id: 1, publishers: [pub(11, 'Bilal')] });
    expect(session.publisher.videoMuted).toBe(true);
    expect(JSON.parse(session.publisher.data_.at(-1)!)).toMatchObject({ camera: false, mic: true });
  });

  it('shows raised hands and chat lines of the others, attributed by Janus’s label rather than by the message', async () => {
    const { session, call } = await joined([pub(11, 'Bilal')]);
    const sub = session.subscriber;
    sub.options.ondata!(JSON.stringify({ t: 'state', mic: true, camera: true, hand: true }), '11');
    expect(call.state.peers[0]!.hand).toBe(true);
    sub.options.ondata!(JSON.stringify({ t: 'chat', text: 'Bonjour !', from: 7 }), '11');
    expect(call.state.chat.map((l) => [l.display, l.text, l.self])).toEqual([['Bilal', 'Bonjour !', false]]);
    // From nobody in the room: ignored.
    sub.options.ondata!(JSON.stringify({ t: 'chat', text: 'spoof' }), '999');
    expect(call.state.chat).toHaveLength(1);
  });

  it('sends its own chat lines and hand over the data channel, and shows its lines at once', async () => {
    const { session, call } = await joined([pub(11, 'Bilal')]);
    expect(call.sendChat('  ')).toBe(false);
    expect(call.sendChat('Je vous entends')).toBe(true);
    expect(JSON.parse(session.publisher.data_.at(-1)!)).toEqual({ t: 'chat', text: 'Je vous entends' });
    expect(call.state.chat.at(-1)).toMatchObject({ self: true, text: 'Je vous entends', display: 'Awa' });
    call.setHand(true);
    expect(JSON.parse(session.publisher.data_.at(-1)!)).toMatchObject({ t: 'state', hand: true });
  });

  it('keeps its microphone off when the host mutes it, and shows who the host muted', async () => {
    const { session, call } = await joined([pub(11, 'Bilal')]);
    session.publisher.emit({ videoroom: 'event', id: 11, mid: '0', moderation: 'muted' });
    expect(call.state.peers[0]!.mutedByHost).toBe(true);
    session.publisher.emit({ videoroom: 'event', id: 7, mid: '0', moderation: 'muted' });
    expect(call.state.self).toMatchObject({ mutedByHost: true, micOn: false });
    expect(session.publisher.audioMuted).toBe(true);
    call.setMic(true);
    expect(call.state.self.micOn).toBe(false);
  });

  it('says the room ended when Janus destroys it', async () => {
    const { session, call } = await joined();
    session.publisher.emit({ videoroom: 'destroyed', room: 4242 });
    expect(call.state.phase).toBe('ended');
  });

  it('is refused, with Janus’s words, when Janus refuses the token', async () => {
    const world = setup();
    await world.call.join(JOIN, world.media);
    await flush();
    world.sessions[0]!.publisher.emit({ videoroom: 'event', error_code: 433, error: 'Unauthorized (not in the allowed list)' });
    expect(world.call.state.phase).toBe('refused');
    expect(world.call.state.error).toContain('Unauthorized');
  });

  it('comes back by itself with a fresh token after the connection drops, not before its delay', async () => {
    const { session, call, clock, sessions } = await joined([pub(11, 'Bilal')]);
    session.drop();
    expect(call.state.phase).toBe('reconnecting');
    expect(call.state.peers).toEqual([]);
    clock.advance(RECONNECT_DELAYS_MS[0] - 1);
    expect(sessions).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(sessions).toHaveLength(2);
    expect(sessions[1]!.options.token).toBe('tok-2');
    sessions[1]!.publisher.emit({ videoroom: 'joined', id: 7, private_id: 5, publishers: [pub(11, 'Bilal')] });
    expect(call.state.phase).toBe('joined');
    expect(call.state.peers.map((p) => p.display)).toEqual(['Bilal']);
  });

  it('tries again later when, coming back, Janus still holds its id from the session that dropped', async () => {
    const { session, call, clock, sessions } = await joined();
    session.drop();
    clock.advance(RECONNECT_DELAYS_MS[0]);
    await flush();
    sessions[1]!.publisher.emit({ videoroom: 'event', error_code: 436, error: 'User ID 7 already exists' });
    expect(call.state.phase).toBe('reconnecting');
    clock.advance(RECONNECT_DELAYS_MS[1]);
    await flush();
    sessions[2]!.publisher.emit({ videoroom: 'joined', id: 7, private_id: 5, publishers: [] });
    expect(call.state.phase).toBe('joined');
  });

  it('gives up after its last attempt, and tries again when asked', async () => {
    const { session, call, clock, sessions } = await joined();
    session.drop();
    for (let i = 1; i <= RECONNECT_DELAYS_MS.length; i++) {
      clock.advance(RECONNECT_DELAYS_MS[i - 1]!);
      await flush();
      expect(sessions).toHaveLength(i + 1);
      sessions[i]!.drop();
    }
    expect(call.state.phase).toBe('lost');
    call.retry();
    await flush();
    await flush();
    expect(sessions).toHaveLength(RECONNECT_DELAYS_MS.length + 2);
    expect(call.state.phase).toBe('reconnecting');
  });

  it('stops, as ended, when the room refuses it on the way back', async () => {
    const { session, call, clock } = await joined([], {
      rejoin: async () => {
        throw new Error('room-ended');
      },
    });
    session.drop();
    clock.advance(RECONNECT_DELAYS_MS[0]);
    await flush();
    expect(call.state.phase).toBe('ended');
  });
});
