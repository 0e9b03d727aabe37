import type { JanusJS } from 'janus-gateway';
import type { OpenSession } from './janus-port';

let ready: Promise<OpenSession> | null = null;

/**
 * Loads janus.js (and webrtc-adapter, which its ES module expects to be handed rather than finding a global), runs its
 * one-time `Janus.init`, and answers a way to open sessions. Loaded when a room page asks for it, never before.
 */
export function loadJanus(): Promise<OpenSession> {
  ready ??= Promise.all([import('janus-gateway'), import('webrtc-adapter')])
    .then(
      ([{ default: Janus }, { default: adapter }]) =>
        new Promise<OpenSession>((resolve) => {
          Janus.init({
            debug: false,
            dependencies: Janus.useDefaultDependencies({ adapter }),
            callback: () => resolve((options: JanusJS.ConstructorOptions) => new Janus(options) as unknown as ReturnType<OpenSession>),
          });
        }),
    )
    .catch((error: unknown) => {
      ready = null;
      throw error;
    });
  return ready;
}
