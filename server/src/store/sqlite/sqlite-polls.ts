import type Database from 'better-sqlite3';
import type { PollOption, PollResultsVisibility, PollState } from '#shared/domain/poll';
import {
  newPollRecord,
  type NewPoll,
  type PollDeleteResult,
  type PollRecord,
  type PollStateChange,
  type PollStateResult,
  type PollStore,
  type PollVoteResult,
} from '../poll-store';
import type { SqliteEventData } from './sqlite-connection';

/**
 * Migration 5: polls and their ballots. A poll keeps its counts (a JSON array in the order of its options) and its
 * number of voters next to it, updated in the transaction that stores a ballot, so reading a poll never counts.
 * `created_ms` orders polls as instants, whatever the precision of the ISO text.
 */
export const POLLS_MIGRATION = `
  CREATE TABLE polls (
    event_id   TEXT NOT NULL,
    id         TEXT NOT NULL,
    question   TEXT NOT NULL,
    options    TEXT NOT NULL,
    multiple   INTEGER NOT NULL CHECK (multiple IN (0, 1)),
    results    TEXT NOT NULL CHECK (results IN ('live', 'after-close')),
    state      TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    created_at TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    opened_at  TEXT,
    closed_at  TEXT,
    counts     TEXT NOT NULL,
    voters     INTEGER NOT NULL,
    PRIMARY KEY (event_id, id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE poll_ballots (
    event_id TEXT NOT NULL,
    poll_id  TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    choice   TEXT NOT NULL,
    PRIMARY KEY (event_id, poll_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX poll_ballots_by_user ON poll_ballots(event_id, user_id);
`;

interface PollRow {
  event_id: string;
  id: string;
  question: string;
  options: string;
  multiple: number;
  results: string;
  state: string;
  created_at: string;
  created_ms: number;
  opened_at: string | null;
  closed_at: string | null;
  counts: string;
  voters: number;
}

function fromRow(row: PollRow): PollRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    question: row.question,
    options: JSON.parse(row.options) as PollOption[],
    multiple: row.multiple === 1,
    results: row.results as PollResultsVisibility,
    state: row.state as PollState,
    createdAt: row.created_at,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    counts: JSON.parse(row.counts) as number[],
    voters: row.voters,
  };
}

/**
 * The option indexes of a ballot, or undefined when it is not a valid choice for this poll: unknown or repeated
 * options, or several in a single-choice poll.
 */
function ballotIndexes(poll: Pick<PollRecord, 'options' | 'multiple'>, optionIds: readonly string[]): number[] | undefined {
  if (optionIds.length === 0 || (!poll.multiple && optionIds.length !== 1)) return undefined;
  if (new Set(optionIds).size !== optionIds.length) return undefined;
  const indexes = optionIds.map((id) => poll.options.findIndex((o) => o.id === id));
  return indexes.includes(-1) ? undefined : indexes;
}

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare(
      `INSERT INTO polls (event_id, id, question, options, multiple, results, state, created_at, created_ms,
                          opened_at, closed_at, counts, voters)
       VALUES (@event_id, @id, @question, @options, @multiple, @results, @state, @created_at, @created_ms,
               @opened_at, @closed_at, @counts, @voters)`,
    ),
    get: db.prepare<[string, string], PollRow>('SELECT * FROM polls WHERE event_id = ? AND id = ?'),
    list: db.prepare<[string], PollRow>('SELECT * FROM polls WHERE event_id = ? ORDER BY created_ms, id'),
    setState: db.prepare<[string, string | null, string | null, string, string]>(
      'UPDATE polls SET state = ?, opened_at = ?, closed_at = ? WHERE event_id = ? AND id = ?',
    ),
    delete: db.prepare<[string, string]>('DELETE FROM polls WHERE event_id = ? AND id = ?'),
    ballot: db.prepare<[string, string, string], { choice: string }>(
      'SELECT choice FROM poll_ballots WHERE event_id = ? AND poll_id = ? AND user_id = ?',
    ),
    insertBallot: db.prepare<[string, string, string, string]>(
      'INSERT INTO poll_ballots (event_id, poll_id, user_id, choice) VALUES (?, ?, ?, ?)',
    ),
    setCounts: db.prepare<[string, number, string, string]>('UPDATE polls SET counts = ?, voters = ? WHERE event_id = ? AND id = ?'),
    choicesOf: db.prepare<[string, string], { poll_id: string; choice: string }>(
      'SELECT poll_id, choice FROM poll_ballots WHERE event_id = ? AND user_id = ?',
    ),
    deleteEventBallots: db.prepare<[string]>('DELETE FROM poll_ballots WHERE event_id = ?'),
    deleteEventPolls: db.prepare<[string]>('DELETE FROM polls WHERE event_id = ?'),
  };
}

