import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ErrorCode, httpStatusOf, type ErrorBody } from '#shared/protocol/errors';
import { DomainError, FieldError } from '../modules/errors';

/** Thrown by routers; the error middleware turns it into `{"error":{code,message}}` with the matching status. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Turns a zod error into one readable line: "displayName: must not be empty". */
export function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** The first message for each field of a zod error, keyed by its path (`title`, `speakers.0.name`). */
export function zodFields(err: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.join('.');
    if (key && !(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

export const notFoundApi: RequestHandler = (req) => {
  throw new HttpError(ErrorCode.NOT_FOUND, `No route ${req.method} ${req.path}`);
};

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    let body: ErrorBody;
    if (err instanceof HttpError || err instanceof DomainError) {
      body = { code: err.code, message: err.message };
      if (err.retryAfterMs !== undefined) {
        body.retryAfterMs = err.retryAfterMs;
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
      }
      if (err instanceof FieldError) body.fields = err.fields;
    } else if (err instanceof ZodError) {
      body = { code: ErrorCode.INVALID_PAYLOAD, message: describeZodError(err) };
      const fields = zodFields(err);
      if (Object.keys(fields).length > 0) body.fields = fields;
    } else if (err?.type === 'entity.too.large') {
      body = { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body too large' };
    } else if (err?.type === 'entity.parse.failed' || err?.type === 'charset.unsupported') {
      body = { code: ErrorCode.INVALID_PAYLOAD, message: 'Request body is not valid JSON' };
    } else {
      log.error({ err }, 'unhandled error in HTTP handler');
      body = { code: ErrorCode.INTERNAL, message: 'Internal error' };
    }
    res.status(httpStatusOf[body.code]).json({ error: body });
  };
}
