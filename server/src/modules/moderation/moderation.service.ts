import type { Event } from '#shared/domain/event';
import type { Role, User } from '#shared/domain/user';
import type { JoinResult } from '#shared/protocol/events';
import type { Store } from '../../store/store';

/** What the moderation module adds to a join ack. */
export type ModerationJoinState = Pick<JoinResult, 'settings' | 'sanction' | 'backstage' | 'staff'>;

export interface ModerationServiceDeps {
  store: Store;
}

/** Chat moderation, room settings, sanctions and the backstage channel (issue 5). */
export class ModerationService {
  constructor(private readonly deps: ModerationServiceDeps) {}

  /**
   * Throws FORBIDDEN (reason `banned`) when this person is banned from the event. For the other modules' requests
   * (polls, reactions) that do not go through a join.
   */
  async assertNotBanned(user: User | null, eventId: string): Promise<void> {
    void user;
    void eventId;
  }

  /**
   * What a person joining gets from this module; throws FORBIDDEN (reason `banned`) when they are banned from the
   * event.
   */
  async joinState(user: User | null, role: Role, event: Event): Promise<ModerationJoinState> {
    void user;
    void role;
    void this.deps;
    return {
      settings: { slowModeSeconds: 0, preModeration: event.kind === 'lecture' || event.kind === 'cine_conference', pinned: null },
      sanction: null,
    };
  }
}
