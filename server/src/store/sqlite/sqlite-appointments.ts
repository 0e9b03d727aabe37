import type Database from 'better-sqlite3';
import type { MailLanguage } from '#shared/domain/registration';
import type { AppointmentStore, AssignmentRecord, HelpDeskRecord } from '../appointment-store';
import type { SqliteEventData } from './sqlite-connection';

/**
 * Help desks (one row each, the record as JSON: it is read whole and never queried by its fields) and the partner
 * assigned to each booking of a slot (issue 14).
 */
export const APPOINTMENTS_MIGRATION = `
  CREATE TABLE help_desks (
    id         TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    record     TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE appointments (
    registration_id   TEXT PRIMARY KEY,
    event_id          TEXT NOT NULL,
    help_desk_id      TEXT NOT NULL,
    partner_person_id TEXT NOT NULL,
    partner_name      TEXT NOT NULL,
    partner_email     TEXT NOT NULL,
    partner_phone     TEXT,
    partner_language  TEXT NOT NULL,
    assigned_at       TEXT NOT NULL,
    assigned_by       TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX appointments_by_event ON appointments(event_id);
  CREATE INDEX appointments_by_partner ON appointments(partner_person_id, assigned_at);
`;

interface AssignmentRow {
  registration_id: string;
  event_id: string;
  help_desk_id: string;
  partner_person_id: string;
  partner_name: string;
  partner_email: string;
  partner_phone: string | null;
  partner_language: string;
  assigned_at: string;
  assigned_by: string;
}

function fromRow(r: AssignmentRow): AssignmentRecord {
  return {
    registrationId: r.registration_id,
    eventId: r.event_id,
    helpDeskId: r.help_desk_id,
    partnerPersonId: r.partner_person_id,
    partner: { name: r.partner_name, email: r.partner_email, phone: r.partner_phone, language: r.partner_language as MailLanguage },
    assignedAt: r.assigned_at,
    assignedBy: r.assigned_by,
  };
}

function toRow(a: AssignmentRecord): AssignmentRow {
  return {
    registration_id: a.registrationId,
    event_id: a.eventId,
    help_desk_id: a.helpDeskId,
    partner_person_id: a.partnerPersonId,
    partner_name: a.partner.name,
    partner_email: a.partner.email,
    partner_phone: a.partner.phone,
    partner_language: a.partner.language,
    assigned_at: a.assignedAt,
    assigned_by: a.assignedBy,
  };
}

/** Tables `help_desks` and `appointments`. An assignment replaces the previous one in one transaction. */
export class SqliteAppointmentStore implements AppointmentStore, SqliteEventData {
  private readonly q;
  private readonly assignTx: Database.Transaction<(a: AssignmentRecord) => AssignmentRecord | undefined>;

  constructor(private readonly db: Database.Database) {
    this.q = {
      insertDesk: db.prepare<[string, number, string]>(
        'INSERT INTO help_desks (id, created_ms, record) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING',
      ),
      desk: db.prepare<[string], { record: string }>('SELECT record FROM help_desks WHERE id = ?'),
      desks: db.prepare<[], { record: string }>('SELECT record FROM help_desks ORDER BY created_ms, id'),
      assignment: db.prepare<[string], AssignmentRow>('SELECT * FROM appointments WHERE registration_id = ?'),
      byEvent: db.prepare<[string], AssignmentRow>('SELECT * FROM appointments WHERE event_id = ? ORDER BY assigned_at'),
      byPartner: db.prepare<[string], AssignmentRow>(
        'SELECT * FROM appointments WHERE partner_person_id = ? ORDER BY assigned_at, registration_id',
      ),
      upsert: db.prepare<[AssignmentRow]>(
        `INSERT OR REPLACE INTO appointments (registration_id, event_id, help_desk_id, partner_person_id, partner_name,
           partner_email, partner_phone, partner_language, assigned_at, assigned_by)
         VALUES (@registration_id, @event_id, @help_desk_id, @partner_person_id, @partner_name, @partner_email,
           @partner_phone, @partner_language, @assigned_at, @assigned_by)`,
      ),
      deleteEvent: db.prepare<[string]>('DELETE FROM appointments WHERE event_id = ?'),
    };
    this.assignTx = db.transaction((a: AssignmentRecord) => {
      const before = this.q.assignment.get(a.registrationId);
      this.q.upsert.run(toRow(a));
      return before && fromRow(before);
    });
  }

  async createHelpDesk(desk: HelpDeskRecord): Promise<boolean> {
    return this.q.insertDesk.run(desk.id, Date.parse(desk.createdAt), JSON.stringify(desk)).changes === 1;
  }

  async getHelpDesk(id: string): Promise<HelpDeskRecord | undefined> {
    const row = this.q.desk.get(id);
    return row && (JSON.parse(row.record) as HelpDeskRecord);
  }

  async listHelpDesks(): Promise<HelpDeskRecord[]> {
    return this.q.desks.all().map((row) => JSON.parse(row.record) as HelpDeskRecord);
  }

  async assign(assignment: AssignmentRecord): Promise<AssignmentRecord | undefined> {
    return this.assignTx(assignment);
  }

  async assignmentOf(registrationId: string): Promise<AssignmentRecord | undefined> {
    const row = this.q.assignment.get(registrationId);
    return row && fromRow(row);
  }

  async assignmentsForEvent(eventId: string): Promise<AssignmentRecord[]> {
    return this.q.byEvent.all(eventId).map(fromRow);
  }

  async assignmentsForPartner(personId: string): Promise<AssignmentRecord[]> {
    return this.q.byPartner.all(personId).map(fromRow);
  }

  deleteEventRows(eventId: string): void {
    this.q.deleteEvent.run(eventId);
  }

  /** The demo reset removes every series, so the help desks go with their slots. */
  resetRows(): void {
    this.db.exec('DELETE FROM appointments; DELETE FROM help_desks;');
  }
}
