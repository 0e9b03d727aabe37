/** The reactions the audience can send; the server aggregates them into bursts. Without zod: the client uses it. */
export const REACTIONS = ['👏', '❤️', '😂', '😮', '🤔', '👍'] as const;
