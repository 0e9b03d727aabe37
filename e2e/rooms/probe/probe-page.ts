/*
 * The probe: the smallest page that takes part in a Janus videoroom through Meetecho's janus.js (the npm
 * `janus-gateway`), as the room page does, without Parvis. It publishes the fake camera and microphone and subscribes
 * to every other publisher, one subscriber handle (one RTCPeerConnection) per feed. The harness's own spec uses it to
 * show that Janus, Chromium and the namespace carry media (and what to look at when a room spec fails: the harness or
 * the room page); the `rooms` bench row uses it to put participants in a room.
 *
 * Bundled by esbuild for the browser (probe-server.ts); it runs in the page, never in Node.
 */
import Janus, { type JanusJS } from 'janus-gateway';
import adapter from 'webrtc-adapter';

export interface ProbeJoin {
  /** Janus's WebSocket address, e.g. ws://127.0.0.1:8188. */
  server: string;
  room: number;
  display: string;
  /** The publisher's feed id, when the server chose it (Parvis does: the host removes people by it). */
  id?: number;
  /** Janus core token and room token, when the server asks for them (Parvis's RoomJoin.token). */
  token?: string;
  /** ICE servers (Parvis's RoomJoin.iceServers); none on the namespace's loopback. */
  iceServers?: RTCIceServer[];
}

/** What the page shows the test: its own feed id once published, and the feeds it receives. */
export interface ProbeState {
  publishedAs: number | null;
  subscribedTo: number[];
  errors: string[];
}

declare global {
  interface Window {
    probeJoin(join: ProbeJoin): Promise<number>;
    probeState(): ProbeState;
  }
}

const state: ProbeState = { publishedAs: null, subscribedTo: [], errors: [] };
const videoroom = 'janus.plugin.videoroom';

function initJanus(): Promise<void> {
  return new Promise((resolve) => Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: () => resolve() }));
}

function connect(join: ProbeJoin): Promise<Janus> {
  return new Promise((resolve, reject) => {
    const session: Janus = new Janus({
      server: join.server,
      ...(join.token === undefined ? {} : { token: join.token }),
      ...(join.iceServers === undefined ? {} : { iceServers: join.iceServers }),
      success: () => resolve(session),
      error: (error: unknown) => {
        state.errors.push(`session: ${String(error)}`);
        reject(new Error(String(error)));
      },
    });
  });
}

interface Publisher {
  id: number;
}

function subscribe(session: Janus, join: ProbeJoin, feed: number): void {
  if (state.subscribedTo.includes(feed)) return;
  state.subscribedTo.push(feed);
  let handle: JanusJS.PluginHandle;
  session.attach({
    plugin: videoroom,
    success: (attached: JanusJS.PluginHandle) => {
      handle = attached;
      handle.send({ message: { request: 'join', ptype: 'subscriber', room: join.room, streams: [{ feed }], ...(join.token === undefined ? {} : { token: join.token }) } });
    },
    error: (error: unknown) => state.errors.push(`subscriber ${feed}: ${String(error)}`),
    onmessage: (_message: JanusJS.Message, jsep?: JanusJS.JSEP) => {
      if (jsep === undefined) return;
      // No tracks of our own on a subscriber's connection: it only receives what Janus offers.
      handle.createAnswer({
        jsep,
        tracks: [],
        success: (answer: JanusJS.JSEP) => handle.send({ message: { request: 'start', room: join.room }, jsep: answer }),
        error: (error: unknown) => state.errors.push(`answer ${feed}: ${String(error)}`),
      });
    },
  });
}

window.probeState = () => ({ ...state, subscribedTo: [...state.subscribedTo], errors: [...state.errors] });

window.probeJoin = async (join) => {
  await initJanus();
  const session = await connect(join);
  return new Promise<number>((resolve, reject) => {
    let publisher: JanusJS.PluginHandle;
    const subscribeAll = (publishers: Publisher[] | undefined) => {
      for (const p of publishers ?? []) subscribe(session, join, p.id);
    };
    session.attach({
      plugin: videoroom,
      success: (attached: JanusJS.PluginHandle) => {
        publisher = attached;
        publisher.send({
          message: {
            request: 'join',
            ptype: 'publisher',
            room: join.room,
            display: join.display,
            ...(join.id === undefined ? {} : { id: join.id }),
            ...(join.token === undefined ? {} : { token: join.token }),
          },
        });
      },
      error: (error: unknown) => reject(new Error(String(error))),
      onmessage: (message: JanusJS.Message, jsep?: JanusJS.JSEP) => {
        const event = message['videoroom'] as string | undefined;
        if (event === 'joined') {
          const id = message['id'] as number;
          subscribeAll(message['publishers'] as Publisher[] | undefined);
          publisher.createOffer({
            tracks: [
              { type: 'audio', capture: true, recv: false },
              { type: 'video', capture: true, recv: false },
            ],
            success: (offer: JanusJS.JSEP) => publisher.send({ message: { request: 'configure', audio: true, video: true }, jsep: offer }),
            error: (error: unknown) => reject(new Error(`offer: ${String(error)}`)),
          });
          state.publishedAs = id;
          resolve(id);
        } else if (event === 'event' && message['error'] !== undefined && state.publishedAs === null) {
          reject(new Error(`join refused: ${String(message['error'])}`));
        } else if (event === 'event') {
          subscribeAll(message['publishers'] as Publisher[] | undefined);
          if (message['error'] !== undefined) state.errors.push(`publisher: ${String(message['error'])}`);
        }
        if (jsep !== undefined) publisher.handleRemoteJsep({ jsep });
      },
    });
  });
};
