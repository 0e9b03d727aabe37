import type { RoleGrant } from '#shared/domain/account';
import type { User } from '#shared/domain/user';
import { ErrorCode } from '#shared/protocol/errors';
import type { Store } from '../../store/store';
import type { AuthSignals } from '../access/auth.service';
import { DomainError } from '../../core/errors';
import { AuditAction, type AuditLog } from '../../core/audit';

/** Who holds which role in an event, and taking a role back. Roles are given by invitations (invite.service.ts). */
export class RoleService {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly signals: AuthSignals,
  ) {}

  async list(eventId: string): Promise<RoleGrant[]> {
    await this.assertEventExists(eventId);
    return this.store.accounts.listRoles(eventId);
  }

  /**
   * Takes a person's role in an event away. Their next action is refused at once (roles are read per action); their
   * sockets are also disconnected on every process, so their screen notices and rejoins with what is left.
   */
  async revoke(actor: User, eventId: string, userId: string): Promise<void> {
    await this.assertEventExists(eventId);
    const grant = (await this.store.accounts.listRoles(eventId)).find((r) => r.userId === userId);
    if (!grant || !(await this.store.accounts.revokeRole(eventId, userId))) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'This person holds no role in this event');
    }
    this.signals.userRevoked(userId, 'role-revoked');
    await this.audit.record(actor, AuditAction.ROLE_REVOKE, `event:${eventId}`, {
      userId,
      displayName: grant.displayName,
      role: grant.role,
    });
  }

  private async assertEventExists(eventId: string): Promise<void> {
    if (!(await this.store.programme.getEvent(eventId))) throw new DomainError(ErrorCode.NOT_FOUND, `No event with id "${eventId}"`);
  }
}
