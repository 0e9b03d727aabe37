import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ErrorCode, httpStatusOf } from '#shared/protocol/errors';
import { DomainError, toErrorBody } from '../core/errors';

export const notFoundApi: RequestHandler = (req) => {
  throw new DomainError(ErrorCode.NOT_FOUND, `No route ${req.method} ${req.path}`);
};

/**
 * Express's body parser and static files refuse a client's request with an http-errors error (a 4xx `status`, often
 * a `type`); the protocol has codes for these. They are the client's mistake: answered as such, never logged as a bug.
 */
function clientRequestError(err: unknown): DomainError | undefined {
  const { type, status, code } = (err ?? {}) as { type?: unknown; status?: unknown; code?: unknown };
  if (type === 'entity.too.large') return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body too large');
  if (type === 'entity.parse.failed') return new DomainError(ErrorCode.INVALID_PAYLOAD, 'Request body is not valid JSON');
  if (type === 'charset.unsupported') return new DomainError(ErrorCode.INVALID_PAYLOAD, 'Unsupported charset: send the body as UTF-8');
  if (type === 'encoding.unsupported') {
    return new DomainError(ErrorCode.INVALID_PAYLOAD, 'Unsupported Content-Encoding: send the body as identity, gzip, deflate or br');
  }
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (status === 404) return new DomainError(ErrorCode.NOT_FOUND, 'Not found');
  // zlib's errors (Z_DATA_ERROR...) when a gzip, deflate or br body is not what its header says.
  if (typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR_BROTLI'))) {
    return new DomainError(ErrorCode.INVALID_PAYLOAD, 'The request body could not be decoded as its Content-Encoding says');
  }
  return new DomainError(ErrorCode.INVALID_PAYLOAD, 'Bad request');
}

/** Answers `{"error": body}` with the status of its code; the body is built as for acks (`toErrorBody`). */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const body = toErrorBody(clientRequestError(err) ?? err, log, { method: req.method, path: req.path });
    if (body.retryAfterMs !== undefined) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(body.retryAfterMs / 1000))));
    }
    res.status(httpStatusOf[body.code]).json({ error: body });
  };
}
