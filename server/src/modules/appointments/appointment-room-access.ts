import type { Store } from '../../store/store';
import type { RoomAccessExtension } from '../rooms/room-access-extension';

/**
 * Help-desk appointments' side of room access: the partner assigned to the slot's current booking is a member of its
 * room (the reader is a confirmed registrant already, the librarians are staff), and a phone help desk's slots are by
 * phone. A partner replaced by another, or whose reader cancelled, is a member no more; nobody else ever is.
 */
export function appointmentRoomAccess(store: Store): RoomAccessExtension {
  return {
    async isMember(eventId, personId) {
      for (const a of await store.appointments.assignmentsForEvent(eventId)) {
        if (a.partnerPersonId !== personId) continue;
        const registration = await store.registrations.get(a.registrationId);
        if (registration?.status === 'confirmed' && registration.eventId === eventId) return true;
      }
      return false;
    },
    async byPhone(eventId) {
      const event = await store.programme.getEvent(eventId);
      if (!event?.seriesId) return false;
      return (await store.appointments.getHelpDesk(event.seriesId))?.mode === 'phone';
    },
  };
}
