import type { Logger } from 'pino';
import type { ParvisServer, ParvisSocket } from '../../realtime/types';
import type { ProgrammeService } from '../programme/programme.service';
import type { PollsService } from './polls.service';

export interface PollHandlerDeps {
  polls: PollsService;
  programme: ProgrammeService;
  log: Logger;
}

/** `poll:create`, `poll:control`, `poll:vote`, `reaction:send`. */
export function registerPollHandlers(_io: ParvisServer, _socket: ParvisSocket, _deps: PollHandlerDeps): void {}
