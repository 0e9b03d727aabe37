import type { Logger } from 'pino';
import { QuestionAskPayload, QuestionModeratePayload, QuestionVotePayload } from '#shared/protocol/payloads';
import type { ParvisServer, ParvisSocket } from '../../realtime/types';
import { handle } from '../../realtime/handler';
import type { ProgrammeService } from '../programme/programme.service';
import type { QuestionsService } from './questions.service';

export interface QuestionHandlerDeps {
  questions: QuestionsService;
  programme: ProgrammeService;
  log: Logger;
}

/** `question:ask`, `question:vote`, `question:moderate`. The service broadcasts `questions:updated` after each change. */
export function registerQuestionHandlers(_io: ParvisServer, socket: ParvisSocket, deps: QuestionHandlerDeps): void {
  handle(socket, deps.log, 'question:ask', QuestionAskPayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    return { question: await deps.questions.ask(socket.data.user, event, payload) };
  });

  handle(socket, deps.log, 'question:vote', QuestionVotePayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    return { question: await deps.questions.vote(socket.data.user, event, payload) };
  });

  handle(socket, deps.log, 'question:moderate', QuestionModeratePayload, async (payload) => {
    const event = await deps.programme.getEvent(payload.eventId);
    return { question: await deps.questions.moderate(socket.data.user, event, payload) };
  });
}
