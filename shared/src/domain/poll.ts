import { z } from 'zod';

/** draft (prepared by the moderators, unseen by the audience) → open (takes votes) → closed. */
export const PollState = z.enum(['draft', 'open', 'closed']);
export type PollState = z.infer<typeof PollState>;

/** `live`: everyone sees the results as votes come in; `after-close`: the audience sees them once the poll closes. */
export const PollResultsVisibility = z.enum(['live', 'after-close']);
export type PollResultsVisibility = z.infer<typeof PollResultsVisibility>;

export const PollOption = z.object({ id: z.string(), text: z.string() });
export type PollOption = z.infer<typeof PollOption>;

export const Poll = z.object({
  id: z.string(),
  eventId: z.string(),
  question: z.string(),
  options: z.array(PollOption),
  /** Several options may be chosen in one vote. */
  multiple: z.boolean(),
  results: PollResultsVisibility,
  state: PollState,
  createdAt: z.iso.datetime(),
  openedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  /**
   * Votes per option, in the order of `options`, and the number of people who voted; null for this receiver while
   * the results are hidden (an `after-close` poll still open, to anyone but the moderators).
   */
  counts: z.array(z.number().int().min(0)).nullable(),
  voters: z.number().int().min(0).nullable(),
  /**
   * The options the receiver chose (empty when they have not voted). Present in acks and the join ack; omitted in
   * broadcasts: keep the value you last had.
   */
  myChoice: z.array(z.string()).optional(),
});
export type Poll = z.infer<typeof Poll>;
