import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '#shared/protocol/errors';
import type { SetupRequest } from '#shared/protocol/admin';
import type { Store } from '../../store/store';
import { AuditAction, type AuditLog } from '../../core/audit';
import { DomainError, FieldError } from '../../core/errors';
import type { AuthService, StaffSession } from './auth.service';
import { hashPassword } from './password';

const META_NONCE = 'setup.nonce';

/**
 * The first admin of a fresh install. While there is no admin, the server logs a one-time link
 * `${PUBLIC_ORIGIN}/admin/setup#<token>`; the link works until an admin exists.
 *
 * The token is an HMAC of a random nonce kept in the store, under the JWT secret. The store never holds the token or
 * anything that yields it without the secret, and every process of a deployment (they share the secret and the
 * store) prints the same link, so a restart or a second process never invalidates the link someone is about to open.
 */
export class SetupService {
  /** Serialises setups in this process: two requests at once must not both create an admin. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly secret: string,
    private readonly auth: AuthService,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Whether the setup link still works: true until the first admin exists. */
  async isOpen(): Promise<boolean> {
    return (await this.store.accounts.countAdmins()) === 0;
  }

  /** The setup token while there is no admin (making its nonce on first call), or undefined once there is one. */
  async pendingToken(): Promise<string | undefined> {
    if ((await this.store.accounts.countAdmins()) > 0) return undefined;
    let nonce = await this.store.meta.get(META_NONCE);
    if (!nonce) {
      nonce = randomBytes(32).toString('base64url');
      await this.store.meta.set(META_NONCE, nonce);
    }
    return this.tokenFor(nonce);
  }

  /** Creates the first admin and signs them in. CONFLICT once an admin exists; UNAUTHENTICATED for a wrong token. */
  complete(request: SetupRequest): Promise<StaffSession> {
    const run = this.queue.then(() => this.completeNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async completeNow(request: SetupRequest): Promise<StaffSession> {
    if ((await this.store.accounts.countAdmins()) > 0) {
      throw new DomainError(ErrorCode.CONFLICT, 'Parvis already has an admin: sign in instead');
    }
    const nonce = await this.store.meta.get(META_NONCE);
    if (!nonce || !sameToken(request.token, this.tokenFor(nonce))) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This setup link is not valid: use the one in the server log');
    }
    const account = {
      id: `acct_${randomUUID()}`,
      email: request.email,
      displayName: request.displayName,
      passwordHash: await hashPassword(request.password),
      isAdmin: true,
      createdAt: this.now().toISOString(),
    };
    if (!(await this.store.accounts.createAccount(account))) {
      throw new FieldError({ email: 'is already used by another account' }, ErrorCode.CONFLICT);
    }
    // The link is spent: a new nonce, which no one has the token of.
    await this.store.meta.set(META_NONCE, randomBytes(32).toString('base64url'));
    await this.audit.record(account, AuditAction.ADMIN_SETUP, `account:${account.id}`, { email: account.email });
    return this.auth.startSession(account);
  }

  private tokenFor(nonce: string): string {
    return createHmac('sha256', this.secret).update(`parvis-setup:${nonce}`).digest('base64url');
  }
}

/**
 * What the server prints at start while there is no admin: plain lines on standard output, outside the JSON log, so
 * that the person who just ran `npm start` sees the link and can open it.
 */
export function setupNotice(setupUrl: string): string {
  return [
    '',
    'Parvis has no admin yet. Create the first one by opening this link (it works once):',
    `  ${setupUrl}`,
    'or run `npm run admin:create` with the same DATA_DIR as the server.',
    '',
  ].join('\n') + '\n';
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
