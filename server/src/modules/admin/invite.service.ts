import { randomUUID } from 'node:crypto';
import type { EventRole, Invite } from '#shared/domain/account';
import { ErrorCode } from '#shared/protocol/errors';
import type { User } from '#shared/domain/user';
import type { AccountRecord } from '../../store/account-store';
import type { Store } from '../../store/store';
import type { AuthService, StaffSession } from '../access/auth.service';
import type { Principal, TokenService } from '../access/token.service';
import { DomainError, FieldError } from '../../core/errors';
import { AuditAction, type AuditLog } from '../../core/audit';

/** How long an invite link works. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface InviteInfo {
  eventId: string;
  eventTitle: string;
  role: EventRole;
  expiresAt: string;
}

export interface InviteServiceDeps {
  store: Store;
  tokens: TokenService;
  auth: AuthService;
  audit: AuditLog;
  /** Links are `${publicOrigin}/invite#<token>`: the token rides in the fragment, which never reaches a server log. */
  publicOrigin: string;
  now?: () => Date;
}

/**
 * Invitations to moderate or speak at one event. An admin makes a link; whoever opens it picks a display name and
 * becomes the event's moderator or speaker, with an account of their own (no email, no password: the session's
 * refresh cookie keeps them signed in). Each link works once, until it expires or is revoked.
 */
export class InviteService {
  private readonly now: () => Date;

  constructor(private readonly deps: InviteServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async create(actor: User, eventId: string, role: EventRole): Promise<{ url: string; invite: Invite }> {
    const event = await this.deps.store.programme.getEvent(eventId);
    if (!event) throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${eventId}"`);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
    const invite: Invite = {
      id: randomUUID(),
      eventId,
      role,
      createdBy: actor.id,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
      usedBy: null,
      usedAt: null,
    };
    await this.deps.store.accounts.createInvite(invite);
    await this.deps.audit.record(actor, AuditAction.INVITE_CREATE, `invite:${invite.id}`, { eventId, role });
    const token = this.deps.tokens.signInvite(invite.id, expiresAt);
    return { url: `${this.deps.publicOrigin}/invite#${token}`, invite };
  }

  async list(eventId: string): Promise<Invite[]> {
    if (!(await this.deps.store.programme.getEvent(eventId))) {
      throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${eventId}"`);
    }
    return this.deps.store.accounts.listInvites(eventId);
  }

  async revoke(actor: User, inviteId: string): Promise<void> {
    const invite = await this.deps.store.accounts.getInvite(inviteId);
    if (!invite) throw new DomainError(ErrorCode.NOT_FOUND, 'No such invitation');
    if (invite.revokedAt === null && invite.usedAt === null) {
      await this.deps.store.accounts.revokeInvite(inviteId, this.now().toISOString());
      await this.deps.audit.record(actor, AuditAction.INVITE_REVOKE, `invite:${inviteId}`, {
        eventId: invite.eventId,
        role: invite.role,
      });
    }
  }

  /** What a link invites to, shown before the person accepts it. */
  async inspect(token: string): Promise<InviteInfo> {
    const { invite, eventTitle } = await this.usable(token);
    return { eventId: invite.eventId, eventTitle, role: invite.role, expiresAt: invite.expiresAt };
  }

  /**
   * Accepts an invite. A signed-in staff member (or admin) gets the role on their own account; anyone else gets a new
   * account with the display name they chose. The invite is spent atomically: of two people opening one link at
   * once, one gets the role and the other CONFLICT.
   */
  async accept(
    token: string,
    displayName: string | undefined,
    signedIn: Principal | null,
  ): Promise<StaffSession & { eventId: string; role: EventRole }> {
    const { invite } = await this.usable(token);
    const now = this.now().toISOString();
    let account: AccountRecord | undefined;
    let created = false;
    // Guests and registrants have no account: accepting makes them one, like anybody who is not signed in.
    if (signedIn && (signedIn.user.role === 'staff' || signedIn.user.role === 'admin')) {
      account = await this.deps.store.accounts.getAccount(signedIn.user.id);
      if (!account) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists');
    } else {
      if (!displayName) throw new FieldError({ displayName: 'must not be empty' });
      account = { id: `acct_${randomUUID()}`, email: null, displayName, passwordHash: null, isAdmin: false, createdAt: now };
      created = true;
    }
    // Spend the invite first: only one caller ever gets past this line, whatever else fails afterwards.
    if (!(await this.deps.store.accounts.useInvite(invite.id, account.id, now))) {
      // Someone else got there first, or it was revoked or expired meanwhile: say which.
      await this.usable(token);
      throw new DomainError(ErrorCode.CONFLICT, 'This invitation has already been used');
    }
    if (created && !(await this.deps.store.accounts.createAccount(account))) {
      throw new DomainError(ErrorCode.INTERNAL, 'Could not create the account');
    }
    await this.deps.store.accounts.grantRole({
      eventId: invite.eventId,
      userId: account.id,
      displayName: account.displayName,
      role: invite.role,
      grantedAt: now,
    });
    await this.deps.audit.record(account, AuditAction.ROLE_GRANT, `event:${invite.eventId}`, {
      userId: account.id,
      role: invite.role,
      inviteId: invite.id,
      invitedBy: invite.createdBy,
      newAccount: created,
    });
    const session = await this.deps.auth.startSession(account);
    return { ...session, eventId: invite.eventId, role: invite.role };
  }

  /** The invite of a token if it can still be accepted; NOT_FOUND or CONFLICT with what is wrong with it. */
  private async usable(token: string): Promise<{ invite: Invite; eventTitle: string }> {
    const id = this.deps.tokens.verifyInvite(token);
    const invite = await this.deps.store.accounts.getInvite(id);
    if (!invite) throw new DomainError(ErrorCode.NOT_FOUND, 'This invitation does not exist (any more)');
    if (invite.revokedAt !== null) throw new DomainError(ErrorCode.CONFLICT, 'This invitation has been revoked');
    if (invite.usedAt !== null) throw new DomainError(ErrorCode.CONFLICT, 'This invitation has already been used');
    if (invite.expiresAt <= this.now().toISOString()) throw new DomainError(ErrorCode.CONFLICT, 'This invitation has expired');
    const event = await this.deps.store.programme.getEvent(invite.eventId);
    if (!event) throw new DomainError(ErrorCode.NOT_FOUND, 'The event of this invitation no longer exists');
    return { invite, eventTitle: event.title };
  }
}
