import type { Logger } from 'pino';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import type { CaptionsService } from './captions.service';

/** `caption:send`: a line from the caption desk, or its correction; the room hears it as `captions:cue`. */
export function captionHandlers(deps: { captions: CaptionsService; log: Logger }): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    handle('caption:send', async (payload, socket) => {
      const cue = await deps.captions.send(socket.data.user, payload);
      return { cue };
    });
  });
}
