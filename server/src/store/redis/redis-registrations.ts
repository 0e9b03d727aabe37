import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Answers, MailLanguage, RegistrationSettings, SeatCounts } from '#shared/domain/registration';
import { ms } from '../instants';
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
import { io, type RedisEventData } from './redis-connection';
import { outboxKeys } from './redis-outbox';
import { REGISTRATION_LUA } from './redis-registration-scripts';

/*
 * Key layout of sign-up, under the store's prefix P. An event E's keys share its brace tag:
 *
 *   P registrations:{E}           hash   registration id → registration JSON (the RegistrationRecord fields but
 *                                        `position`, plus `seq`, `waitSeq` and `offerMs`)
 *   P registrations:{E}:active    hash   person id → their active registration's id: one per person per event
 *   P registrations:{E}:waiting   zset   waitlisted registration ids by `waitSeq`: a position is the rank + 1, so it
 *                                        has no holes and no repeats whoever leaves the list
 *   P registrations:{E}:tally     hash   status → how many registrations have it; `wait-seq`, the last one given out
 *   P registrations:{E}:settings  string RegistrationSettings JSON
 *
 * and global ones, since a person signs up for many events:
 *
 *   P registrations:event         hash   registration id → its event id
 *   P registrations:of:{person}   zset   the person's registration ids by `seq` (creation order, as SQLite's rowid)
 *   P registrations:held          hash   `<person>\n<series>\n<week>` → seats (confirmed or offered) the person holds in
 *                                        that series and ISO week, for the fair cap; kept by every status change
 *   P registrations:offers        zset   offered registration ids by deadline ms, ties by id as SQLite's ORDER BY
 *   P registrations:seq           string the last `seq` given out (INCR)
 *   P people                      hash   person id → PersonRecord JSON
 *   P people:by-email             hash   email → person id (an erased person is no longer found by it)
 *
 * Every operation is one Lua script (REGISTRATION_LUA in redis-registration-scripts.ts, dispatched on its name) that
 * also writes its emails to the outbox (redis-outbox.ts) in the same step, as SQLite writes them in the same
 * transaction. The scripts span an event's keys, the global ones and the outbox: this store needs one Redis, not a
 * Cluster (the brace tags keep an event's keys together all the same).
 * People and the outbox survive the demo reset; every other key here goes with it.
 */
function registrationKeys(prefix: string) {
  return {
    /** The global keys every script declares, after the outbox's seven, in the order REGISTRATION_LUA reads them. */
    global: [
      ...outboxKeys(prefix).list,
      ...['registrations:event', 'registrations:held', 'registrations:offers', 'registrations:seq', 'people', 'people:by-email'].map(
        (name) => prefix + name,
      ),
    ],
    /** An event's keys, declared by the scripts of one event after the global ones (the Lua builds the same names). */
    event: (eventId: string) =>
      ['', ':active', ':waiting', ':tally', ':settings'].map((suffix) => `${prefix}registrations:{${eventId}}${suffix}`),
    people: `${prefix}people`,
  };
}

/** The sign-up keys the demo reset keeps: people, who are not the events'. */
export const REGISTRATION_KEYS_KEPT_ON_RESET = ['people', 'people:by-email'] as const;

type Arg = string | number;
type Script = (...args: Arg[]) => Promise<unknown>;

/** A RegistrationRecord from the JSON that Lua wrote (its own fields left out). */
function toRecord(json: string): RegistrationRecord {
  const r = JSON.parse(json) as RegistrationRecord & { seq: number };
  const record: RegistrationRecord = {
    id: r.id,
    eventId: r.eventId,
    personId: r.personId,
    status: r.status,
    capped: r.capped === true,
    name: r.name ?? null,
    email: r.email ?? null,
    phone: r.phone ?? null,
    language: r.language,
    answers: (r.answers ?? {}) as Answers,
    source: r.source,
    seriesId: r.seriesId ?? null,
    weekKey: r.weekKey ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    offerExpiresAt: r.offerExpiresAt ?? null,
    cancelledAt: r.cancelledAt ?? null,
    attendedAt: r.attendedAt ?? null,
    erasedAt: r.erasedAt ?? null,
  };
  if (r.status === 'waitlisted' && r.position !== undefined) record.position = r.position;
  return record;
}

function toPerson(json: string): PersonRecord {
  const p = JSON.parse(json) as PersonRecord;
  return {
    id: p.id,
    email: p.email ?? null,
    name: p.name ?? null,
    language: p.language as MailLanguage,
    createdAt: p.createdAt,
    linkEpoch: p.linkEpoch,
    erasedAt: p.erasedAt ?? null,
  };
}

