import type { Store } from '../../store/store';

/**
 * Who besides the confirmed registrants and the staff may enter an event's room, and whether it is held by phone:
 * the shape of `RoomAccessExtension` in modules/rooms/room-access-extension.ts (rooms-server's), declared here too
 * so that this module stands on its own until both are merged; TypeScript's structural types make one the other.
 */
export interface RoomAccessExtension {
  /** Whether the person (a personal link's person) may enter the event's room although not registered for it. */
  isMember(eventId: string, personId: string): Promise<boolean>;
  /** Whether the event is held by phone: its room refuses everyone with `by-phone`. */
  byPhone(eventId: string): Promise<boolean>;
}

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
