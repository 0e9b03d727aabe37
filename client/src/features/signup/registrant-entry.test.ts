import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import type { Session } from '../../app/session-store';
import { rememberPersonalLink, recallPersonalLink } from './personal-link';
import { RegistrantEntry, shouldEnterAsRegistrant } from './registrant-entry';

const EVENT = { id: 'atelier--2027-01-04', access: 'registration', status: 'scheduled' } as const;
const LINK = { token: 'PERSON', notMe: null };
const guest: Session = { kind: 'guest', token: 't', user: { id: 'g1', displayName: 'Ada', role: 'guest' } };
const registrant: Session = { kind: 'guest', token: 't', user: { id: 'person:p1', displayName: 'Amina', role: 'registrant' } };

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (k: string) => values.get(k) ?? null,
    setItem: (k: string, v: string) => void values.set(k, v),
    removeItem: (k: string) => void values.delete(k),
  };
}

describe('bringing a registrant into the room', () => {
  it('uses the personal link on a registration event, for someone not yet in under their name', () => {
    expect(shouldEnterAsRegistrant(EVENT, null, LINK)).toBe(true);
    expect(shouldEnterAsRegistrant(EVENT, guest, LINK)).toBe(true);
    expect(shouldEnterAsRegistrant(EVENT, registrant, LINK)).toBe(false);
    expect(shouldEnterAsRegistrant(EVENT, null, null)).toBe(false);
    expect(shouldEnterAsRegistrant({ ...EVENT, access: 'open' }, null, LINK)).toBe(false);
    expect(shouldEnterAsRegistrant({ ...EVENT, status: 'ended' }, null, LINK)).toBe(false);
  });

  it('asks once per event, and forgets a link that no longer works', async () => {
    const storage = memoryStorage();
    rememberPersonalLink(storage, LINK);
    const asked: string[] = [];
    const entry = new RegistrantEntry({
      session: () => ({
        session: null,
        signInAsRegistrant: async (token, eventId) => {
          asked.push(`${token} ${eventId}`);
          throw new ApiError('UNAUTHENTICATED', 'This personal link no longer works', 401);
        },
      }),
      storage: () => storage,
    });
    expect(await entry.enter(EVENT)).toBe(false);
    expect(await entry.enter(EVENT)).toBe(false);
    expect(asked).toEqual(['PERSON atelier--2027-01-04']);
    expect(recallPersonalLink(storage)).toBeNull();
  });

  it('keeps the link when the person simply has no seat at this event', async () => {
    const storage = memoryStorage();
    rememberPersonalLink(storage, LINK);
    const entry = new RegistrantEntry({
      session: () => ({
        session: null,
        signInAsRegistrant: async () => {
          throw new ApiError('FORBIDDEN', 'Only people with a confirmed seat can enter this event', 403);
        },
      }),
      storage: () => storage,
    });
    expect(await entry.enter(EVENT)).toBe(false);
    expect(recallPersonalLink(storage)).toEqual(LINK);
  });
});
