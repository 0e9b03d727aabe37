import { Router } from 'express';
import { GuestRequest, type AuthResponse } from '#shared/domain/user';
import type { TokenService } from './token.service';

export function accessRoutes(tokens: TokenService): Router {
  const router = Router();

  router.post('/auth/guest', (req, res) => {
    const { displayName } = GuestRequest.parse(req.body ?? {});
    const body: AuthResponse = tokens.issueGuest(displayName);
    res.json(body);
  });

  return router;
}
