import { Router, type Request } from 'express';
import { z } from 'zod';
import { OutboxQuery, type OutboxEntry, type OutboxPage } from '#shared/protocol/outbox';
import { ErrorCode } from '#shared/protocol/errors';
import type { Clock } from '../../core/clock';
import { DomainError } from '../../core/errors';
import type { OutboxRecord } from '../../store/outbox-store';
import type { Store } from '../../store/store';
import type { HttpAuth } from '../access/http-auth';
import type { AccessPolicy } from '../access/policy';
import type { EmailRenderer } from './email-renderer';
import { buildMime, EmlDirectoryTransport, type MailTransport } from './mail-transport';

const EmlParam = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,100}\.eml$/, 'must be <id>.eml') });

export interface OutboxRoutesDeps {
  store: Store;
  renderer: EmailRenderer;
  transport: MailTransport;
  http: HttpAuth;
  policy: AccessPolicy;
  clock: Clock;
}

const entryOf = (r: OutboxRecord): OutboxEntry => ({
  id: r.id,
  kind: r.kind,
  to: r.to,
  language: r.language,
  eventId: r.eventId,
  registrationId: r.registrationId,
  state: r.state,
  attempts: r.attempts,
  lastError: r.lastError,
  dueAt: r.dueAt,
  createdAt: r.createdAt,
  sentAt: r.sentAt,
});

/**
 * The outbox for admins: the recent emails (`GET /api/admin/outbox`) and each one as a message
 * (`GET /api/admin/outbox/<id>.eml`), so a library without an SMTP server reads what Parvis would have sent.
 */
export function outboxRoutes(deps: OutboxRoutesDeps): Router {
  const { store, renderer, transport, http, clock } = deps;
  const policy: AccessPolicy = deps.policy;
  const router = Router();

  const admin = async (req: Request) => {
    const { user } = await http.required(req);
    policy.assertAdmin(user);
  };

  router.get('/admin/outbox', async (req, res) => {
    await admin(req);
    const query = OutboxQuery.parse(req.query);
    const rows = await store.outbox.list({ limit: query.limit, ...(query.before && { before: query.before }) });
    const page: OutboxPage = { emails: rows.map(entryOf), transport: transport.kind };
    res.setHeader('Cache-Control', 'no-store');
    res.json(page);
  });

  router.get('/admin/outbox/:file', async (req, res) => {
    await admin(req);
    const { file } = EmlParam.parse(req.params);
    const id = file.slice(0, -'.eml'.length);
    const row = await store.outbox.get(id);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, `No email with id "${id}"`);
    // The file written when it was sent, as it left; otherwise (SMTP, not sent yet, another machine's directory) the
    // email as it would be rendered now.
    let mime = transport instanceof EmlDirectoryTransport ? await transport.read(id) : undefined;
    if (!mime) {
      const rendered = await renderer.render(row, clock.now());
      if (rendered.outcome === 'skip') throw new DomainError(ErrorCode.NOT_FOUND, `This email cannot be shown: ${rendered.reason}`);
      mime = await buildMime(rendered.email);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Disposition', `inline; filename="${id}.eml"`);
    res.send(mime);
  });

  return router;
}
