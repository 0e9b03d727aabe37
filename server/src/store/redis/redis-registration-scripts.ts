import { OUTBOX_LUA } from './redis-outbox';

/*
 * The Lua of sign-up on Redis, apart from redis-registrations.ts (which documents the key layout) for its length.
 * Every rule that must be atomic is here: seats, waiting-list places, offers passed on, the fair cap, erasure, each
 * with the emails it writes to the outbox (OUTBOX_LUA) in the same script.
 */

/**
 * Every sign-up operation. KEYS: 1–7 the outbox, 8 registrations:event, 9 registrations:held, 10 registrations:offers,
 * 11 registrations:seq, 12 people, 13 people:by-email, and for an event's operations 14–18 its keys. ARGV: 1 the
 * outbox's per-person key prefix, 2 a random seed (outbox ids), 3 the store prefix, 4 the operation, then its own.
 */
export const REGISTRATION_LUA = `local OB_AT, OB_ARGV = 1, 1
${OUTBOX_LUA}
local G = { eventOf = KEYS[8], held = KEYS[9], offers = KEYS[10], seq = KEYS[11], people = KEYS[12], byEmail = KEYS[13] }
local EV = { regs = KEYS[14], active = KEYS[15], waiting = KEYS[16], tally = KEYS[17], settings = KEYS[18] }
local P = ARGV[3]
local function eventKeys(e)
  local base = P .. 'registrations:{' .. e .. '}'
  return { regs = base, active = base .. ':active', waiting = base .. ':waiting', tally = base .. ':tally' }
end
local function personRegs(pid) return P .. 'registrations:of:{' .. pid .. '}' end
local function holds(s) return s == 'confirmed' or s == 'offered' end
local function count(ev, status) return tonumber(redis.call('HGET', ev.tally, status) or 0) end
local function heldField(pid, series, week)
  if isnull(series) or isnull(week) then return nil end
  return pid .. '\\n' .. series .. '\\n' .. week
end
local function heldBy(pid, series, week)
  local f = heldField(pid, series, week)
  return f and tonumber(redis.call('HGET', G.held, f) or 0) or 0
end
local function hold(r, delta)
  local f = heldField(r.personId, r.seriesId, r.weekKey)
  if f and redis.call('HINCRBY', G.held, f, delta) <= 0 then redis.call('HDEL', G.held, f) end
end
local function load(ev, id)
  local json = redis.call('HGET', ev.regs, id)
  if json then return cjson.decode(json) end
end
local function save(ev, r) redis.call('HSET', ev.regs, r.id, cjson.encode(r)) end
local function out(ev, r)
  if r.status == 'waitlisted' then r.position = redis.call('ZRANK', ev.waiting, r.id) + 1 end
  local json = cjson.encode(r)
  r.position = nil
  return json
end
local function setStatus(ev, r, to, now)
  redis.call('HINCRBY', ev.tally, r.status, -1)
  redis.call('HINCRBY', ev.tally, to, 1)
  if holds(r.status) ~= holds(to) then hold(r, holds(to) and 1 or -1) end
  if r.status == 'waitlisted' then redis.call('ZREM', ev.waiting, r.id) end
  if r.status == 'offered' then redis.call('ZREM', G.offers, r.id) end
  if to == 'cancelled' or to == 'expired' then redis.call('HDEL', ev.active, r.personId) end
  r.status, r.updatedAt, r.offerExpiresAt, r.offerMs = to, now, NULL, NULL
  if to == 'cancelled' then r.cancelledAt = now end
end
local function mail(r, kind, now, nowMs, payload)
  if isnull(r.email) then return end
  ob_enqueue({ dedupeKey = kind .. ':' .. r.id, kind = kind, to = r.email, language = r.language, personId = r.personId,
    registrationId = r.id, eventId = r.eventId, payload = payload, dueAt = now, dueMs = nowMs }, now, nowMs)
end
-- Offers the free seats to the first waiting people under the fair cap (else the first), each with its email.
local function refill(ev, rules, now, nowMs)
  local offered = {}
  if isnull(rules.offerExpiresAt) then return offered end
  local free = rules.capacity - count(ev, 'confirmed') - count(ev, 'offered')
  while free > 0 do
    local ids = redis.call('ZRANGE', ev.waiting, 0, isnull(rules.fairCap) and 0 or -1)
    if #ids == 0 then break end
    local r
    if not isnull(rules.fairCap) then
      for _, id in ipairs(ids) do
        local w = load(ev, id)
        if heldBy(w.personId, w.seriesId, w.weekKey) < rules.fairCap then r = w break end
      end
    end
    r = r or load(ev, ids[1])
    setStatus(ev, r, 'offered', now)
    r.offerExpiresAt, r.offerMs = rules.offerExpiresAt, rules.offerMs
    redis.call('ZADD', G.offers, r.offerMs, r.id)
    save(ev, r)
    mail(r, 'offer', now, nowMs, cjson.encode({ offerExpiresAt = r.offerExpiresAt }))
    offered[#offered + 1] = out(ev, r)
    free = free - 1
  end
  return offered
end
local function eraseRegistration(ev, r, now)
  r.name, r.email, r.phone, r.answers, r.erasedAt, r.updatedAt = NULL, NULL, NULL, {}, now, now
  save(ev, r)
end
local function erasePerson(person, now)
  if not isnull(person.email) and redis.call('HGET', G.byEmail, person.email) == person.id then
    redis.call('HDEL', G.byEmail, person.email)
  end
  person.email, person.name, person.linkEpoch = NULL, NULL, person.linkEpoch + 1
  if isnull(person.erasedAt) then person.erasedAt = now end
  redis.call('HSET', G.people, person.id, cjson.encode(person))
  ob_drop_person(person.id)
end

local ops = {}
function ops.register()
  local i = cjson.decode(ARGV[7])
  local known = not isnull(i.email) and redis.call('HGET', G.byEmail, i.email)
  local pid = known or ARGV[6]
  local existing = known and redis.call('HGET', EV.active, pid)
  local status, capped
  if not existing then
    capped = not isnull(i.fairCap) and heldBy(pid, i.seriesId, i.weekKey) >= i.fairCap
    if i.overbook or (count(EV, 'confirmed') + count(EV, 'offered') < i.capacity and count(EV, 'waitlisted') == 0) then
      status = 'confirmed'
    elseif i.waitlist then status = 'waitlisted'
    else return { 'full' } end
  end
  local personJson
  if known then
    -- A known person keeps the name and language they gave first: anyone may type an address into the form. The
    -- registration keeps what was typed.
    personJson = redis.call('HGET', G.people, pid)
  else
    local person = { id = pid, email = i.email, name = i.name, language = i.language, createdAt = i.now, linkEpoch = 0, erasedAt = NULL }
    if not isnull(i.email) then redis.call('HSET', G.byEmail, i.email, pid) end
    personJson = cjson.encode(person)
    redis.call('HSET', G.people, pid, personJson)
  end
  if existing then return { 'existing', out(EV, load(EV, existing)), personJson } end

  local r = { id = ARGV[5], eventId = i.eventId, personId = pid, status = status, capped = capped, name = i.name,
    email = i.email, phone = i.phone, language = i.language, answers = i.answers, source = i.source,
    seriesId = i.seriesId, weekKey = i.weekKey, createdAt = i.now, updatedAt = i.now, offerExpiresAt = NULL,
    cancelledAt = NULL, attendedAt = NULL, erasedAt = NULL, seq = redis.call('INCR', G.seq), waitSeq = NULL, offerMs = NULL }
  redis.call('HINCRBY', EV.tally, status, 1)
  if status == 'waitlisted' then
    r.waitSeq = redis.call('HINCRBY', EV.tally, 'wait-seq', 1)
    redis.call('ZADD', EV.waiting, r.waitSeq, r.id)
  else
    hold(r, 1)
  end
  redis.call('HSET', EV.active, pid, r.id)
  redis.call('HSET', G.eventOf, r.id, r.eventId)
  redis.call('ZADD', personRegs(pid), r.seq, r.id)
  save(EV, r)
  if i.notify and status == 'confirmed' then mail(r, 'confirmation', i.now, i.nowMs, '{}') end
  if i.notify and status == 'waitlisted' then
    mail(r, 'waitlisted', i.now, i.nowMs, cjson.encode({ position = redis.call('ZRANK', EV.waiting, r.id) + 1 }))
  end
  return { 'created', out(EV, r), personJson }
end
function ops.cancel()
  local r = load(EV, ARGV[5])
  if not r then return { 'not-found' } end
  if r.status == 'cancelled' or r.status == 'expired' then return { 'unchanged', out(EV, r) } end
  local reason, now, nowMs = ARGV[6], ARGV[8], tonumber(ARGV[9])
  local held = holds(r.status)
  setStatus(EV, r, 'cancelled', now)
  save(EV, r)
  -- Someone who never asked for this registration is not written to again.
  if reason == 'library' then mail(r, 'cancelled-by-library', now, nowMs, '{}')
  elseif reason ~= 'not-me' then mail(r, 'cancelled', now, nowMs, cjson.encode({ declined = reason == 'declined' })) end
  local offered = held and refill(EV, cjson.decode(ARGV[7]), now, nowMs) or {}
  return { 'cancelled', out(EV, r), offered[1] }
end
function ops.accept()
  local r = load(EV, ARGV[5])
  if not r then return { 'not-found' } end
  if r.status ~= 'offered' then return { 'not-offered', out(EV, r) } end
  if r.offerMs <= tonumber(ARGV[7]) then return { 'expired', out(EV, r) } end
  setStatus(EV, r, 'confirmed', ARGV[6])
  save(EV, r)
  mail(r, 'confirmation', ARGV[6], tonumber(ARGV[7]), '{}')
  return { 'confirmed', out(EV, r) }
end
function ops.expire()
  local r = load(EV, ARGV[5])
  local now, nowMs = ARGV[7], tonumber(ARGV[8])
  if not r or r.status ~= 'offered' or r.offerMs > nowMs then return {} end
  setStatus(EV, r, 'expired', now)
  save(EV, r)
  mail(r, 'offer-expired', now, nowMs, '{}')
  local offered = refill(EV, cjson.decode(ARGV[6]), now, nowMs)
  return { out(EV, r), offered[1] }
end
function ops.refill() return refill(EV, cjson.decode(ARGV[5]), ARGV[6], tonumber(ARGV[7])) end
function ops.promote()
  local r = load(EV, ARGV[5])
  if not r then return {} end
  if r.status == 'waitlisted' or r.status == 'offered' then
    setStatus(EV, r, 'confirmed', ARGV[6])
    save(EV, r)
    mail(r, 'confirmation', ARGV[6], tonumber(ARGV[7]), '{}')
  end
  return { out(EV, r) }
end
-- ARGV: 5 'set' (6 registration id, 7 time or '') or 'mark' (6 person id, 7 time): the first mark stays.
function ops.attendance()
  local r = load(EV, ARGV[5] == 'set' and ARGV[6] or (redis.call('HGET', EV.active, ARGV[6]) or ''))
  if not r then return {} end
  if ARGV[5] == 'set' then
    r.attendedAt = ARGV[7] ~= '' and ARGV[7] or NULL
  elseif r.status ~= 'confirmed' then
    return {}
  elseif isnull(r.attendedAt) then
    r.attendedAt, r.updatedAt = ARGV[7], ARGV[7]
  end
  save(EV, r)
  return { out(EV, r) }
end
-- Retention: the event's registrations, then each of their people left with no personal data anywhere.
function ops.eraseEvent()
  local erased, people, seen = 0, {}, {}
  for _, json in ipairs(redis.call('HVALS', EV.regs)) do
    local r = cjson.decode(json)
    if not seen[r.personId] then seen[r.personId] = true people[#people + 1] = r.personId end
    if isnull(r.erasedAt) then
      eraseRegistration(EV, r, ARGV[5])
      erased = erased + 1
    end
  end
  for _, pid in ipairs(people) do
    local kept = false
    for _, id in ipairs(redis.call('ZRANGE', personRegs(pid), 0, -1)) do
      local e = redis.call('HGET', G.eventOf, id)
      local r = e and load(eventKeys(e), id)
      if r and isnull(r.erasedAt) then kept = true break end
    end
    local json = not kept and redis.call('HGET', G.people, pid)
    local person = json and cjson.decode(json)
    if person and isnull(person.erasedAt) then erasePerson(person, ARGV[5]) end
  end
  return erased
end
function ops.deleteEvent()
  for _, json in ipairs(redis.call('HVALS', EV.regs)) do
    local r = cjson.decode(json)
    redis.call('HDEL', G.eventOf, r.id)
    redis.call('ZREM', personRegs(r.personId), r.id)
    redis.call('ZREM', G.offers, r.id)
    if holds(r.status) then hold(r, -1) end
  end
  redis.call('DEL', EV.regs, EV.active, EV.waiting, EV.tally, EV.settings)
end
function ops.erasePerson()
  local json = redis.call('HGET', G.people, ARGV[5])
  if not json then return 0 end
  erasePerson(cjson.decode(json), ARGV[6])
  for _, id in ipairs(redis.call('ZRANGE', personRegs(ARGV[5]), 0, -1)) do
    local e = redis.call('HGET', G.eventOf, id)
    local ev = e and eventKeys(e)
    local r = ev and load(ev, id)
    if r and isnull(r.erasedAt) then eraseRegistration(ev, r, ARGV[6]) end
  end
  return 1
end
-- Registrations with their positions, read in one step. ARGV: 5 'ids' (6… ids), 'person' (6 id), 'event' (6 id) or
-- 'active' (6 event id, 7 person id). Answers JSON, or false for an unknown id.
function ops.read()
  local ids
  if ARGV[5] == 'ids' then ids = { unpack(ARGV, 6) }
  elseif ARGV[5] == 'person' then ids = redis.call('ZRANGE', personRegs(ARGV[6]), 0, -1)
  elseif ARGV[5] == 'event' then ids = redis.call('HKEYS', eventKeys(ARGV[6]).regs)
  else ids = { redis.call('HGET', eventKeys(ARGV[6]).active, ARGV[7]) or nil } end
  local found = {}
  for i, id in ipairs(ids) do
    local e = redis.call('HGET', G.eventOf, id)
    local ev = e and eventKeys(e)
    local r = ev and load(ev, id)
    found[i] = r and out(ev, r) or false
  end
  return found
end
function ops.dueOffers()
  local found = {}
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', G.offers, '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[6]))) do
    found[#found + 1] = id
    found[#found + 1] = redis.call('HGET', G.eventOf, id)
  end
  return found
end
function ops.personByEmail()
  local pid = redis.call('HGET', G.byEmail, ARGV[5])
  return pid and redis.call('HGET', G.people, pid)
end
-- ARGV: 5 the person JSON ({email, name, language, now}), 6 the id of a new person.
function ops.ensurePerson()
  local i = cjson.decode(ARGV[5])
  local known = redis.call('HGET', G.byEmail, i.email)
  if known then return redis.call('HGET', G.people, known) end
  local person = { id = ARGV[6], email = i.email, name = i.name, language = i.language, createdAt = i.now, linkEpoch = 0, erasedAt = NULL }
  redis.call('HSET', G.byEmail, i.email, ARGV[6])
  local json = cjson.encode(person)
  redis.call('HSET', G.people, ARGV[6], json)
  return json
end
function ops.bumpLinkEpoch()
  local json = redis.call('HGET', G.people, ARGV[5])
  if not json then return false end
  local person = cjson.decode(json)
  person.linkEpoch = person.linkEpoch + 1
  redis.call('HSET', G.people, person.id, cjson.encode(person))
  return person.linkEpoch
end
return ops[ARGV[4]]()
`;
