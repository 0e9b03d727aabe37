import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '#shared/protocol/errors';
import type { ShiftedClock } from '../../core/clock';
import { DomainError } from '../../core/errors';

const ClockRequest = z.object({ offsetMs: z.number().int().min(-366 * 86_400_000).max(366 * 86_400_000) });

/** The socket's own peer, never `X-Forwarded-For`: a proxy in front must not open this to the world. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * TEST HOOK, mounted only under PARVIS_TEST_CLOCK=1 (which the config refuses with NODE_ENV=production):
 * `POST /api/test/clock {offsetMs}` sets how far the sign-up module's clock runs ahead of the real one, so that an
 * end-to-end test sees a join link appear 15 minutes before a start, or an offer run out, without waiting. Answers
 * only requests from this machine's loopback. See CONTRIBUTING.md.
 */
export function testClockRoutes(clock: ShiftedClock): Router {
  const router = Router();
  router.post('/test/clock', (req, res) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new DomainError(ErrorCode.FORBIDDEN, 'The test clock answers loopback only');
    const { offsetMs } = ClockRequest.parse(req.body ?? {});
    clock.offsetMs = offsetMs;
    res.json({ offsetMs, now: clock.now().toISOString() });
  });
  return router;
}
