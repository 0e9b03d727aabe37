import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ErrorCode, httpStatusOf } from '#shared/protocol/errors';
import { DomainError, toErrorBody } from '../core/errors';

export const notFoundApi: RequestHandler = (req) => {
  throw new DomainError(ErrorCode.NOT_FOUND, `No route ${req.method} ${req.path}`);
};

/** Express's body parser reports a refused body with a `type`; the protocol has codes for these. */
function bodyParserError(err: unknown): DomainError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body too large');
  if (type === 'entity.parse.failed' || type === 'charset.unsupported') {
    return new DomainError(ErrorCode.INVALID_PAYLOAD, 'Request body is not valid JSON');
  }
  return undefined;
}

/** Answers `{"error": body}` with the status of its code; the body is built as for acks (`toErrorBody`). */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const body = toErrorBody(bodyParserError(err) ?? err, log, { method: req.method, path: req.path });
    if (body.retryAfterMs !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(body.retryAfterMs / 1000))));
    }
    res.status(httpStatusOf[body.code]).json({ error: body });
  };
}
