import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError, FieldError, toErrorBody } from './errors';

const log = pino({ level: 'silent' });

describe('toErrorBody', () => {
  it('keeps the reason and the wait of a moderator’s refusal', () => {
    const timedOut = new DomainError(ErrorCode.FORBIDDEN, 'You are timed out', 42_000, 'timed-out');
    expect(toErrorBody(timedOut, log, {})).toEqual({
      code: 'FORBIDDEN',
      message: 'You are timed out',
      retryAfterMs: 42_000,
      reason: 'timed-out',
    });
  });

  it('keeps the message of each field of a refused form', () => {
    const taken = new FieldError({ id: 'is taken' }, ErrorCode.CONFLICT);
    expect(toErrorBody(taken, log, {})).toEqual({ code: 'CONFLICT', message: 'id: is taken', fields: { id: 'is taken' } });
  });

  it('answers a payload its schema refused with INVALID_PAYLOAD and the field at fault', () => {
    const parsed = z.object({ title: z.string().min(1, 'must not be empty') }).safeParse({ title: '' });
    expect(parsed.success).toBe(false);
    expect(toErrorBody(parsed.error, log, {})).toEqual({
      code: 'INVALID_PAYLOAD',
      message: 'title: must not be empty',
      fields: { title: 'must not be empty' },
    });
  });

  it('answers a bug with INTERNAL and keeps its details out of the answer', () => {
    const logged: unknown[] = [];
    const spy = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const body = toErrorBody(new TypeError('secret internals'), spy, { event: 'chat:send' });
    expect(body).toEqual({ code: 'INTERNAL', message: 'Internal error' });
    expect(logged).toMatchObject([{ event: 'chat:send', err: { message: 'secret internals' } }]);
  });
});
