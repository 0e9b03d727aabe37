import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Answers, MailLanguage, RegistrationSettings, RegistrationStatus, SeatCounts } from '#shared/domain/registration';
import { EmailKind, type OutboxIntent } from '../outbox-store';
import type {
  AcceptResult,
  AttendanceRecord,
  CancelReason,
  CancelResult,
  ExpireResult,
  NewRegistration,
  PersonRecord,
  RegisterResult,
  RegistrationRecord,
  RegistrationStore,
  Refill,
} from '../registration-store';
import type { SqliteEventData } from './sqlite-connection';
import type { SqliteOutboxStore } from './sqlite-outbox';

/*
 * Sign-up in SQLite (migration 7). Each operation is one transaction: better-sqlite3 runs it synchronously on the
 * one connection of this process, and SQLite's write lock serialises it with other processes that share the file, so
 * counting the seats and taking one cannot interleave with anyone else's. Transactions that write take the write lock
 * when they begin (BEGIN IMMEDIATE): one that read first and then asked for it would fail at once, with no wait, had
 * another process written in between.
 *
 * A waitlisted registration carries `wait_seq`, growing per event; its position is its rank among the event's
 * waitlisted rows, so leaving the list moves everyone behind up by one, with no holes and no repeats.
 */

interface PersonRow {
  id: string;
  email: string | null;
  name: string | null;
  language: string;
  created_at: string;
  link_epoch: number;
  erased_at: string | null;
}

interface RegistrationRow {
  id: string;
  event_id: string;
  person_id: string;
  status: string;
  wait_seq: number | null;
  capped: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string;
  answers: string;
  source: string;
  series_id: string | null;
  week_key: string | null;
  created_at: string;
  updated_at: string;
  offer_expires_at: string | null;
  offer_expires_ms: number | null;
  cancelled_at: string | null;
  attended_at: string | null;
  erased_at: string | null;
}

function personFromRow(r: PersonRow): PersonRecord {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    language: r.language as MailLanguage,
    createdAt: r.created_at,
    linkEpoch: r.link_epoch,
    erasedAt: r.erased_at,
  };
}

const ms = (iso: string) => new Date(iso).getTime();

