import type { AppointmentPartner, HelpDesk } from '#shared/domain/appointment';

/*
 * The storage port of help-desk appointments, reached as `store.appointments`: the help desks (whose slots are
 * events of a series, booked through `store.registrations`) and which partner takes each booking. SQLite and Redis
 * implement it in `sqlite/sqlite-appointments.ts` and `redis/redis-appointments.ts`; the contract suite is
 * `appointment.contract.ts`.
 *
 * Nothing the reader wrote is here: the description of the need and the phone number are the registration's answers,
 * erased with it. An assignment holds the partner's details (a volunteer the library registered) and goes with its
 * event.
 */

export type HelpDeskRecord = HelpDesk;

export interface AssignmentRecord {
  /** The reader's registration for the slot: one assignment per registration. */
  registrationId: string;
  eventId: string;
  helpDeskId: string;
  /** The partner's person record (`store.registrations`), whose personal link opens the room. */
  partnerPersonId: string;
  partner: AppointmentPartner;
  assignedAt: string;
  /** The staff account that assigned it. */
  assignedBy: string;
}

export interface AppointmentStore {
  /** Stores a new help desk; false (and nothing changed) when its id is taken. */
  createHelpDesk(desk: HelpDeskRecord): Promise<boolean>;
  getHelpDesk(id: string): Promise<HelpDeskRecord | undefined>;
  /** Oldest first. */
  listHelpDesks(): Promise<HelpDeskRecord[]>;
  /**
   * Assigns the registration to a partner, replacing any earlier assignment of it (the librarian changed their
   * mind): one step, so that a reader never has two partners. Answers the assignment it replaced, if any.
   */
  assign(assignment: AssignmentRecord): Promise<AssignmentRecord | undefined>;
  assignmentOf(registrationId: string): Promise<AssignmentRecord | undefined>;
  /** Every assignment of the event's registrations (a cancelled reader's stays until the event goes). */
  assignmentsForEvent(eventId: string): Promise<AssignmentRecord[]>;
  /** Every assignment a partner holds, oldest first. */
  assignmentsForPartner(personId: string): Promise<AssignmentRecord[]>;
}
