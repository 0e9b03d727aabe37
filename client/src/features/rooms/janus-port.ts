import type { JanusJS } from 'janus-gateway';

/*
 * What the room call uses of Meetecho's janus.js (the `janus-gateway` package): the library is a boundary we do not own,
 * so the call talks to it through these few shapes, which the real library satisfies (janus-loader.ts) and the tests'
 * fake implements (room-call.test.ts). The signalling itself (SDP offers and answers, ICE, the WebSocket transport) is
 * all janus.js's: the call only sends the videoroom plugin's requests and reacts to its events.
 */

/** A plugin handle: the publisher's (our camera and microphone) or the subscriber's (everyone else's streams). */
export type JanusHandle = Pick<
  JanusJS.PluginHandle,
  'send' | 'createOffer' | 'createAnswer' | 'handleRemoteJsep' | 'muteAudio' | 'unmuteAudio' | 'muteVideo' | 'unmuteVideo' | 'data' | 'hangup' | 'detach'
>;

/** The options of `attach`, with the handle given to `success` narrowed to what the call uses. */
export type AttachOptions = Omit<JanusJS.PluginOptions, 'success'> & { success: (handle: JanusHandle) => void };

/** A Janus session over one WebSocket. */
export interface JanusSession {
  attach(options: AttachOptions): void;
  destroy(options: JanusJS.DestroyOptions): void;
}

/** Opens a session: janus.js's `new Janus(options)`, after its one-time `Janus.init`. */
export type OpenSession = (options: JanusJS.ConstructorOptions) => JanusSession;

/** A videoroom event or response (`plugindata.data`), as the plugin documents it: read field by field, never trusted. */
export type VideoroomMessage = JanusJS.Message;
export type Jsep = JanusJS.JSEP;
