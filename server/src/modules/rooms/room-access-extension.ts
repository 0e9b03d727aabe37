/**
 * What another module adds to who may enter an event's room (help-desk appointments: the reader, the partner and the
 * librarian of a slot, who are not registrants of a workshop). RoomsService asks it when it is given one.
 */
export interface RoomAccessExtension {
  /** True: this person may enter like a confirmed registrant. */
  isMember(eventId: string, personId: string): Promise<boolean>;
  /** True: the appointment is held by phone, and the room answers the `by-phone` refusal. */
  byPhone(eventId: string): Promise<boolean>;
}
