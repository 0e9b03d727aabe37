import { Router } from 'express';
import { ErrorCode } from '#shared/protocol/errors';

/**
 * Liveness and readiness, told apart:
 * - `GET /healthz` (liveness) answers 200 `{"ok":true}` whenever the process runs and serves HTTP. Restarting a
 *   process that answers it would not help, so a supervisor restarts only one that stops answering.
 * - `GET /readyz` (readiness) answers 200 `{"ok":true}` when this process can serve requests that need the store, and
 *   503 `{"ok":false,"error":{"code":"UNAVAILABLE",…}}` while its store does not answer (Redis down or hung) or it is
 *   stopping, so that a load balancer or an orchestrator sends traffic to other processes meanwhile.
 * Both come before helmet and the API: they are cheap, and never cached.
 */
export function healthRoutes(ready: () => Promise<void>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await ready();
      res.json({ ok: true });
    } catch {
      // Whatever the reason, the answer is the same: not now. The store's own log says why.
      res.status(503).json({ ok: false, error: { code: ErrorCode.UNAVAILABLE, message: 'Not ready: try another process' } });
    }
  });
  return router;
}