/** Oldest first, ties in the order they were made: as SQLite's ORDER BY created_at, rowid. */
function oldestFirst(jsons: (string | null)[]): RegistrationRecord[] {
  const rows = jsons.filter((j): j is string => typeof j === 'string').map((j) => ({ r: toRecord(j), seq: (JSON.parse(j) as { seq: number }).seq }));
  rows.sort((a, b) => ms(a.r.createdAt) - ms(b.r.createdAt) || a.seq - b.seq);
  return rows.map((x) => x.r);
}

const refillArg = (refill: Refill) =>
  JSON.stringify({
    capacity: refill.rules.capacity,
    fairCap: refill.rules.fairCap,
    offerExpiresAt: refill.offerExpiresAt,
    offerMs: refill.offerExpiresAt === null ? null : ms(refill.offerExpiresAt),
  });

/** Sign-up on Redis, under the store's prefix. */
export class RedisRegistrationStore implements RegistrationStore, RedisEventData {
  private readonly k: ReturnType<typeof registrationKeys>;
  private readonly ofPrefix: string;
  private readonly scripts: Record<string, Script>;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {
    this.k = registrationKeys(prefix);
    this.ofPrefix = outboxKeys(prefix).ofPrefix;
    client.defineCommand('parvisSignUp', { lua: REGISTRATION_LUA, numberOfKeys: this.k.global.length });
    client.defineCommand('parvisEventSignUp', { lua: REGISTRATION_LUA, numberOfKeys: this.k.global.length + 5 });
    this.scripts = client as unknown as Record<string, Script>;
  }

  /** Runs an operation of REGISTRATION_LUA that spans events (or reads). */
  private global(op: string, ...args: Arg[]): Promise<unknown> {
    return io(() => this.scripts.parvisSignUp!(...this.k.global, this.ofPrefix, randomUUID(), this.prefix, op, ...args));
  }

  /** Runs an operation of REGISTRATION_LUA on one event, whose keys it declares. */
  private onEvent(eventId: string, op: string, ...args: Arg[]): Promise<unknown> {
    const keys = [...this.k.global, ...this.k.event(eventId)];
    return io(() => this.scripts.parvisEventSignUp!(...keys, this.ofPrefix, randomUUID(), this.prefix, op, ...args));
  }

  /** The event of a registration: it never changes, so it may be read before the script that changes the registration. */
  private async eventOf(id: string): Promise<string | undefined> {
    return (await io(() => this.client.hget(this.k.global[7]!, id))) ?? undefined;
  }

  private async read(...args: Arg[]): Promise<(string | null)[]> {
    return (await this.global('read', ...args)) as (string | null)[];
  }

  async register(input: NewRegistration): Promise<RegisterResult> {
    const { rules, person } = input;
    const fields = {
      eventId: input.eventId,
      email: person.email,
      name: person.name,
      language: person.language,
      phone: input.phone,
      answers: input.answers,
      source: input.source,
      seriesId: input.seriesId,
      weekKey: input.weekKey,
      capacity: rules.capacity,
      waitlist: rules.waitlist,
      fairCap: rules.fairCap,
      overbook: input.overbook,
      notify: input.notify,
      now: input.now,
      nowMs: ms(input.now),
    };
    const [outcome, json, personJson] = (await this.onEvent(
      input.eventId,
      'register',
      randomUUID(),
      randomUUID(),
      JSON.stringify(fields),
    )) as [string, string?, string?];
    if (outcome === 'full') return { outcome: 'full' };
    return { outcome: 'registered', registration: toRecord(json!), person: toPerson(personJson!), created: outcome === 'created' };
  }

  async get(id: string): Promise<RegistrationRecord | undefined> {
    const [json] = await this.read('ids', id);
    return json ? toRecord(json) : undefined;
  }

  async listForEvent(eventId: string): Promise<RegistrationRecord[]> {
    return oldestFirst(await this.read('event', eventId));
  }

  async listForPerson(personId: string): Promise<RegistrationRecord[]> {
    return oldestFirst(await this.read('person', personId));
  }

  async counts(eventId: string, capacity: number): Promise<SeatCounts> {
    const tally = this.k.event(eventId)[3]!;
    const [confirmed, offered, waitlisted] = (await io(() => this.client.hmget(tally, 'confirmed', 'offered', 'waitlisted'))).map(Number);
    return { capacity, confirmed: confirmed!, offered: offered!, waitlisted: waitlisted!, free: Math.max(0, capacity - confirmed! - offered!) };
  }

  async cancel(id: string, reason: CancelReason, refill: Refill, now: string): Promise<CancelResult> {
    const eventId = await this.eventOf(id);
    if (eventId === undefined) return { outcome: 'not-found' };
    const [outcome, json, offered] = (await this.onEvent(eventId, 'cancel', id, reason, refillArg(refill), now, ms(now))) as [
      string,
      string?,
      string?,
    ];
    if (outcome === 'not-found') return { outcome };
    if (outcome === 'unchanged') return { outcome, registration: toRecord(json!) };
    return { outcome: 'cancelled', registration: toRecord(json!), ...(offered && { offered: toRecord(offered) }) };
  }

