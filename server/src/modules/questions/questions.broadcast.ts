import type { QuestionsUpdate } from '#shared/protocol/events';
import { eventRoom, eventStaffRoom, userRoom } from '../../realtime/rooms';
import type { ParvisServer } from '../../realtime/types';
import { askerView, audienceView, staffView, type QuestionChange, type QuestionListener } from './questions.service';

/** One `questions:updated` to send: to these rooms, except the sockets also in those. */
export interface QuestionDelivery {
  to: string;
  except: string[];
  update: QuestionsUpdate;
}

/**
 * Who gets what when questions change. Each socket gets one copy of a question, the one its person may see:
 * - the event's staff room (moderators, admins): every question whole;
 * - the asker's sockets (`user:<id>`), unless staff: their own question in every state, rejection reason included;
 * - the rest of the event's room: public questions only (approved, live, answered), an anonymous asker's name
 *   left out; a question that was public and is no longer (approved, then rejected) comes as `removed`.
 * Pending and rejected questions never go to the event's room.
 */
export function planQuestionDeliveries(eventId: string, changes: QuestionChange[]): QuestionDelivery[] {
  const staff = eventStaffRoom(eventId);
  const out: QuestionDelivery[] = [{ to: staff, except: [], update: { eventId, questions: changes.map((c) => staffView(c.question)) } }];
  for (const { question, wasPublic } of changes) {
    const asker = userRoom(question.author.id);
    out.push({ to: asker, except: [staff], update: { eventId, questions: [askerView(question)] } });
    const audience = audienceView(question);
    if (audience) {
      out.push({ to: eventRoom(eventId), except: [staff, asker], update: { eventId, questions: [audience] } });
    } else if (wasPublic) {
      out.push({ to: eventRoom(eventId), except: [staff, asker], update: { eventId, questions: [], removed: [question.id] } });
    }
  }
  return out;
}

/** The listener the composition root gives the questions service: sends the planned deliveries through Socket.IO. */
export function socketQuestionsListener(io: ParvisServer): QuestionListener {
  return (eventId, changes) => {
    for (const { to, except, update } of planQuestionDeliveries(eventId, changes)) {
      io.to(to).except(except).emit('questions:updated', update);
    }
  };
}
