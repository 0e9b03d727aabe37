import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { QuestionOrigin, QuestionState } from '#shared/domain/question';
import { ms } from '../instants';
import type {
  MergeResult,
  NewQuestion,
  QuestionPatch,
  QuestionRecord,
  QuestionStore,
  StateChange,
  StateResult,
  VoteResult,
} from '../question-store';
import type { SqliteEventData } from './sqlite-connection';

/** Tables `questions` and `question_votes` (migration 3; `origin` from the question-origin migration). */
interface QuestionRow {
  event_id: string;
  id: string;
  text: string;
  anonymous: 0 | 1;
  author_id: string;
  author_name: string;
  client_id: string;
  state: QuestionState;
  votes: number;
  starred: 0 | 1;
  position: number | null;
  created_at: string;
  created_ms: number;
  live_at: string | null;
  answered_at: string | null;
  rejected_reason: string | null;
  merged_into: string | null;
  origin: QuestionOrigin;
}

function questionFromRow(r: QuestionRow): QuestionRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    text: r.text,
    anonymous: r.anonymous === 1,
    author: { id: r.author_id, displayName: r.author_name },
    clientId: r.client_id,
    state: r.state,
    votes: r.votes,
    starred: r.starred === 1,
    position: r.position,
    createdAt: r.created_at,
    liveAt: r.live_at,
    answeredAt: r.answered_at,
    rejectedReason: r.rejected_reason,
    mergedInto: r.merged_into,
    origin: r.origin,
  };
}

type Allowed = { from: readonly QuestionState[]; into: readonly QuestionState[] };

function prepareStatements(db: Database.Database) {
  return {
    question: db.prepare<[string, string], QuestionRow>('SELECT * FROM questions WHERE event_id = ? AND id = ?'),
    byClientId: db.prepare<[string, string, string], QuestionRow>(
      'SELECT * FROM questions WHERE event_id = ? AND author_id = ? AND client_id = ?',
    ),
    questions: db.prepare<[string], QuestionRow>('SELECT * FROM questions WHERE event_id = ? ORDER BY created_ms, id'),
    insert: db.prepare(
      `INSERT INTO questions (event_id, id, text, anonymous, author_id, author_name, client_id, state, votes, starred,
                             position, created_at, created_ms, live_at, answered_at, rejected_reason, merged_into,
                             origin)
       VALUES (@event_id, @id, @text, @anonymous, @author_id, @author_name, @client_id, @state, 0, 0,
               NULL, @created_at, @created_ms, NULL, NULL, NULL, NULL, @origin)`,
    ),
    liveQuestion: db.prepare<[string], QuestionRow>("SELECT * FROM questions WHERE event_id = ? AND state = 'live'"),
    setState: db.prepare(
      `UPDATE questions SET state = @state, live_at = @live_at, answered_at = @answered_at,
         rejected_reason = @rejected_reason, merged_into = @merged_into WHERE event_id = @event_id AND id = @id`,
    ),
    addVote: db.prepare<[string, string, string]>(
      'INSERT INTO question_votes (event_id, question_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    removeVote: db.prepare<[string, string, string]>(
      'DELETE FROM question_votes WHERE event_id = ? AND question_id = ? AND user_id = ?',
    ),
    // Copies from's voters to into, each person at most once.
    copyVotes: db.prepare<[string, string, string]>(
      `INSERT INTO question_votes (event_id, question_id, user_id)
       SELECT event_id, ?, user_id FROM question_votes WHERE event_id = ? AND question_id = ? ON CONFLICT DO NOTHING`,
    ),
    recount: db.prepare<[string, string]>(
      `UPDATE questions SET votes = (SELECT COUNT(*) FROM question_votes v WHERE v.event_id = questions.event_id
         AND v.question_id = questions.id) WHERE event_id = ? AND id = ?`,
    ),
    votesBy: db.prepare<[string, string], { question_id: string }>(
      'SELECT question_id FROM question_votes WHERE event_id = ? AND user_id = ? ORDER BY question_id',
    ),
    update: db.prepare<[string, number, number | null, string, string]>(
      'UPDATE questions SET text = ?, starred = ?, position = ? WHERE event_id = ? AND id = ?',
    ),
    deleteEventQuestions: db.prepare<[string]>('DELETE FROM questions WHERE event_id = ?'),
    deleteEventVotes: db.prepare<[string]>('DELETE FROM question_votes WHERE event_id = ?'),
  };
}

