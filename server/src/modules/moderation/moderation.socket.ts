import type { Logger } from 'pino';
import type { ParvisServer, ParvisSocket } from '../../realtime/types';
import type { ProgrammeService } from '../programme/programme.service';
import type { ModerationService } from './moderation.service';

export interface ModerationHandlerDeps {
  moderation: ModerationService;
  programme: ProgrammeService;
  log: Logger;
}

/** `chat:delete`, `chat:review`, `moderation:sanction`, `room:configure`, `backstage:note`. */
export function registerModerationHandlers(_io: ParvisServer, _socket: ParvisSocket, _deps: ModerationHandlerDeps): void {}
