import type { Poll, PollOption } from '#shared/domain/poll';

export interface PollResultRow {
  option: PollOption;
  count: number;
  /** Share of the people who voted, rounded (several options of a multiple-choice poll may add up to over 100). */
  percent: number;
  /** The person chose this option. */
  chosen: boolean;
  /** Has the most votes (ties included), once anyone voted. */
  leading: boolean;
}

export interface PollResults {
  rows: PollResultRow[];
  voters: number;
}

/** The polls the audience sees: open first (oldest first, the order they were opened in), then closed, newest first. */
export function audiencePolls(polls: readonly Poll[]): { open: Poll[]; closed: Poll[] } {
  const open = polls.filter((p) => p.state === 'open');
  const closed = polls
    .filter((p) => p.state === 'closed')
    .sort((a, b) => (b.closedAt ?? b.createdAt).localeCompare(a.closedAt ?? a.createdAt));
  return { open, closed };
}

/** Whether the person voted in this poll (as far as the room knows). */
export const hasVoted = (poll: Poll): boolean => (poll.myChoice?.length ?? 0) > 0;

/** The results of a poll as the person may see them, or null while they are hidden. */
export function pollResults(poll: Poll): PollResults | null {
  const { counts } = poll;
  if (counts === null) return null;
  const voters = poll.voters ?? 0;
  const max = Math.max(0, ...counts);
  const chosen = new Set(poll.myChoice ?? []);
  const rows = poll.options.map((option, i) => {
    const count = counts[i] ?? 0;
    return {
      option,
      count,
      percent: voters > 0 ? Math.round((count / voters) * 100) : 0,
      chosen: chosen.has(option.id),
      leading: max > 0 && count === max,
    };
  });
  return { rows, voters };
}