export class SqlitePollStore implements PollStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly stateTx: Database.Transaction<(eventId: string, pollId: string, change: PollStateChange) => PollStateResult>;
  private readonly deleteTx: Database.Transaction<(eventId: string, pollId: string) => PollDeleteResult>;
  private readonly voteTx: Database.Transaction<(eventId: string, pollId: string, userId: string, optionIds: readonly string[]) => PollVoteResult>;

  constructor(private readonly db: Database.Database) {
    this.q = prepareStatements(db);

    // Each rule is one transaction: the check and the write cannot interleave with another writer.
    this.stateTx = db.transaction((eventId: string, pollId: string, change: PollStateChange): PollStateResult => {
      const row = this.q.get.get(eventId, pollId);
      if (!row) return { outcome: 'not-found' };
      const poll = fromRow(row);
      if (poll.state !== change.from) return { outcome: 'refused', poll };
      const next: PollRecord = {
        ...poll,
        state: change.to,
        ...(change.to === 'open' ? { openedAt: change.at } : { closedAt: change.at }),
      };
      this.q.setState.run(next.state, next.openedAt, next.closedAt, eventId, pollId);
      return { outcome: 'changed', poll: next };
    });

    this.deleteTx = db.transaction((eventId: string, pollId: string): PollDeleteResult => {
      const row = this.q.get.get(eventId, pollId);
      if (!row) return { outcome: 'not-found' };
      const poll = fromRow(row);
      if (poll.state !== 'draft') return { outcome: 'refused', poll };
      this.q.delete.run(eventId, pollId);
      return { outcome: 'deleted', poll };
    });

    this.voteTx = db.transaction((eventId: string, pollId: string, userId: string, optionIds: readonly string[]): PollVoteResult => {
      const row = this.q.get.get(eventId, pollId);
      if (!row) return { outcome: 'not-found' };
      const poll = fromRow(row);
      if (poll.state !== 'open') return { outcome: 'not-open', poll };
      const indexes = ballotIndexes(poll, optionIds);
      if (!indexes) return { outcome: 'invalid', poll };
      const prior = this.q.ballot.get(eventId, pollId, userId);
      if (prior) return { outcome: 'already-voted', poll, choice: JSON.parse(prior.choice) as string[] };
      const choice = [...optionIds];
      this.q.insertBallot.run(eventId, pollId, userId, JSON.stringify(choice));
      const counts = poll.counts.map((n, i) => (indexes.includes(i) ? n + 1 : n));
      const voters = poll.voters + 1;
      this.q.setCounts.run(JSON.stringify(counts), voters, eventId, pollId);
      return { outcome: 'counted', poll: { ...poll, counts, voters }, choice };
    });
  }

  async createPoll(poll: NewPoll): Promise<PollRecord> {
    const record = newPollRecord(poll);
    this.q.insert.run({
      event_id: record.eventId,
      id: record.id,
      question: record.question,
      options: JSON.stringify(record.options),
      multiple: record.multiple ? 1 : 0,
      results: record.results,
      state: record.state,
      created_at: record.createdAt,
      created_ms: Date.parse(record.createdAt),
      opened_at: null,
      closed_at: null,
      counts: JSON.stringify(record.counts),
      voters: 0,
    });
    return record;
  }

  async getPoll(eventId: string, pollId: string): Promise<PollRecord | undefined> {
    const row = this.q.get.get(eventId, pollId);
    return row ? fromRow(row) : undefined;
  }

  async listPolls(eventId: string): Promise<PollRecord[]> {
    return this.q.list.all(eventId).map(fromRow);
  }

  async setPollState(eventId: string, pollId: string, change: PollStateChange): Promise<PollStateResult> {
    return this.stateTx.immediate(eventId, pollId, change);
  }

  async deleteDraft(eventId: string, pollId: string): Promise<PollDeleteResult> {
    return this.deleteTx.immediate(eventId, pollId);
  }

  async votePoll(eventId: string, pollId: string, userId: string, optionIds: readonly string[]): Promise<PollVoteResult> {
    return this.voteTx.immediate(eventId, pollId, userId, optionIds);
  }

  async choicesOf(eventId: string, userId: string): Promise<Map<string, string[]>> {
    return new Map(this.q.choicesOf.all(eventId, userId).map((r) => [r.poll_id, JSON.parse(r.choice) as string[]]));
  }

  async deleteEventData(eventId: string): Promise<void> {
    this.db.transaction(() => this.deleteEventRows(eventId))();
  }

  async clearAll(): Promise<void> {
    this.resetRows();
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteEventBallots.run(eventId);
    this.q.deleteEventPolls.run(eventId);
  }

  resetRows(): void {
    this.db.exec('DELETE FROM poll_ballots; DELETE FROM polls;');
  }
}
