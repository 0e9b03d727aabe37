import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../../core/errors';
import type { PersonRecord } from '../../store/registration-store';
import type { Store } from '../../store/store';
import type { TokenService } from '../access/token.service';

/**
 * The personal links of people who signed up: they have no account and no password, so every email carries a link
 * that opens "my registrations" (`/me#<token>`: the token stays in the fragment, out of server logs and Referer
 * headers). A link works until the person's links are revoked ("this wasn't me", erasure) by raising their epoch.
 */
export class PersonLinks {
  constructor(
    private readonly tokens: TokenService,
    private readonly store: Store,
    private readonly publicOrigin: string,
  ) {}

  /** The token of the personal page, as it goes into a link. */
  token(person: Pick<PersonRecord, 'id' | 'linkEpoch'>): string {
    return this.tokens.signPerson(person.id, person.linkEpoch, 'person');
  }

  /** `https://…/me#<token>`: "my registrations". */
  pageUrl(person: Pick<PersonRecord, 'id' | 'linkEpoch'>): string {
    return `${this.publicOrigin}/me#${this.token(person)}`;
  }

  /**
   * The one-click "I did not ask for this" of a confirmation email: the personal page, which offers one button that
   * cancels this registration and voids the links (a GET never changes anything: mail scanners follow links).
   */
  notMeUrl(person: Pick<PersonRecord, 'id' | 'linkEpoch'>, registrationId: string): string {
    return `${this.pageUrl(person)}&not-me=${encodeURIComponent(registrationId)}`;
  }

  /** The personal calendar feed: the token in the path, since calendar apps send no fragment. */
  feedUrl(person: Pick<PersonRecord, 'id' | 'linkEpoch'>): string {
    return `${this.publicOrigin}/api/calendar/person/${this.tokens.signPerson(person.id, person.linkEpoch, 'feed')}.ics`;
  }

  /** The person a personal-link token names, if the link still works; UNAUTHENTICATED otherwise. */
  async authenticate(token: unknown): Promise<PersonRecord> {
    return this.check(this.tokens.verifyPerson(token, 'person'));
  }

  /** The person a calendar-feed token names, if it still works; UNAUTHENTICATED otherwise. */
  async authenticateFeed(token: unknown): Promise<PersonRecord> {
    return this.check(this.tokens.verifyPerson(token, 'feed'));
  }

  private async check({ personId, epoch }: { personId: string; epoch: number }): Promise<PersonRecord> {
    const person = await this.store.registrations.getPerson(personId);
    if (!person || person.erasedAt !== null || person.linkEpoch !== epoch) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This personal link no longer works: use the one in your latest email');
    }
    return person;
  }
}
