import type { Logger } from 'pino';
import { assertNameFree } from '../live-room/live-room.socket';
import { defineHandlers, type SocketHandler } from '../../realtime/handler';
import type { ProgrammeService } from '../programme/programme.service';
import type { QuestionsService } from './questions.service';

export interface QuestionHandlerDeps {
  questions: QuestionsService;
  programme: ProgrammeService;
  log: Logger;
}

/** `question:ask`, `question:vote`, `question:moderate`. The service broadcasts `questions:updated` after each change. */
export function questionHandlers(deps: QuestionHandlerDeps): SocketHandler[] {
  return defineHandlers(deps.log, (handle) => {
    handle('question:ask', async (payload, socket) => {
      assertNameFree(socket, payload.eventId);
      const event = await deps.programme.getEvent(payload.eventId);
      return { question: await deps.questions.ask(socket.data.user, event, payload) };
    });

    handle('question:vote', async (payload, socket) => {
      const event = await deps.programme.getEvent(payload.eventId);
      return { question: await deps.questions.vote(socket.data.user, event, payload) };
    });

    handle('question:moderate', async (payload, socket) => {
      const event = await deps.programme.getEvent(payload.eventId);
      return { question: await deps.questions.moderate(socket.data.user, event, payload) };
    });
  });
}