  async acceptOffer(id: string, now: string): Promise<AcceptResult> {
    const eventId = await this.eventOf(id);
    if (eventId === undefined) return { outcome: 'not-found' };
    const [outcome, json] = (await this.onEvent(eventId, 'accept', id, now, ms(now))) as [string, string?];
    if (outcome === 'not-found') return { outcome };
    return { outcome: outcome as 'confirmed' | 'expired' | 'not-offered', registration: toRecord(json!) };
  }

  async dueOffers(now: string, limit: number): Promise<{ id: string; eventId: string }[]> {
    if (limit <= 0) return [];
    const flat = (await this.global('dueOffers', ms(now), limit)) as string[];
    const due = [];
    for (let i = 0; i < flat.length; i += 2) due.push({ id: flat[i]!, eventId: flat[i + 1]! });
    return due;
  }

  async expireOffer(id: string, refill: Refill, now: string): Promise<ExpireResult> {
    const eventId = await this.eventOf(id);
    if (eventId === undefined) return {};
    const [expired, offered] = (await this.onEvent(eventId, 'expire', id, refillArg(refill), now, ms(now))) as string[];
    return { ...(expired && { expired: toRecord(expired) }), ...(offered && { offered: toRecord(offered) }) };
  }

  async refill(eventId: string, refill: Refill, now: string): Promise<RegistrationRecord[]> {
    return ((await this.onEvent(eventId, 'refill', refillArg(refill), now, ms(now))) as string[]).map(toRecord);
  }

  async promote(id: string, now: string): Promise<RegistrationRecord | undefined> {
    const eventId = await this.eventOf(id);
    if (eventId === undefined) return undefined;
    const [json] = (await this.onEvent(eventId, 'promote', id, now, ms(now))) as string[];
    return json ? toRecord(json) : undefined;
  }

  async setAttendance(id: string, attendedAt: string | null): Promise<RegistrationRecord | undefined> {
    const eventId = await this.eventOf(id);
    if (eventId === undefined) return undefined;
    const [json] = (await this.onEvent(eventId, 'attendance', 'set', id, attendedAt ?? '')) as string[];
    return json ? toRecord(json) : undefined;
  }

  async markAttended(eventId: string, personId: string, at: string): Promise<RegistrationRecord | undefined> {
    const [json] = (await this.onEvent(eventId, 'attendance', 'mark', personId, at)) as string[];
    return json ? toRecord(json) : undefined;
  }

  async activeFor(eventId: string, personId: string): Promise<RegistrationRecord | undefined> {
    const [json] = await this.read('active', eventId, personId);
    return json ? toRecord(json) : undefined;
  }

  async attendanceOf(personIds: readonly string[]): Promise<AttendanceRecord[]> {
    const out: AttendanceRecord[] = [];
    for (const personId of personIds) {
      for (const r of await this.listForPerson(personId)) {
        if (r.status === 'confirmed') out.push({ personId, eventId: r.eventId, attended: r.attendedAt !== null });
      }
    }
    return out;
  }

  async getPerson(id: string): Promise<PersonRecord | undefined> {
    const json = await io(() => this.client.hget(this.k.people, id));
    return json === null ? undefined : toPerson(json);
  }

  async ensurePerson(person: { email: string; name: string; language: MailLanguage }, now: string): Promise<PersonRecord> {
    const json = (await this.global('ensurePerson', JSON.stringify({ ...person, now }), randomUUID())) as string;
    return toPerson(json);
  }

  async getPersonByEmail(email: string): Promise<PersonRecord | undefined> {
    const json = (await this.global('personByEmail', email)) as string | null;
    return json ? toPerson(json) : undefined;
  }

  async bumpLinkEpoch(personId: string): Promise<number | undefined> {
    return ((await this.global('bumpLinkEpoch', personId)) as number | null) ?? undefined;
  }

  async erasePerson(personId: string, now: string): Promise<boolean> {
    return (await this.global('erasePerson', personId, now)) === 1;
  }

  async eraseEvent(eventId: string, now: string): Promise<number> {
    return (await this.onEvent(eventId, 'eraseEvent', now)) as number;
  }

  async getSettings(eventId: string): Promise<RegistrationSettings> {
    const json = await io(() => this.client.get(this.k.event(eventId)[4]!));
    return { joinUrl: json === null ? null : ((JSON.parse(json) as RegistrationSettings).joinUrl ?? null) };
  }

  async setSettings(eventId: string, settings: RegistrationSettings): Promise<void> {
    await io(() => this.client.set(this.k.event(eventId)[4]!, JSON.stringify(settings)));
  }

  async deleteEventData(eventId: string): Promise<void> {
    await this.onEvent(eventId, 'deleteEvent');
  }
}