/** The Q&A in SQLite. Each rule is one transaction: the check and the write cannot interleave with another writer. */
export class SqliteQuestionStore implements QuestionStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly askTx: Database.Transaction<(q: NewQuestion) => { question: QuestionRecord; created: boolean }>;
  private readonly voteTx: Database.Transaction<(eventId: string, questionId: string, userId: string, up: boolean) => VoteResult>;
  private readonly stateTx: Database.Transaction<(eventId: string, questionId: string, change: StateChange) => StateResult>;
  private readonly mergeTx: Database.Transaction<(eventId: string, fromId: string, intoId: string, allowed: Allowed) => MergeResult>;
  private readonly updateTx: Database.Transaction<(eventId: string, questionId: string, patch: QuestionPatch) => QuestionRecord | undefined>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);

    this.askTx = db.transaction((q: NewQuestion) => {
      const existing = this.q.byClientId.get(q.eventId, q.author.id, q.clientId);
      if (existing) return { question: questionFromRow(existing), created: false };
      const id = randomUUID();
      this.q.insert.run({
        event_id: q.eventId,
        id,
        text: q.text,
        anonymous: q.anonymous ? 1 : 0,
        author_id: q.author.id,
        author_name: q.author.displayName,
        client_id: q.clientId,
        state: q.state,
        created_at: q.createdAt,
        created_ms: ms(q.createdAt),
        origin: q.origin ?? 'online',
      });
      return { question: questionFromRow(this.q.question.get(q.eventId, id)!), created: true };
    });

    this.voteTx = db.transaction((eventId: string, questionId: string, userId: string, up: boolean): VoteResult => {
      const row = this.q.question.get(eventId, questionId);
      if (!row) return { outcome: 'not-found' };
      if (row.state !== 'approved' && row.state !== 'live') return { outcome: 'closed', question: questionFromRow(row) };
      const changed = (up ? this.q.addVote : this.q.removeVote).run(eventId, questionId, userId).changes > 0;
      if (changed) this.q.recount.run(eventId, questionId);
      return { outcome: 'counted', question: questionFromRow(this.q.question.get(eventId, questionId)!), changed };
    });

    this.stateTx = db.transaction((eventId: string, questionId: string, change: StateChange): StateResult => {
      const row = this.q.question.get(eventId, questionId);
      if (!row) return { outcome: 'not-found' };
      if (!change.from.includes(row.state)) return { outcome: 'refused', question: questionFromRow(row) };
      let answered: QuestionRecord | undefined;
      if (change.to === 'live') {
        const previous = this.q.liveQuestion.get(eventId);
        if (previous && previous.id !== questionId) {
          this.q.setState.run({ ...previous, state: 'answered', answered_at: change.at });
          answered = questionFromRow(this.q.question.get(eventId, previous.id)!);
        }
      }
      this.q.setState.run({
        ...row,
        state: change.to,
        live_at: change.to === 'live' ? change.at : row.live_at,
        answered_at: change.to === 'answered' ? change.at : row.answered_at,
        rejected_reason: change.to === 'rejected' ? (change.reason ?? null) : row.rejected_reason,
      });
      const question = questionFromRow(this.q.question.get(eventId, questionId)!);
      return answered
        ? { outcome: 'changed', question, previous: row.state, answered }
        : { outcome: 'changed', question, previous: row.state };
    });

    this.mergeTx = db.transaction((eventId: string, fromId: string, intoId: string, allowed: Allowed): MergeResult => {
      const from = this.q.question.get(eventId, fromId);
      const into = this.q.question.get(eventId, intoId);
      if (!from || !into) return { outcome: 'not-found' };
      if (fromId === intoId || !allowed.from.includes(from.state) || !allowed.into.includes(into.state)) {
        return { outcome: 'refused', from: questionFromRow(from), into: questionFromRow(into) };
      }
      this.q.copyVotes.run(intoId, eventId, fromId);
      this.q.recount.run(eventId, intoId);
      this.q.setState.run({ ...from, state: 'merged', merged_into: intoId });
      return {
        outcome: 'merged',
        previous: from.state,
        from: questionFromRow(this.q.question.get(eventId, fromId)!),
        into: questionFromRow(this.q.question.get(eventId, intoId)!),
      };
    });

    this.updateTx = db.transaction((eventId: string, questionId: string, patch: QuestionPatch) => {
      const row = this.q.question.get(eventId, questionId);
      if (!row) return undefined;
      this.q.update.run(
        patch.text ?? row.text,
        patch.starred === undefined ? row.starred : patch.starred ? 1 : 0,
        patch.position === undefined ? row.position : patch.position,
        eventId,
        questionId,
      );
      return questionFromRow(this.q.question.get(eventId, questionId)!);
    });
  }

  async ask(question: NewQuestion): Promise<{ question: QuestionRecord; created: boolean }> {
    return this.askTx.immediate(question);
  }

  async get(eventId: string, questionId: string): Promise<QuestionRecord | undefined> {
    const row = this.q.question.get(eventId, questionId);
    return row && questionFromRow(row);
  }

  async list(eventId: string): Promise<QuestionRecord[]> {
    return this.q.questions.all(eventId).map(questionFromRow);
  }

  async vote(eventId: string, questionId: string, userId: string, up: boolean): Promise<VoteResult> {
    return this.voteTx.immediate(eventId, questionId, userId, up);
  }

  async votesBy(eventId: string, userId: string): Promise<string[]> {
    return this.q.votesBy.all(eventId, userId).map((r) => r.question_id);
  }

  async setState(eventId: string, questionId: string, change: StateChange): Promise<StateResult> {
    return this.stateTx.immediate(eventId, questionId, change);
  }

  async merge(eventId: string, fromId: string, intoId: string, allowed: Allowed): Promise<MergeResult> {
    return this.mergeTx.immediate(eventId, fromId, intoId, allowed);
  }

  async update(eventId: string, questionId: string, patch: QuestionPatch): Promise<QuestionRecord | undefined> {
    return this.updateTx.immediate(eventId, questionId, patch);
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteEventVotes.run(eventId);
    this.q.deleteEventQuestions.run(eventId);
  }

  resetRows(): void {
    this.db.exec('DELETE FROM question_votes; DELETE FROM questions;');
  }
}
