import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssignmentRecord, HelpDeskRecord } from './appointment-store';
import { event } from './contract-fixtures';
import type { Store } from './store';

const desk = (id: string, createdAt = '2027-01-04T09:00:00.000Z'): HelpDeskRecord => ({
  id,
  title: 'Aide juridique',
  summary: 'Une avocate bénévole répond à vos questions.',
  mode: 'phone',
  byDay: ['TU'],
  startTime: '14:00',
  endTime: '17:00',
  slotMinutes: 30,
  from: '2027-01-05',
  until: '2027-03-30',
  timezone: 'Europe/Paris',
  language: 'fr',
  librarian: { name: 'Bibliothécaire', email: 'accueil@example.org' },
  createdAt,
});

const assignment = (registrationId: string, partnerPersonId: string, fields: Partial<AssignmentRecord> = {}): AssignmentRecord => ({
  registrationId,
  eventId: 'slot-1',
  helpDeskId: 'aide',
  partnerPersonId,
  partner: { name: `Partenaire ${partnerPersonId}`, email: `${partnerPersonId}@example.org`, phone: null, language: 'fr' },
  assignedAt: '2027-01-04T10:00:00.000Z',
  assignedBy: 'admin-1',
  ...fields,
});

/**
 * The behaviour of `store.appointments` on every store (see appointment-store.ts): help desks are created once per
 * id; an assignment replaces the previous one of the same registration and moves it between partners; assignments go
 * with their event. Also `store.registrations.ensurePerson`, which gives a partner a person without a registration.
 */
export function appointmentContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Appointment store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('creates a help desk once per id and lists them oldest first', async () => {
      expect(await store.appointments.createHelpDesk(desk('b', '2027-01-04T10:00:00.000Z'))).toBe(true);
      expect(await store.appointments.createHelpDesk(desk('a', '2027-01-04T09:00:00.000Z'))).toBe(true);
      expect(await store.appointments.createHelpDesk({ ...desk('a'), title: 'Autre' })).toBe(false);
      expect(await store.appointments.getHelpDesk('a')).toEqual(desk('a', '2027-01-04T09:00:00.000Z'));
      expect(await store.appointments.getHelpDesk('nope')).toBeUndefined();
      expect((await store.appointments.listHelpDesks()).map((d) => d.id)).toEqual(['a', 'b']);
    });

    it('keeps one assignment per registration: a new partner replaces the old one, who no longer holds it', async () => {
      expect(await store.appointments.assign(assignment('r1', 'p1', { partner: { name: 'Maître Ana', email: 'ana@example.org', phone: '06 12 34 56 78', language: 'fr' } }))).toBeUndefined();
      expect(await store.appointments.assignmentOf('r1')).toMatchObject({ partnerPersonId: 'p1', partner: { phone: '06 12 34 56 78' } });
      const replaced = await store.appointments.assign(assignment('r1', 'p2', { assignedAt: '2027-01-04T11:00:00.000Z' }));
      expect(replaced?.partnerPersonId).toBe('p1');
      expect(await store.appointments.assignmentOf('r1')).toEqual(assignment('r1', 'p2', { assignedAt: '2027-01-04T11:00:00.000Z' }));
      expect(await store.appointments.assignmentsForPartner('p1')).toEqual([]);
      expect((await store.appointments.assignmentsForPartner('p2')).map((a) => a.registrationId)).toEqual(['r1']);
      expect((await store.appointments.assignmentsForEvent('slot-1')).map((a) => a.registrationId)).toEqual(['r1']);
    });

    it('lists a partner’s assignments across events, and an event’s, oldest first', async () => {
      await store.appointments.assign(assignment('r2', 'p1', { eventId: 'slot-2', assignedAt: '2027-01-04T12:00:00.000Z' }));
      await store.appointments.assign(assignment('r1', 'p1', { eventId: 'slot-1', assignedAt: '2027-01-04T10:00:00.000Z' }));
      await store.appointments.assign(assignment('r3', 'p2', { eventId: 'slot-2', assignedAt: '2027-01-04T11:00:00.000Z' }));
      expect((await store.appointments.assignmentsForPartner('p1')).map((a) => a.registrationId)).toEqual(['r1', 'r2']);
      expect((await store.appointments.assignmentsForEvent('slot-2')).map((a) => a.registrationId)).toEqual(['r3', 'r2']);
      expect(await store.appointments.assignmentsForEvent('slot-9')).toEqual([]);
    });

    it('deletes an event’s assignments with the event, and only its own', async () => {
      await store.programme.saveProgramme([], [event('slot-1', '2027-01-05T13:00:00.000Z', '2027-01-05T13:30:00.000Z'), event('slot-2', '2027-01-05T13:30:00.000Z', '2027-01-05T14:00:00.000Z')]);
      await store.appointments.assign(assignment('r1', 'p1', { eventId: 'slot-1' }));
      await store.appointments.assign(assignment('r2', 'p1', { eventId: 'slot-2' }));
      await store.programme.deleteEvent('slot-1');
      expect(await store.appointments.assignmentOf('r1')).toBeUndefined();
      expect((await store.appointments.assignmentsForPartner('p1')).map((a) => a.registrationId)).toEqual(['r2']);
      expect(await store.appointments.assignmentsForEvent('slot-1')).toEqual([]);
    });

    it('gives a partner one person per email without registering them, keeping the first name given', async () => {
      const first = await store.registrations.ensurePerson({ email: 'avocate@example.org', name: 'Maître Ana', language: 'fr' }, '2027-01-04T10:00:00.000Z');
      expect(first).toMatchObject({ email: 'avocate@example.org', name: 'Maître Ana', language: 'fr', linkEpoch: 0, erasedAt: null });
      const again = await store.registrations.ensurePerson({ email: 'avocate@example.org', name: 'Autre', language: 'en' }, '2027-01-05T10:00:00.000Z');
      expect(again).toEqual(first);
      expect(await store.registrations.getPersonByEmail('avocate@example.org')).toEqual(first);
      expect(await store.registrations.listForPerson(first.id)).toEqual([]);
    });
  });
}
