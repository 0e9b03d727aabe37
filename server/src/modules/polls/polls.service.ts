import type { Poll } from '#shared/domain/poll';
import type { Role, User } from '#shared/domain/user';
import type { Store } from '../../store/store';

export interface PollsServiceDeps {
  store: Store;
}

/** Polls: prepared by moderators, opened and closed, one vote per person (issue 5). */
export class PollsService {
  constructor(private readonly deps: PollsServiceDeps) {}

  /** The polls a person may see at join: every poll for moderators and admins, open and closed ones for others. */
  async visibleTo(user: User | null, role: Role, eventId: string): Promise<Poll[]> {
    void user;
    void role;
    void eventId;
    void this.deps;
    return [];
  }
}
