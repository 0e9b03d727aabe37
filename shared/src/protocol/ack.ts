import type { ErrorBody } from './errors';

/** Every client → server event is acknowledged with one of these; errors are never thrown. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (response: Ack<T>) => void;
