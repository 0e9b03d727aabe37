import type { Redis } from 'ioredis';
import type { AppointmentStore, AssignmentRecord, HelpDeskRecord } from '../appointment-store';
import { io, type RedisEventData } from './redis-connection';

/*
 * Key layout of help desks and appointments, under the store's prefix P:
 *
 *   P help-desks                  hash   help desk id → HelpDeskRecord JSON
 *   P help-desks:order            zset   help desk ids by creation ms
 *   P appointments                hash   registration id → AssignmentRecord JSON
 *   P appointments:event:<E>      zset   the event's registration ids that have an assignment, by assignment ms
 *   P appointments:partner:<pid>  zset   the partner's registration ids, by assignment ms
 *
 * An assignment is one Lua script: it replaces the previous one and moves the registration from the old partner's
 * index to the new one's in the same step.
 */
function appointmentKeys(prefix: string) {
  return {
    desks: `${prefix}help-desks`,
    order: `${prefix}help-desks:order`,
    assignments: `${prefix}appointments`,
    event: (eventId: string) => `${prefix}appointments:event:${eventId}`,
    partnerPrefix: `${prefix}appointments:partner:`,
    partner: (personId: string) => `${prefix}appointments:partner:${personId}`,
  };
}

/** KEYS: 1 assignments, 2 the event's index, 3 the new partner's index. ARGV: 1 JSON, 2 registration id, 3 ms,
 * 4 the partner index prefix, 5 partner person id. Answers the replaced JSON or false. */
const ASSIGN_LUA = `
local before = redis.call('HGET', KEYS[1], ARGV[2])
if before then
  local old = cjson.decode(before)
  redis.call('ZREM', ARGV[4] .. old.partnerPersonId, ARGV[2])
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
return before
`;

/** KEYS: 1 assignments, 2 the event's index. ARGV: 1 the partner index prefix. Deletes the event's assignments. */
const DELETE_EVENT_LUA = `
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local json = redis.call('HGET', KEYS[1], id)
  if json then
    redis.call('ZREM', ARGV[1] .. cjson.decode(json).partnerPersonId, id)
    redis.call('HDEL', KEYS[1], id)
  end
end
redis.call('DEL', KEYS[2])
return 1
`;

type Script = (...args: (string | number)[]) => Promise<unknown>;

export class RedisAppointmentStore implements AppointmentStore, RedisEventData {
  private readonly k: ReturnType<typeof appointmentKeys>;
  private readonly scripts: Record<'parvisAssign' | 'parvisAppointmentsDelete', Script>;

  constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.k = appointmentKeys(prefix);
    client.defineCommand('parvisAssign', { lua: ASSIGN_LUA, numberOfKeys: 3 });
    client.defineCommand('parvisAppointmentsDelete', { lua: DELETE_EVENT_LUA, numberOfKeys: 2 });
    this.scripts = client as unknown as Record<'parvisAssign' | 'parvisAppointmentsDelete', Script>;
  }

  async createHelpDesk(desk: HelpDeskRecord): Promise<boolean> {
    const created = await io(() => this.client.hsetnx(this.k.desks, desk.id, JSON.stringify(desk)));
    if (created === 1) await io(() => this.client.zadd(this.k.order, Date.parse(desk.createdAt), desk.id));
    return created === 1;
  }

  async getHelpDesk(id: string): Promise<HelpDeskRecord | undefined> {
    const json = await io(() => this.client.hget(this.k.desks, id));
    return json === null ? undefined : (JSON.parse(json) as HelpDeskRecord);
  }

  async listHelpDesks(): Promise<HelpDeskRecord[]> {
    const ids = await io(() => this.client.zrange(this.k.order, 0, -1));
    if (ids.length === 0) return [];
    const jsons = await io(() => this.client.hmget(this.k.desks, ...ids));
    return jsons.flatMap((json) => (json === null ? [] : [JSON.parse(json) as HelpDeskRecord]));
  }

  async assign(a: AssignmentRecord): Promise<AssignmentRecord | undefined> {
    const before = (await io(() =>
      this.scripts.parvisAssign(
        this.k.assignments,
        this.k.event(a.eventId),
        this.k.partner(a.partnerPersonId),
        JSON.stringify(a),
        a.registrationId,
        Date.parse(a.assignedAt),
        this.k.partnerPrefix,
        a.partnerPersonId,
      ),
    )) as string | null;
    return before ? (JSON.parse(before) as AssignmentRecord) : undefined;
  }

  async assignmentOf(registrationId: string): Promise<AssignmentRecord | undefined> {
    const json = await io(() => this.client.hget(this.k.assignments, registrationId));
    return json === null ? undefined : (JSON.parse(json) as AssignmentRecord);
  }

  private async many(ids: string[]): Promise<AssignmentRecord[]> {
    if (ids.length === 0) return [];
    const jsons = await io(() => this.client.hmget(this.k.assignments, ...ids));
    return jsons.flatMap((json) => (json === null ? [] : [JSON.parse(json) as AssignmentRecord]));
  }

  async assignmentsForEvent(eventId: string): Promise<AssignmentRecord[]> {
    return this.many(await io(() => this.client.zrange(this.k.event(eventId), 0, -1)));
  }

  async assignmentsForPartner(personId: string): Promise<AssignmentRecord[]> {
    return this.many(await io(() => this.client.zrange(this.k.partner(personId), 0, -1)));
  }

  async deleteEventData(eventId: string): Promise<void> {
    await io(() => this.scripts.parvisAppointmentsDelete(this.k.assignments, this.k.event(eventId), this.k.partnerPrefix));
  }
}