function prepare(db: Database.Database) {
  const active = `status IN ('confirmed', 'waitlisted', 'offered')`;
  return {
    person: db.prepare<[string], PersonRow>('SELECT * FROM people WHERE id = ?'),
    personByEmail: db.prepare<[string], PersonRow>('SELECT * FROM people WHERE email = ?'),
    insertPerson: db.prepare(
      `INSERT INTO people (id, email, name, language, created_at, link_epoch) VALUES (@id, @email, @name, @language, @now, 0)`,
    ),
    bumpEpoch: db.prepare<[string]>('UPDATE people SET link_epoch = link_epoch + 1 WHERE id = ?'),
    erasePerson: db.prepare<[string, string]>(
      'UPDATE people SET email = NULL, name = NULL, erased_at = COALESCE(erased_at, ?), link_epoch = link_epoch + 1 WHERE id = ?',
    ),
    /** A person erased by the retention of their last event, unless they were already. */
    eraseKeptPerson: db.prepare<[string, string]>(
      `UPDATE people SET email = NULL, name = NULL, erased_at = ?, link_epoch = link_epoch + 1
       WHERE id = ? AND erased_at IS NULL`,
    ),

    registration: db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE id = ?'),
    activeFor: db.prepare<[string, string], RegistrationRow>(
      `SELECT * FROM registrations WHERE event_id = ? AND person_id = ? AND ${active}`,
    ),
    ofEvent: db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE event_id = ? ORDER BY created_at, rowid'),
    ofPerson: db.prepare<[string], RegistrationRow>('SELECT * FROM registrations WHERE person_id = ? ORDER BY created_at, rowid'),
    position: db.prepare<[string, number], { n: number }>(
      `SELECT COUNT(*) AS n FROM registrations WHERE event_id = ? AND status = 'waitlisted' AND wait_seq <= ?`,
    ),
    tally: db.prepare<[string], { status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM registrations WHERE event_id = ? GROUP BY status',
    ),
    nextWaitSeq: db.prepare<[string], { seq: number }>(
      'SELECT COALESCE(MAX(wait_seq), 0) + 1 AS seq FROM registrations WHERE event_id = ?',
    ),
    heldInWeek: db.prepare<[string, string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM registrations
       WHERE person_id = ? AND series_id = ? AND week_key = ? AND status IN ('confirmed', 'offered')`,
    ),
    waiting: db.prepare<[string], RegistrationRow>(
      `SELECT * FROM registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY wait_seq`,
    ),
    insert: db.prepare(
      `INSERT INTO registrations (id, event_id, person_id, status, wait_seq, capped, name, email, phone, language,
                                  answers, source, series_id, week_key, created_at, updated_at)
       VALUES (@id, @eventId, @personId, @status, @waitSeq, @capped, @name, @email, @phone, @language, @answers,
               @source, @seriesId, @weekKey, @now, @now)`,
    ),
    setStatus: db.prepare<{ id: string; status: string; now: string; cancelledAt: string | null }>(
      `UPDATE registrations SET status = @status, updated_at = @now, offer_expires_at = NULL, offer_expires_ms = NULL,
         cancelled_at = COALESCE(@cancelledAt, cancelled_at)
       WHERE id = @id`,
    ),
    offer: db.prepare<{ id: string; now: string; until: string; untilMs: number }>(
      `UPDATE registrations SET status = 'offered', updated_at = @now, offer_expires_at = @until,
         offer_expires_ms = @untilMs
       WHERE id = @id`,
    ),
    dueOffers: db.prepare<[number, number], { id: string; event_id: string }>(
      `SELECT id, event_id FROM registrations WHERE status = 'offered' AND offer_expires_ms <= ?
       ORDER BY offer_expires_ms, id LIMIT ?`,
    ),
    setAttendance: db.prepare<[string | null, string]>('UPDATE registrations SET attended_at = ? WHERE id = ?'),
    markAttended: db.prepare<[string, string, string, string]>(
      `UPDATE registrations SET attended_at = ?, updated_at = ?
       WHERE event_id = ? AND person_id = ? AND status = 'confirmed' AND attended_at IS NULL`,
    ),
    confirmedOfPerson: db.prepare<[string], { person_id: string; event_id: string; attended_at: string | null }>(
      `SELECT person_id, event_id, attended_at FROM registrations WHERE person_id = ? AND status = 'confirmed'
       ORDER BY created_at, rowid`,
    ),
    eraseOfPerson: db.prepare<[string, string, string]>(
      `UPDATE registrations SET name = NULL, email = NULL, phone = NULL, answers = '{}', erased_at = ?, updated_at = ?
       WHERE person_id = ? AND erased_at IS NULL`,
    ),
    eraseOfEvent: db.prepare<[string, string, string]>(
      `UPDATE registrations SET name = NULL, email = NULL, phone = NULL, answers = '{}', erased_at = ?, updated_at = ?
       WHERE event_id = ? AND erased_at IS NULL`,
    ),
    peopleOfEvent: db.prepare<[string], { person_id: string }>(
      'SELECT DISTINCT person_id FROM registrations WHERE event_id = ?',
    ),
    keptData: db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM registrations WHERE person_id = ? AND erased_at IS NULL',
    ),
    settings: db.prepare<[string], { join_url: string | null }>('SELECT join_url FROM registration_settings WHERE event_id = ?'),
    setSettings: db.prepare<[string, string | null]>(
      `INSERT INTO registration_settings (event_id, join_url) VALUES (?, ?)
       ON CONFLICT(event_id) DO UPDATE SET join_url = excluded.join_url`,
    ),
    deleteOfEvent: db.prepare<[string]>('DELETE FROM registrations WHERE event_id = ?'),
    deleteSettingsOfEvent: db.prepare<[string]>('DELETE FROM registration_settings WHERE event_id = ?'),
  };
}

/** Registrations, people and registration settings in SQLite; emails go to the outbox in the same transaction. */
export class SqliteRegistrationStore implements RegistrationStore, SqliteEventData {
  private readonly q: ReturnType<typeof prepare>;
  private readonly tx: <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R;

  constructor(
    private readonly db: Database.Database,
    private readonly outbox: SqliteOutboxStore,
  ) {
    this.q = prepare(db);
    this.tx = (fn) => {
      const transaction = db.transaction(fn);
      return (...args) => transaction.immediate(...args);
    };
  }

  // --- SqliteEventData: a registration belongs to its event; people stay (they are not the event's). The demo reset
  // also drops the deadlines and the unsent emails, which all belong to the events it removes.

  deleteEventRows(eventId: string): void {
    this.q.deleteOfEvent.run(eventId);
    this.q.deleteSettingsOfEvent.run(eventId);
  }

  resetRows(): void {
    this.db.exec(`DELETE FROM registrations; DELETE FROM registration_settings; DELETE FROM jobs;
      DELETE FROM outbox WHERE state IN ('pending', 'sending');`);
  }

  // --- Reading.

  private record(row: RegistrationRow): RegistrationRecord {
    const record: RegistrationRecord = {
      id: row.id,
      eventId: row.event_id,
      personId: row.person_id,
      status: row.status as RegistrationStatus,
      capped: row.capped === 1,
      name: row.name,
      email: row.email,
      phone: row.phone,
      language: row.language as MailLanguage,
      answers: JSON.parse(row.answers) as Answers,
      source: row.source as 'online' | 'desk',
      seriesId: row.series_id,
      weekKey: row.week_key,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      offerExpiresAt: row.offer_expires_at,
      cancelledAt: row.cancelled_at,
      attendedAt: row.attended_at,
      erasedAt: row.erased_at,
    };
    if (row.status === 'waitlisted' && row.wait_seq !== null) {
      record.position = this.q.position.get(row.event_id, row.wait_seq)!.n;
    }
    return record;
  }

  private byId(id: string): RegistrationRecord | undefined {
    const row = this.q.registration.get(id);
    return row && this.record(row);
  }

  async get(id: string): Promise<RegistrationRecord | undefined> {
    return this.byId(id);
  }

  // Reads in a (deferred) transaction see one snapshot: positions computed row by row cannot mix two states.

  async listForEvent(eventId: string): Promise<RegistrationRecord[]> {
    return this.db.transaction(() => this.q.ofEvent.all(eventId).map((row) => this.record(row)))();
  }

  async listForPerson(personId: string): Promise<RegistrationRecord[]> {
    return this.db.transaction(() => this.q.ofPerson.all(personId).map((row) => this.record(row)))();
  }

  private tally(eventId: string): Record<RegistrationStatus, number> {
    const counts: Record<RegistrationStatus, number> = { confirmed: 0, waitlisted: 0, offered: 0, cancelled: 0, expired: 0 };
    for (const { status, n } of this.q.tally.all(eventId)) counts[status as RegistrationStatus] = n;
    return counts;
  }

  async counts(eventId: string, capacity: number): Promise<SeatCounts> {
    const t = this.tally(eventId);
    return {
      capacity,
      confirmed: t.confirmed,
      offered: t.offered,
      waitlisted: t.waitlisted,
      free: Math.max(0, capacity - t.confirmed - t.offered),
    };
  }

  // --- Emails written with the change that causes them.

  private intent(r: RegistrationRecord, kind: EmailKind, now: string, payload: Record<string, unknown> = {}): OutboxIntent[] {
    if (!r.email) return [];
    return [
      {
        dedupeKey: `${kind}:${r.id}`,
        kind,
        to: r.email,
        language: r.language,
        personId: r.personId,
        registrationId: r.id,
        eventId: r.eventId,
        payload,
        dueAt: now,
      },
    ];
  }

  private mail(r: RegistrationRecord, kind: EmailKind, now: string, payload?: Record<string, unknown>): void {
    this.outbox.enqueueNow(this.intent(r, kind, now, payload), now);
  }

  // --- Seats.

  private heldInWeek(personId: string, seriesId: string | null, weekKey: string | null): number {
    if (seriesId === null || weekKey === null) return 0;
    return this.q.heldInWeek.get(personId, seriesId, weekKey)!.n;
  }

  /** Offers free seats of the event to waiting people, fair cap first; answers those offered. */
  private refillNow(eventId: string, refill: Refill, now: string): RegistrationRecord[] {
    if (refill.offerExpiresAt === null) return [];
    const { rules } = refill;
    const counts = this.tally(eventId);
    let free = rules.capacity - counts.confirmed - counts.offered;
    const offered: RegistrationRecord[] = [];
    while (free > 0) {
      const waiting = this.q.waiting.all(eventId);
      if (waiting.length === 0) break;
      const underCap =
        rules.fairCap === null
          ? waiting[0]
          : waiting.find((w) => this.heldInWeek(w.person_id, w.series_id, w.week_key) < rules.fairCap!);
      const next = underCap ?? waiting[0]!;
      this.q.offer.run({ id: next.id, now, until: refill.offerExpiresAt, untilMs: ms(refill.offerExpiresAt) });
      const record = this.byId(next.id)!;
      this.mail(record, EmailKind.OFFER, now, { offerExpiresAt: refill.offerExpiresAt });
      offered.push(record);
      free--;
    }
    return offered;
  }

  /** What a new sign-up gets: a seat if one is free and nobody waits (or the desk overbooks), else a place, else none. */
  private seatFor(input: NewRegistration, personId: string): { status: RegistrationStatus; capped: boolean } | 'full' {
    const { rules } = input;
    const counts = this.tally(input.eventId);
    const seatFree = counts.confirmed + counts.offered < rules.capacity && counts.waitlisted === 0;
    const capped = rules.fairCap !== null && this.heldInWeek(personId, input.seriesId, input.weekKey) >= rules.fairCap;
    if (input.overbook || seatFree) return { status: 'confirmed', capped };
    if (rules.waitlist) return { status: 'waitlisted', capped };
    return 'full';
  }

  async register(input: NewRegistration): Promise<RegisterResult> {
    return this.tx((): RegisterResult => {
      const { now } = input;
      const known = input.person.email ? this.q.personByEmail.get(input.person.email) : undefined;
      const personId = known?.id ?? randomUUID();
      const existing = known && this.q.activeFor.get(input.eventId, personId);
      const seat = existing ? undefined : this.seatFor(input, personId);
      // Refused: nothing is written, not even the person.
      if (seat === 'full') return { outcome: 'full' };

      // A known person keeps the name and language they gave first: anyone may type an address into the form, and
      // must not rename its owner or change the language of their emails. The registration keeps what was typed.
      if (!known) {
        this.q.insertPerson.run({ id: personId, email: input.person.email, name: input.person.name, language: input.person.language, now });
      }
      const person = personFromRow(this.q.person.get(personId)!);
      if (!seat) return { outcome: 'registered', registration: this.record(existing!), person, created: false };

      const { status, capped } = seat;
      const id = randomUUID();
      this.q.insert.run({
        id,
        eventId: input.eventId,
        personId,
        status,
        waitSeq: status === 'waitlisted' ? this.q.nextWaitSeq.get(input.eventId)!.seq : null,
        capped: capped ? 1 : 0,
        name: input.person.name,
        email: input.person.email,
        phone: input.phone,
        language: input.person.language,
        answers: JSON.stringify(input.answers),
        source: input.source,
        seriesId: input.seriesId,
        weekKey: input.weekKey,
        now,
      });
      const registration = this.byId(id)!;
      if (input.notify) {
        if (status === 'confirmed') this.mail(registration, EmailKind.CONFIRMATION, now);
        else this.mail(registration, EmailKind.WAITLISTED, now, { position: registration.position });
      }
      return { outcome: 'registered', registration, person, created: true };
    })();
  }

  async cancel(id: string, reason: CancelReason, refill: Refill, now: string): Promise<CancelResult> {
    return this.tx((): CancelResult => {
      const row = this.q.registration.get(id);
      if (!row) return { outcome: 'not-found' };
      if (row.status === 'cancelled' || row.status === 'expired') return { outcome: 'unchanged', registration: this.record(row) };
      const heldSeat = row.status === 'confirmed' || row.status === 'offered';
      this.q.setStatus.run({ id, status: 'cancelled', now, cancelledAt: now });
      const registration = this.byId(id)!;
      // Someone who never asked for this registration is not written to again.
      if (reason === 'library') this.mail(registration, EmailKind.CANCELLED_BY_LIBRARY, now);
      else if (reason !== 'not-me') this.mail(registration, EmailKind.CANCELLED, now, { declined: reason === 'declined' });
      const offered = heldSeat ? this.refillNow(row.event_id, refill, now) : [];
      return { outcome: 'cancelled', registration, ...(offered[0] && { offered: offered[0] }) };
    })();
  }

  async acceptOffer(id: string, now: string): Promise<AcceptResult> {
    return this.tx((): AcceptResult => {
      const row = this.q.registration.get(id);
      if (!row) return { outcome: 'not-found' };
      if (row.status !== 'offered') return { outcome: 'not-offered', registration: this.record(row) };
      if (row.offer_expires_ms !== null && row.offer_expires_ms <= ms(now)) {
        return { outcome: 'expired', registration: this.record(row) };
      }
      this.q.setStatus.run({ id, status: 'confirmed', now, cancelledAt: null });
      const registration = this.byId(id)!;
      this.mail(registration, EmailKind.CONFIRMATION, now);
      return { outcome: 'confirmed', registration };
    })();
  }

  async dueOffers(now: string, limit: number): Promise<{ id: string; eventId: string }[]> {
    if (limit <= 0) return [];
    return this.q.dueOffers.all(ms(now), limit).map((r) => ({ id: r.id, eventId: r.event_id }));
  }

  async expireOffer(id: string, refill: Refill, now: string): Promise<ExpireResult> {
    return this.tx((): ExpireResult => {
      const row = this.q.registration.get(id);
      if (!row || row.status !== 'offered' || row.offer_expires_ms === null || row.offer_expires_ms > ms(now)) return {};
      this.q.setStatus.run({ id, status: 'expired', now, cancelledAt: null });
      const expired = this.byId(id)!;
      this.mail(expired, EmailKind.OFFER_EXPIRED, now);
      const [offered] = this.refillNow(row.event_id, refill, now);
      return { expired, ...(offered && { offered }) };
    })();
  }

  async refill(eventId: string, refill: Refill, now: string): Promise<RegistrationRecord[]> {
    return this.tx(() => this.refillNow(eventId, refill, now))();
  }

  async promote(id: string, now: string): Promise<RegistrationRecord | undefined> {
    return this.tx((): RegistrationRecord | undefined => {
      const row = this.q.registration.get(id);
      if (!row) return undefined;
      if (row.status !== 'waitlisted' && row.status !== 'offered') return this.record(row);
      this.q.setStatus.run({ id, status: 'confirmed', now, cancelledAt: null });
      const registration = this.byId(id)!;
      this.mail(registration, EmailKind.CONFIRMATION, now);
      return registration;
    })();
  }

  // --- Attendance.

  async setAttendance(id: string, attendedAt: string | null): Promise<RegistrationRecord | undefined> {
    return this.tx(() => {
      if (this.q.setAttendance.run(attendedAt, id).changes === 0) return undefined;
      return this.byId(id);
    })();
  }

  async markAttended(eventId: string, personId: string, at: string): Promise<RegistrationRecord | undefined> {
    return this.tx(() => {
      this.q.markAttended.run(at, at, eventId, personId);
      const row = this.q.activeFor.get(eventId, personId);
      return row?.status === 'confirmed' ? this.record(row) : undefined;
    })();
  }

  async activeFor(eventId: string, personId: string): Promise<RegistrationRecord | undefined> {
    const row = this.q.activeFor.get(eventId, personId);
    return row && this.record(row);
  }

  async attendanceOf(personIds: readonly string[]): Promise<AttendanceRecord[]> {
    return personIds.flatMap((personId) =>
      this.q.confirmedOfPerson.all(personId).map((r) => ({ personId: r.person_id, eventId: r.event_id, attended: r.attended_at !== null })),
    );
  }

  // --- People.

  async getPerson(id: string): Promise<PersonRecord | undefined> {
    const row = this.q.person.get(id);
    return row && personFromRow(row);
  }

  async ensurePerson(person: { email: string; name: string; language: MailLanguage }, now: string): Promise<PersonRecord> {
    return this.tx(() => {
      const known = this.q.personByEmail.get(person.email);
      if (known) return personFromRow(known);
      const id = randomUUID();
      this.q.insertPerson.run({ id, email: person.email, name: person.name, language: person.language, now });
      return personFromRow(this.q.person.get(id)!);
    })();
  }

  async getPersonByEmail(email: string): Promise<PersonRecord | undefined> {
    const row = this.q.personByEmail.get(email);
    return row && personFromRow(row);
  }

  async bumpLinkEpoch(personId: string): Promise<number | undefined> {
    return this.tx(() => {
      if (this.q.bumpEpoch.run(personId).changes === 0) return undefined;
      return this.q.person.get(personId)!.link_epoch;
    })();
  }

  async erasePerson(personId: string, now: string): Promise<boolean> {
    return this.tx(() => {
      if (this.q.erasePerson.run(now, personId).changes === 0) return false;
      this.q.eraseOfPerson.run(now, now, personId);
      this.outbox.deletePersonRows(personId);
      return true;
    })();
  }

  async eraseEvent(eventId: string, now: string): Promise<number> {
    return this.tx(() => {
      const erased = this.q.eraseOfEvent.run(now, now, eventId).changes;
      // A person whose every registration is now erased keeps no personal data either.
      for (const { person_id } of this.q.peopleOfEvent.all(eventId)) {
        if (this.q.keptData.get(person_id)!.n === 0 && this.q.eraseKeptPerson.run(now, person_id).changes > 0) {
          this.outbox.deletePersonRows(person_id);
        }
      }
      return erased;
    })();
  }

  // --- Settings.

  async getSettings(eventId: string): Promise<RegistrationSettings> {
    return { joinUrl: this.q.settings.get(eventId)?.join_url ?? null };
  }

  async setSettings(eventId: string, settings: RegistrationSettings): Promise<void> {
    this.q.setSettings.run(eventId, settings.joinUrl);
  }
}
