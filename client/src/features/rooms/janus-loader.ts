import Janus, { type JanusJS } from 'janus-gateway';
import adapter from 'webrtc-adapter';
import type { OpenSession } from './janus-port';

/*
 * Imported statically: this module is only ever in the room page's chunk (pages.ts), which the programme and the
 * watch page never load, and a dynamic import here would pull Vite's preload helper onto their critical path.
 */

let ready: Promise<OpenSession> | null = null;

/**
 * Runs janus.js's one-time `Janus.init`, handing it webrtc-adapter (its ES module expects to be given it rather than
 * finding a global), and answers a way to open sessions.
 */
export function loadJanus(): Promise<OpenSession> {
  ready ??= new Promise<OpenSession>((resolve) => {
    Janus.init({
      debug: false,
      dependencies: Janus.useDefaultDependencies({ adapter }),
      callback: () => resolve((options: JanusJS.ConstructorOptions) => new Janus(options) as unknown as ReturnType<OpenSession>),
    });
  });
  return ready;
}
