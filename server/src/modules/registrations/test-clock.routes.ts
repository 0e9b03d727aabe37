import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '#shared/protocol/errors';
import type { ShiftedClock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import { metricsAllowed } from '../../ops/metrics-endpoint';

const ClockRequest = z.object({ offsetMs: z.number().int().min(-366 * 86_400_000).max(366 * 86_400_000) });

/**
 * Requests made straight from this machine: a loopback peer and no forwarding header, the rule of an unprotected
 * `/metrics` (a reverse proxy on the same machine connects from loopback too, and must not open this to the world).
 */
const fromThisMachine = metricsAllowed(undefined);

/**
 * TEST HOOK, mounted only under PARVIS_TEST_CLOCK=1 (which the config refuses with NODE_ENV=production):
 * `POST /api/test/clock {offsetMs}` sets how far the sign-up module's clock runs ahead of the real one, so that an
 * end-to-end test sees a join link appear 15 minutes before a start, or an offer run out, without waiting. Answers
 * only requests made straight from this machine. See CONTRIBUTING.md.
 */
export function testClockRoutes(clock: ShiftedClock): Router {
  const router = Router();
  router.post('/test/clock', (req, res) => {
    if (!fromThisMachine(req)) throw new DomainError(ErrorCode.FORBIDDEN, 'The test clock answers requests from this machine only');
    const { offsetMs } = ClockRequest.parse(req.body ?? {});
    clock.offsetMs = offsetMs;
    res.json({ offsetMs, now: clock.now().toISOString() });
  });
  return router;
}
