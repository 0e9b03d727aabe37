import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event, Series } from '#shared/domain/event';
import type { AuditEntry, Invite, RoleGrant } from '#shared/domain/account';
import type { QuestionState } from '#shared/domain/question';
import type { AccountRecord, NewChatMessage, NewQuestion, QuestionRecord, SessionRecord, Store } from './store';

const series: Series[] = [{ id: 's1', title: 'Cycle Chili', summary: 'Documentaires' }];

function event(id: string, startsAt: string, endsAt: string, extra: Partial<Event> = {}): Event {
  return {
    id,
    kind: 'lecture',
    title: `Event ${id}`,
    summary: '',
    startsAt,
    endsAt,
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
    ...extra,
  };
}

const events: Event[] = [
  event('b', '2026-12-02T18:00:00.000Z', '2026-12-02T19:00:00.000Z', { kind: 'webinar', capacity: 100 }),
  event('a', '2026-12-01T18:00:00.000Z', '2026-12-01T20:00:00.000Z', {
    kind: 'cine_conference',
    seriesId: 's1',
    speakers: [{ name: 'Camila Fuentes', title: 'historienne' }],
    replayUrl: '/media/demo/master.m3u8',
    status: 'ended',
  }),
  event('c', '2026-12-05T09:00:00.000Z', '2026-12-05T10:30:00.000Z', { kind: 'workshop', streamUrl: 'https://x/y.m3u8' }),
];

function chat(eventId: string, authorId: string, clientId: string, text = 'bonjour'): NewChatMessage {
  return {
    eventId,
    author: { id: authorId, displayName: authorId.toUpperCase(), role: 'guest' },
    text,
    clientId,
    sentAt: '2026-11-25T10:00:00.000Z',
  };
}

function account(id: string, email: string | null, extra: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    email,
    displayName: `Person ${id}`,
    passwordHash: email === null ? null : `scrypt$${id}`,
    isAdmin: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    ...extra,
  };
}

function grant(eventId: string, userId: string, role: RoleGrant['role'], grantedAt = '2026-11-25T09:00:00.000Z'): RoleGrant {
  return { eventId, userId, displayName: `Person ${userId}`, role, grantedAt };
}

function session(id: string, userId: string, extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId,
    tokenHash: `hash-${id}-0`,
    createdAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-12-25T09:00:00.000Z',
    ...extra,
  };
}

function invite(id: string, eventId: string, extra: Partial<Invite> = {}): Invite {
  return {
    id,
    eventId,
    role: 'speaker',
    createdBy: 'admin',
    createdAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-12-02T09:00:00.000Z',
    revokedAt: null,
    usedBy: null,
    usedAt: null,
    ...extra,
  };
}

function audit(id: string, at: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at,
    actor: { id: 'admin', displayName: 'Admin' },
    action: 'event.create',
    target: `event:${id}`,
    details: {},
    ...extra,
  };
}

function newQuestion(eventId: string, authorId: string, clientId: string, extra: Partial<NewQuestion> = {}): NewQuestion {
  return {
    eventId,
    text: `Question de ${authorId} (${clientId})`,
    anonymous: false,
    author: { id: authorId, displayName: authorId.toUpperCase() },
    clientId,
    state: 'approved',
    createdAt: '2026-11-25T10:00:00.000Z',
    ...extra,
  };
}

const ANY_STATE: readonly QuestionState[] = ['pending', 'approved', 'live', 'answered', 'rejected', 'merged'];

/** Whole seconds from now, as in a JWT: revocations are kept by the wall clock, whatever instants a test uses. */
const secondsFromNow = (s: number) => Math.floor(Date.now() / 1000) + s;

/**
 * The behaviour every Store must have. Each implementation runs this suite against a real database; there are no
 * mock stores.
 *
 * Where the port's comments leave a choice open, this suite pins the reading both stores implement:
 * - clearAll (the demo reset) removes events, series, chat, and the roles and invites of events; it keeps meta,
 *   accounts, sessions, token revocations and the audit log, so that a reset never locks an admin out.
 * - Instants are compared and ordered as instants, not as text: "…10:00:00Z" equals "…10:00:00.000Z". A session or
 *   an invite is expired from its `expiresAt` on (at that instant it no longer works).
 * - createAccount never overwrites: a taken id answers false too. Emails are stored lower-case; null emails (people
 *   who came by invitation) are not unique.
 * - revokeToken's `expiresAt` is a JWT `exp` in seconds. The port gives no `now` there, so the wall clock decides:
 *   a revocation is kept until that instant and one already expired is not recorded. revokeTokensOf's cutoff only
 *   ever moves forward, in whole seconds.
 * - revokeInvite answers true only when it revokes: false for an unknown invite, one already revoked (the first
 *   revokedAt stands) or one already used.
 * - listRoles lists oldest grant first, listInvites oldest invite first (ties by user or invite id). listAudit lists
 *   newest first, entries of the same millisecond last appended first; an entry id appended again is kept as first
 *   written; `before` is exclusive. Limits ≤ 0 (chat and audit) read nothing.
 * - deleteEvent also clears the chat, questions, roles and invites of an id that has no event (and answers false).
 * - Questions are listed oldest first, ties by id. Setting a question live moves the event's previous live question
 *   to answered (with `answeredAt` the same instant) in the same atomic step: never refused for that reason.
 */
export function storeContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    describe('programme', () => {
      beforeEach(async () => {
        await store.saveProgramme(series, events);
      });

      it('lists events by start time with every field intact', async () => {
        const listed = await store.listEvents({});
        expect(listed.map((e) => e.id)).toEqual(['a', 'b', 'c']);
        expect(listed[0]).toEqual(events[1]);
        expect(await store.getEvent('b')).toEqual(events[0]);
        expect(await store.getEvent('zzz')).toBeUndefined();
      });

      it('filters by kind, series and the time window an event overlaps', async () => {
        expect((await store.listEvents({ kind: 'workshop' })).map((e) => e.id)).toEqual(['c']);
        expect((await store.listEvents({ series: 's1' })).map((e) => e.id)).toEqual(['a']);
        expect(
          (await store.listEvents({ from: '2026-12-01T19:00:00.000Z', to: '2026-12-02T18:30:00.000Z' })).map((e) => e.id),
        ).toEqual(['a', 'b']);
        expect((await store.listEvents({ from: '2026-12-03T00:00:00.000Z' })).map((e) => e.id)).toEqual(['c']);
      });

      it('replaces an event saved again under the same id and keeps series', async () => {
        await store.saveProgramme([], [{ ...events[0]!, title: 'Nouveau titre', status: 'cancelled' }]);
        expect(await store.getEvent('b')).toMatchObject({ title: 'Nouveau titre', status: 'cancelled', capacity: 100 });
        expect(await store.listSeries()).toEqual(series);
      });

      it('keeps the unlisted flag of an event, and drops it when the event is listed again', async () => {
        await store.saveProgramme([], [{ ...events[0]!, unlisted: true }]);
        expect(await store.getEvent('b')).toEqual({ ...events[0]!, unlisted: true });
        // The store lists every event: leaving unlisted ones out of the programme is the programme's rule.
        expect((await store.listEvents({})).find((e) => e.id === 'b')).toEqual({ ...events[0]!, unlisted: true });
        await store.saveProgramme([], [events[0]!]);
        expect(await store.getEvent('b')).toEqual(events[0]);
      });

      it('lists the events that start by `to` when only `to` is given', async () => {
        // b starts exactly at `to`: the bound is inclusive.
        expect((await store.listEvents({ to: '2026-12-02T18:00:00.000Z' })).map((e) => e.id)).toEqual(['a', 'b']);
        expect(await store.listEvents({ to: '2026-11-30T00:00:00.000Z' })).toEqual([]);
      });

      it('clears the programme, chat, roles and invites on reset', async () => {
        await store.appendChat(chat('a', 'u1', 'c1'));
        await store.grantRole(grant('a', 'm1', 'moderator'));
        await store.createInvite(invite('i1', 'a'));
        await store.clearAll();
        expect(await store.listEvents({})).toEqual([]);
        expect(await store.listSeries()).toEqual([]);
        expect(await store.lastChatOffset('a')).toBe(0);
        expect(await store.chatTail('a', 10)).toEqual([]);
        expect(await store.roleIn('a', 'm1')).toBeUndefined();
        expect(await store.listRoles('a')).toEqual([]);
        expect(await store.getInvite('i1')).toBeUndefined();
        expect(await store.listInvites('a')).toEqual([]);
      });

      // The demo reset must not lock an admin out: people, their sign-ins and the audit log outlive the programme.
      it('keeps meta, accounts, sessions, revocations and the audit log through a reset', async () => {
        await store.setMeta('programme.source', 'demo');
        const admin = account('admin', 'admin@bibliotheque.example', { isAdmin: true });
        await store.createAccount(admin);
        await store.createSession(session('s1', 'admin'));
        await store.revokeToken('jti-1', secondsFromNow(3600));
        await store.revokeTokensOf('admin', 1_700_000_000);
        const entry = audit('au1', '2026-11-25T09:00:00.000Z', { details: { reason: 'demo' } });
        await store.appendAudit(entry);

        await store.clearAll();

        expect(await store.getMeta('programme.source')).toBe('demo');
        expect(await store.getAccount('admin')).toEqual(admin);
        expect(await store.getAccountByEmail('admin@bibliotheque.example')).toEqual(admin);
        expect(await store.countAdmins()).toBe(1);
        expect(await store.createAccount(account('other', 'admin@bibliotheque.example'))).toBe(false);
        const rotated = await store.rotateSession(
          's1',
          'hash-s1-0',
          { tokenHash: 'hash-s1-1', expiresAt: '2026-12-26T09:00:00.000Z' },
          '2026-11-26T09:00:00.000Z',
        );
        expect(rotated?.tokenHash).toBe('hash-s1-1');
        expect(await store.isTokenRevoked('jti-1')).toBe(true);
        expect(await store.tokensRevokedBefore('admin')).toBe(1_700_000_000);
        expect(await store.listAudit({ limit: 10 })).toEqual([entry]);
      });

      it('deletes an event with its chat, roles and invites, and nothing of another event', async () => {
        for (const id of ['a', 'b']) {
          await store.appendChat(chat(id, 'u1', 'c1'));
          await store.appendChat(chat(id, 'u2', 'c1'));
          await store.grantRole(grant(id, 'm1', 'moderator'));
          await store.createInvite(invite(`invite-${id}`, id));
        }

        expect(await store.deleteEvent('a')).toBe(true);

        expect(await store.getEvent('a')).toBeUndefined();
        expect((await store.listEvents({})).map((e) => e.id)).toEqual(['b', 'c']);
        expect(await store.listEvents({ series: 's1' })).toEqual([]);
        expect(await store.chatTail('a', 10)).toEqual([]);
        expect(await store.lastChatOffset('a')).toBe(0);
        expect(await store.roleIn('a', 'm1')).toBeUndefined();
        expect(await store.listRoles('a')).toEqual([]);
        expect(await store.getInvite('invite-a')).toBeUndefined();
        expect(await store.listInvites('a')).toEqual([]);

        expect(await store.getEvent('b')).toEqual(events[0]);
        expect(await store.chatTail('b', 10)).toHaveLength(2);
        expect(await store.roleIn('b', 'm1')).toBe('moderator');
        expect(await store.listInvites('b')).toEqual([invite('invite-b', 'b')]);
        expect(await store.listSeries()).toEqual(series);

        // A new event under the same id starts afresh: its chat begins at offset 1 again, and idempotency is reset.
        expect((await store.appendChat(chat('a', 'u1', 'c1'))).message.offset).toBe(1);
        expect(await store.deleteEvent('a')).toBe(false);
        expect(await store.deleteEvent('zzz')).toBe(false);
      });

      it('deletes a series and keeps its events, without a series', async () => {
        expect(await store.deleteSeries('s1')).toBe(true);

        expect(await store.listSeries()).toEqual([]);
        const { seriesId: _dropped, ...unlinked } = events[1]!;
        expect(await store.getEvent('a')).toEqual(unlinked);
        expect((await store.listEvents({})).map((e) => e.id)).toEqual(['a', 'b', 'c']);
        expect(await store.listEvents({ series: 's1' })).toEqual([]);
        expect(await store.getEvent('b')).toEqual(events[0]);
        expect(await store.deleteSeries('s1')).toBe(false);
        expect(await store.deleteSeries('zzz')).toBe(false);

        // A series created again under the same id does not take the old events back.
        await store.saveProgramme(series, []);
        expect(await store.listEvents({ series: 's1' })).toEqual([]);
      });
    });

    describe('chat', () => {
      it('gives each event its own strictly growing offsets', async () => {
        const a1 = await store.appendChat(chat('a', 'u1', 'c1'));
        const a2 = await store.appendChat(chat('a', 'u2', 'c1'));
        const b1 = await store.appendChat(chat('b', 'u1', 'c2'));
        expect([a1.message.offset, a2.message.offset, b1.message.offset]).toEqual([1, 2, 1]);
        expect(a1.created && a2.created && b1.created).toBe(true);
        expect(await store.lastChatOffset('a')).toBe(2);
        expect(await store.lastChatOffset('nothing')).toBe(0);
      });

      it('returns the first message when an author repeats a clientId', async () => {
        const first = await store.appendChat(chat('a', 'u1', 'same', 'une fois'));
        const again = await store.appendChat(chat('a', 'u1', 'same', 'deux fois ?'));
        expect(again).toEqual({ message: first.message, created: false });
        expect(await store.chatTail('a', 10)).toHaveLength(1);
      });

      it('keeps concurrent appends distinct and ordered', async () => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => store.appendChat(chat('a', `u${i % 5}`, `k${i}`, `m${i}`))),
        );
        const offsets = results.map((r) => r.message.offset).sort((x, y) => x - y);
        expect(new Set(offsets).size).toBe(50);
        expect(offsets.at(-1)).toBe(await store.lastChatOffset('a'));
      });

      it('reads the messages after an offset and the newest ones, oldest first', async () => {
        for (let i = 1; i <= 10; i++) await store.appendChat(chat('a', 'u1', `k${i}`, `m${i}`));
        expect((await store.chatAfter('a', 7, 100)).map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
        expect((await store.chatAfter('a', 2, 3)).map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
        expect((await store.chatAfter('a', 10, 100))).toEqual([]);
        expect((await store.chatTail('a', 3)).map((m) => m.text)).toEqual(['m8', 'm9', 'm10']);
        const [m] = await store.chatTail('a', 1);
        expect(m).toMatchObject({
          eventId: 'a',
          offset: 10,
          author: { id: 'u1', displayName: 'U1', role: 'guest' },
          clientId: 'k10',
          sentAt: '2026-11-25T10:00:00.000Z',
        });
        expect(typeof m!.id).toBe('string');
      });

      it('reads nothing when asked for no messages or fewer than none', async () => {
        for (let i = 1; i <= 3; i++) await store.appendChat(chat('a', 'u1', `k${i}`));
        expect(await store.chatAfter('a', 0, 0)).toEqual([]);
        expect(await store.chatAfter('a', 0, -1)).toEqual([]);
        expect(await store.chatTail('a', 0)).toEqual([]);
        expect(await store.chatTail('a', -1)).toEqual([]);
      });
    });

    describe('accounts', () => {
      it('keeps an account with every field, found by id and by email in any case', async () => {
        const ana = account('u1', 'Ana.Lopez@Bibliotheque.example', { isAdmin: true });
        expect(await store.createAccount(ana)).toBe(true);
        const stored = { ...ana, email: 'ana.lopez@bibliotheque.example' };
        expect(await store.getAccount('u1')).toEqual(stored);
        expect(await store.getAccountByEmail('ana.lopez@bibliotheque.example')).toEqual(stored);
        expect(await store.getAccountByEmail('ANA.LOPEZ@BIBLIOTHEQUE.EXAMPLE')).toEqual(stored);
        expect(await store.getAccount('nobody')).toBeUndefined();
        expect(await store.getAccountByEmail('nobody@bibliotheque.example')).toBeUndefined();
      });

      it('refuses an email already taken, in any case, and an id already taken, changing nothing', async () => {
        const first = account('u1', 'ana@bibliotheque.example');
        await store.createAccount(first);
        expect(await store.createAccount(account('u2', 'ANA@Bibliotheque.Example'))).toBe(false);
        expect(await store.createAccount(account('u1', 'other@bibliotheque.example', { isAdmin: true }))).toBe(false);
        expect(await store.getAccount('u1')).toEqual(first);
        expect(await store.getAccount('u2')).toBeUndefined();
        expect(await store.getAccountByEmail('other@bibliotheque.example')).toBeUndefined();
        expect(await store.countAdmins()).toBe(0);
      });

      it('gives only one of several concurrent sign-ups the same email', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.createAccount(account(`u${i}`, i % 2 ? 'same@x.example' : 'SAME@x.example'))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = `u${results.indexOf(true)}`;
        expect((await store.getAccountByEmail('same@x.example'))?.id).toBe(winner);
      });

      it('keeps any number of accounts without an email', async () => {
        expect(await store.createAccount(account('invited-1', null))).toBe(true);
        expect(await store.createAccount(account('invited-2', null))).toBe(true);
        expect(await store.getAccount('invited-2')).toEqual(account('invited-2', null));
        expect(await store.getAccountByEmail('')).toBeUndefined();
      });

      it('changes a password hash and ignores an unknown account', async () => {
        await store.createAccount(account('u1', 'ana@x.example'));
        await store.createAccount(account('u2', 'bob@x.example'));
        await store.setPasswordHash('u1', 'scrypt$new');
        expect(await store.getAccount('u1')).toEqual(account('u1', 'ana@x.example', { passwordHash: 'scrypt$new' }));
        expect(await store.getAccount('u2')).toEqual(account('u2', 'bob@x.example'));
        await store.setPasswordHash('nobody', 'scrypt$x');
        expect(await store.getAccount('nobody')).toBeUndefined();
      });

      it('keeps names and hashes byte for byte through a password change', async () => {
        // Base64 hashes carry '/' and '+'; names carry accents, quotes and line separators.
        const zoe = account('u1', null, { displayName: 'Zoé « l\'Ω » "\u2028" \\ 📚', passwordHash: null, isAdmin: true });
        await store.createAccount(zoe);
        await store.setPasswordHash('u1', 'scrypt$16384$8$1$c2Fs/dA+Zw==$aGFz/aA+/w==');
        expect(await store.getAccount('u1')).toEqual({ ...zoe, passwordHash: 'scrypt$16384$8$1$c2Fs/dA+Zw==$aGFz/aA+/w==' });
      });

      it('counts the admins', async () => {
        expect(await store.countAdmins()).toBe(0);
        await store.createAccount(account('u1', 'a@x.example', { isAdmin: true }));
        await store.createAccount(account('u2', 'b@x.example'));
        await store.createAccount(account('u3', 'c@x.example', { isAdmin: true }));
        await store.createAccount(account('u4', 'a@x.example', { isAdmin: true }));
        expect(await store.countAdmins()).toBe(2);
      });
    });

    describe('roles', () => {
      it('holds a role in one event only', async () => {
        await store.grantRole(grant('a', 'm1', 'moderator'));
        expect(await store.roleIn('a', 'm1')).toBe('moderator');
        expect(await store.roleIn('b', 'm1')).toBeUndefined();
        expect(await store.roleIn('a', 'someone-else')).toBeUndefined();
        expect(await store.listRoles('b')).toEqual([]);
      });

      it('replaces a role granted again', async () => {
        await store.grantRole(grant('a', 'p1', 'moderator'));
        const again = { ...grant('a', 'p1', 'speaker', '2026-11-26T09:00:00.000Z'), displayName: 'Camila F.' };
        await store.grantRole(again);
        expect(await store.roleIn('a', 'p1')).toBe('speaker');
        expect(await store.listRoles('a')).toEqual([again]);
      });

      it('revokes a role held, and answers false when none is held', async () => {
        await store.grantRole(grant('a', 'm1', 'moderator'));
        await store.grantRole(grant('b', 'm1', 'moderator'));
        expect(await store.revokeRole('a', 'm1')).toBe(true);
        expect(await store.roleIn('a', 'm1')).toBeUndefined();
        expect(await store.revokeRole('a', 'm1')).toBe(false);
        expect(await store.revokeRole('c', 'nobody')).toBe(false);
        expect(await store.roleIn('b', 'm1')).toBe('moderator');
      });

      it("lists an event's roles, oldest grant first", async () => {
        const speaker = grant('a', 's1', 'speaker', '2026-11-25T10:00:00.000Z');
        const moderator = grant('a', 'm1', 'moderator', '2026-11-25T09:00:00Z');
        await store.grantRole(speaker);
        await store.grantRole(moderator);
        await store.grantRole(grant('b', 'x1', 'moderator'));
        expect(await store.listRoles('a')).toEqual([moderator, speaker]);
      });
    });

    describe('sessions', () => {
      const later = (hash: string, expiresAt = '2026-12-26T09:00:00.000Z') => ({ tokenHash: hash, expiresAt });
      const now = '2026-11-26T09:00:00.000Z';

      it('rotates once with the current hash, never with an old one', async () => {
        await store.createSession(session('s1', 'u1'));
        const rotated = await store.rotateSession('s1', 'hash-s1-0', later('hash-s1-1'), now);
        expect(rotated).toEqual(session('s1', 'u1', { tokenHash: 'hash-s1-1', expiresAt: '2026-12-26T09:00:00.000Z' }));
        // The old refresh token, replayed (stolen), is refused; the new one still works.
        expect(await store.rotateSession('s1', 'hash-s1-0', later('hash-thief'), now)).toBeUndefined();
        expect(await store.rotateSession('s1', 'hash-s1-1', later('hash-s1-2'), now)).toMatchObject({ tokenHash: 'hash-s1-2' });
        expect(await store.rotateSession('nope', 'hash-s1-2', later('x'), now)).toBeUndefined();
      });

      it('lets only one of concurrent rotations with the same hash through', async () => {
        await store.createSession(session('s1', 'u1'));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.rotateSession('s1', 'hash-s1-0', later(`next-${i}`), now)),
        );
        const won = results.filter((r) => r !== undefined);
        expect(won).toHaveLength(1);
        expect(await store.rotateSession('s1', won[0]!.tokenHash, later('after'), now)).toBeDefined();
      });

      it('refuses to rotate a session at or after its expiry, comparing instants, not text', async () => {
        await store.createSession(session('s1', 'u1', { expiresAt: '2026-12-01T10:00:00.500Z' }));
        // As text, "…10:00:00Z" sorts after "…10:00:00.500Z"; as instants it is half a second before.
        expect(await store.rotateSession('s1', 'hash-s1-0', later('h1'), '2026-12-01T10:00:00Z')).toBeDefined();
        await store.createSession(session('s2', 'u1', { expiresAt: '2026-12-01T10:00:00.000Z' }));
        expect(await store.rotateSession('s2', 'hash-s2-0', later('h2'), '2026-12-01T10:00:00Z')).toBeUndefined();
        expect(await store.rotateSession('s2', 'hash-s2-0', later('h2'), '2026-12-02T00:00:00.000Z')).toBeUndefined();
      });

      it('deletes one session, or every session of a person', async () => {
        for (const [id, user] of [['s1', 'u1'], ['s2', 'u1'], ['s3', 'u1'], ['s4', 'u2']] as const) {
          await store.createSession(session(id, user));
        }
        await store.deleteSession('s1');
        expect(await store.rotateSession('s1', 'hash-s1-0', later('x'), now)).toBeUndefined();
        expect(await store.rotateSession('s2', 'hash-s2-0', later('s2-1'), now)).toBeDefined();

        await store.deleteSessionsOf('u1');
        expect(await store.rotateSession('s2', 's2-1', later('x'), now)).toBeUndefined();
        expect(await store.rotateSession('s3', 'hash-s3-0', later('x'), now)).toBeUndefined();
        expect(await store.rotateSession('s4', 'hash-s4-0', later('x'), now)).toBeDefined();
        await store.deleteSessionsOf('nobody');
        await store.deleteSession('nothing');
      });
    });

    describe('token revocation', () => {
      it('refuses a single token by its jti until it expires', async () => {
        expect(await store.isTokenRevoked('jti-1')).toBe(false);
        await store.revokeToken('jti-1', secondsFromNow(3600));
        await store.revokeToken('jti-1', secondsFromNow(3600));
        expect(await store.isTokenRevoked('jti-1')).toBe(true);
        expect(await store.isTokenRevoked('jti-2')).toBe(false);
        // A token already expired is refused by its exp: there is nothing left to remember.
        await store.revokeToken('jti-old', secondsFromNow(-10));
        expect(await store.isTokenRevoked('jti-old')).toBe(false);
      });

      it("keeps each person's cutoff, 0 when never revoked, and never moves it back", async () => {
        expect(await store.tokensRevokedBefore('u1')).toBe(0);
        await store.revokeTokensOf('u1', 1_800_000_000);
        expect(await store.tokensRevokedBefore('u1')).toBe(1_800_000_000);
        expect(await store.tokensRevokedBefore('u2')).toBe(0);
        await store.revokeTokensOf('u1', 1_800_000_500);
        expect(await store.tokensRevokedBefore('u1')).toBe(1_800_000_500);
        // A late or replayed call with an older cutoff must not make revoked tokens valid again.
        await store.revokeTokensOf('u1', 1_700_000_000);
        expect(await store.tokensRevokedBefore('u1')).toBe(1_800_000_500);
      });
    });

    describe('invites', () => {
      const now = '2026-11-26T09:00:00.000Z';

      it("keeps an invite with every field and lists an event's invites, oldest first", async () => {
        const second = invite('i2', 'a', { role: 'moderator', createdAt: '2026-11-25T10:00:00.000Z' });
        const first = invite('i1', 'a');
        await store.createInvite(second);
        await store.createInvite(first);
        await store.createInvite(invite('i3', 'b'));
        expect(await store.getInvite('i2')).toEqual(second);
        expect(await store.getInvite('nope')).toBeUndefined();
        expect(await store.listInvites('a')).toEqual([first, second]);
        expect(await store.listInvites('c')).toEqual([]);
      });

      it('is used once, by the first of 20 people accepting it at the same time', async () => {
        await store.createInvite(invite('i1', 'a'));
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.useInvite('i1', `p${i}`, now)));
        const used = results.filter((r) => r !== undefined);
        expect(used).toHaveLength(1);
        expect(used[0]).toEqual(invite('i1', 'a', { usedBy: used[0]!.usedBy, usedAt: now }));
        expect(used[0]!.usedBy).toMatch(/^p\d+$/);
        expect(await store.getInvite('i1')).toEqual(used[0]);
        expect(await store.useInvite('i1', 'late', now)).toBeUndefined();
        expect(await store.useInvite('nope', 'p1', now)).toBeUndefined();
      });

      it('cannot be used once revoked', async () => {
        await store.createInvite(invite('i1', 'a'));
        expect(await store.revokeInvite('i1', now)).toBe(true);
        expect(await store.useInvite('i1', 'p1', now)).toBeUndefined();
        expect(await store.getInvite('i1')).toEqual(invite('i1', 'a', { revokedAt: now }));
        // Revoked already: the first revocation stands.
        expect(await store.revokeInvite('i1', '2026-11-27T09:00:00.000Z')).toBe(false);
        expect((await store.getInvite('i1'))?.revokedAt).toBe(now);
        expect(await store.revokeInvite('nope', now)).toBe(false);
      });

      it('keeps its fields byte for byte through use', async () => {
        await store.createInvite(invite('i/1', 'a/"é"', { createdBy: 'Zoé « \u2028 » 📚', role: 'moderator' }));
        const used = await store.useInvite('i/1', 'p/"1"', now);
        expect(used).toEqual(invite('i/1', 'a/"é"', { createdBy: 'Zoé « \u2028 » 📚', role: 'moderator', usedBy: 'p/"1"', usedAt: now }));
        expect(await store.listInvites('a/"é"')).toEqual([used]);
      });

      it('cannot be revoked once used', async () => {
        await store.createInvite(invite('i1', 'a'));
        await store.useInvite('i1', 'p1', now);
        expect(await store.revokeInvite('i1', now)).toBe(false);
        expect(await store.getInvite('i1')).toMatchObject({ usedBy: 'p1', revokedAt: null });
      });

      it('cannot be used at or after its expiry, comparing instants, not text', async () => {
        await store.createInvite(invite('i1', 'a', { expiresAt: '2026-12-01T10:00:00.000Z' }));
        expect(await store.useInvite('i1', 'p1', '2026-12-01T10:00:00Z')).toBeUndefined();
        expect(await store.useInvite('i1', 'p1', '2026-12-02T00:00:00.000Z')).toBeUndefined();
        await store.createInvite(invite('i2', 'a', { expiresAt: '2026-12-01T10:00:00.500Z' }));
        expect(await store.useInvite('i2', 'p1', '2026-12-01T10:00:00Z')).toMatchObject({ usedBy: 'p1' });
      });
    });

    describe('audit log', () => {
      it('lists entries newest first with their details intact, at most `limit`', async () => {
        const entries = [
          audit('e2', '2026-11-25T10:00:00.000Z', { details: { title: 'Rencontre', seats: 30, tags: ['bd'], none: null } }),
          audit('e1', '2026-11-25T09:00:00.000Z', { action: 'invite.create', target: 'event:a' }),
          audit('e3', '2026-11-25T11:00:00Z', { actor: { id: 'u9', displayName: 'Zoé' } }),
        ];
        for (const e of entries) await store.appendAudit(e);
        expect(await store.listAudit({ limit: 10 })).toEqual([entries[2], entries[0], entries[1]]);
        expect(await store.listAudit({ limit: 2 })).toEqual([entries[2], entries[0]]);
        expect(await store.listAudit({ limit: 0 })).toEqual([]);
        expect(await store.listAudit({ limit: -1 })).toEqual([]);
      });

      it('pages with `before`, which excludes that instant', async () => {
        for (let i = 1; i <= 7; i++) await store.appendAudit(audit(`e${i}`, `2026-11-25T0${i}:00:00.000Z`));
        const page1 = await store.listAudit({ limit: 3 });
        const page2 = await store.listAudit({ limit: 3, before: page1.at(-1)!.at });
        const page3 = await store.listAudit({ limit: 3, before: page2.at(-1)!.at });
        expect([page1, page2, page3].map((p) => p.map((e) => e.id))).toEqual([['e7', 'e6', 'e5'], ['e4', 'e3', 'e2'], ['e1']]);
        expect(await store.listAudit({ limit: 3, before: '2026-11-25T01:00:00Z' })).toEqual([]);
        expect((await store.listAudit({ limit: 3, before: '2026-11-25T05:30:00Z' })).map((e) => e.id)).toEqual(['e5', 'e4', 'e3']);
      });

      it('lists entries of the same instant last appended first, and keeps an id once', async () => {
        const at = '2026-11-25T10:00:00.000Z';
        for (const id of ['z', 'a', 'm']) await store.appendAudit(audit(id, at));
        await store.appendAudit(audit('a', '2026-11-25T12:00:00.000Z', { action: 'again' }));
        expect((await store.listAudit({ limit: 10 })).map((e) => e.id)).toEqual(['m', 'a', 'z']);
        expect((await store.listAudit({ limit: 10 }))[1]).toEqual(audit('a', at));
      });
    });

    describe('questions', () => {
      const ask = async (authorId: string, clientId: string, extra: Partial<NewQuestion> = {}): Promise<QuestionRecord> =>
        (await store.askQuestion(newQuestion('e', authorId, clientId, extra))).question;

      it('stores a question with every field and finds it by id and in the list', async () => {
        const { question, created } = await store.askQuestion(
          newQuestion('e', 'u1', 'c1', { text: 'Où trouvez-vous vos idées ?', anonymous: true, state: 'pending' }),
        );
        expect(created).toBe(true);
        expect(question).toEqual({
          id: question.id,
          eventId: 'e',
          text: 'Où trouvez-vous vos idées ?',
          anonymous: true,
          author: { id: 'u1', displayName: 'U1' },
          clientId: 'c1',
          state: 'pending',
          votes: 0,
          starred: false,
          position: null,
          createdAt: '2026-11-25T10:00:00.000Z',
          liveAt: null,
          answeredAt: null,
          rejectedReason: null,
          mergedInto: null,
        });
        expect(await store.getQuestion('e', question.id)).toEqual(question);
        expect(await store.listQuestions('e')).toEqual([question]);
        expect(await store.getQuestion('other', question.id)).toBeUndefined();
        expect(await store.listQuestions('other')).toEqual([]);
      });

      it('returns the first question when an author repeats a clientId, even concurrently', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.askQuestion(newQuestion('e', 'u1', 'same', { text: `try ${i}` }))),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const first = results.find((r) => r.created)!.question;
        for (const r of results) expect(r.question).toEqual(first);
        await ask('u2', 'same');
        expect(await store.listQuestions('e')).toHaveLength(2);
      });

      it('lists questions oldest first', async () => {
        const late = await ask('u1', 'c1', { createdAt: '2026-11-25T10:05:00.000Z' });
        const early = await ask('u2', 'c2', { createdAt: '2026-11-25T10:01:00Z' });
        expect((await store.listQuestions('e')).map((q) => q.id)).toEqual([early.id, late.id]);
      });

      it('counts one vote per person, withdraws it, and tells whether anything changed', async () => {
        const q = await ask('u1', 'c1');
        expect(await store.vote('e', q.id, 'v1', true)).toMatchObject({ outcome: 'counted', changed: true, question: { votes: 1 } });
        expect(await store.vote('e', q.id, 'v1', true)).toMatchObject({ outcome: 'counted', changed: false, question: { votes: 1 } });
        expect(await store.vote('e', q.id, 'v2', true)).toMatchObject({ changed: true, question: { votes: 2 } });
        expect(await store.votesBy('e', 'v1')).toEqual([q.id]);
        expect(await store.vote('e', q.id, 'v1', false)).toMatchObject({ changed: true, question: { votes: 1 } });
        expect(await store.vote('e', q.id, 'v1', false)).toMatchObject({ changed: false, question: { votes: 1 } });
        expect(await store.votesBy('e', 'v1')).toEqual([]);
        expect(await store.votesBy('e', 'v2')).toEqual([q.id]);
        expect((await store.getQuestion('e', q.id))!.votes).toBe(1);
        expect(await store.vote('e', 'nope', 'v1', true)).toEqual({ outcome: 'not-found' });
      });

      it('refuses votes on questions that are not approved or live', async () => {
        const pending = await ask('u1', 'c1', { state: 'pending' });
        expect(await store.vote('e', pending.id, 'v1', true)).toEqual({ outcome: 'closed', question: pending });
        expect(await store.votesBy('e', 'v1')).toEqual([]);
        const q = await ask('u1', 'c2');
        await store.setQuestionState('e', q.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:10:00.000Z' });
        expect(await store.vote('e', q.id, 'v1', true)).toMatchObject({ outcome: 'counted', question: { votes: 1 } });
        await store.setQuestionState('e', q.id, { to: 'answered', from: ['live'], at: '2026-11-25T10:20:00.000Z' });
        expect(await store.vote('e', q.id, 'v2', true)).toMatchObject({ outcome: 'closed', question: { votes: 1 } });
      });

      it('counts 200 concurrent votes by distinct people as 200, and a person voting twice once', async () => {
        const q = await ask('u1', 'c1');
        const results = await Promise.all([
          ...Array.from({ length: 200 }, (_, i) => store.vote('e', q.id, `v${i}`, true)),
          ...Array.from({ length: 20 }, () => store.vote('e', q.id, 'v0', true)),
        ]);
        expect(results.filter((r) => r.outcome === 'counted' && r.changed)).toHaveLength(200);
        expect((await store.getQuestion('e', q.id))!.votes).toBe(200);
      });

      it('moves a question through its states, recording when it went live and was answered', async () => {
        const q = await ask('u1', 'c1', { state: 'pending' });
        const approved = await store.setQuestionState('e', q.id, { to: 'approved', from: ['pending'], at: '2026-11-25T10:01:00.000Z' });
        expect(approved).toMatchObject({ outcome: 'changed', question: { state: 'approved', liveAt: null }, previous: 'pending' });
        const live = await store.setQuestionState('e', q.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:02:00.000Z' });
        expect(live).toEqual({
          outcome: 'changed',
          question: { ...q, state: 'live', liveAt: '2026-11-25T10:02:00.000Z' },
          previous: 'approved',
        });
        const answered = await store.setQuestionState('e', q.id, { to: 'answered', from: ['live'], at: '2026-11-25T10:09:00.000Z' });
        expect(answered).toMatchObject({ question: { state: 'answered', liveAt: '2026-11-25T10:02:00.000Z', answeredAt: '2026-11-25T10:09:00.000Z' } });
        expect(await store.setQuestionState('e', q.id, { to: 'approved', from: ['pending'], at: '2026-11-25T10:10:00.000Z' })).toMatchObject({
          outcome: 'refused',
          question: { state: 'answered' },
        });
        expect(await store.setQuestionState('e', 'nope', { to: 'approved', from: ANY_STATE, at: '2026-11-25T10:10:00.000Z' })).toEqual({
          outcome: 'not-found',
        });
      });

      it('keeps the reason of a rejection', async () => {
        const q = await ask('u1', 'c1', { state: 'pending' });
        const r = await store.setQuestionState('e', q.id, { to: 'rejected', from: ['pending'], at: '2026-11-25T10:01:00.000Z', reason: 'Hors sujet' });
        expect(r).toMatchObject({ outcome: 'changed', question: { state: 'rejected', rejectedReason: 'Hors sujet' } });
        const q2 = await ask('u1', 'c2', { state: 'pending' });
        const r2 = await store.setQuestionState('e', q2.id, { to: 'rejected', from: ['pending'], at: '2026-11-25T10:01:00.000Z' });
        expect(r2).toMatchObject({ question: { rejectedReason: null } });
      });

      it('keeps at most one live question: the previous one becomes answered, even under concurrency', async () => {
        const qs = await Promise.all(Array.from({ length: 10 }, (_, i) => ask('u1', `c${i}`)));
        const first = await store.setQuestionState('e', qs[0]!.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:01:00.000Z' });
        const second = await store.setQuestionState('e', qs[1]!.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:02:00.000Z' });
        expect(first).not.toHaveProperty('answered');
        expect(second).toMatchObject({
          outcome: 'changed',
          answered: { id: qs[0]!.id, state: 'answered', answeredAt: '2026-11-25T10:02:00.000Z' },
        });
        await Promise.all(
          qs.slice(2).map((q) => store.setQuestionState('e', q.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:03:00.000Z' })),
        );
        const all = await store.listQuestions('e');
        expect(all.filter((q) => q.state === 'live')).toHaveLength(1);
        expect(all.filter((q) => q.state === 'answered')).toHaveLength(9);
        // Another event's live question is not touched.
        const other = (await store.askQuestion(newQuestion('f', 'u1', 'c1'))).question;
        await store.setQuestionState('f', other.id, { to: 'live', from: ['approved'], at: '2026-11-25T10:04:00.000Z' });
        expect((await store.listQuestions('e')).filter((q) => q.state === 'live')).toHaveLength(1);
      });

      it('merges a question, counting a person who voted for both once', async () => {
        const from = await ask('u1', 'c1');
        const into = await ask('u2', 'c2');
        for (const v of ['a', 'b', 'c']) await store.vote('e', from.id, v, true);
        for (const v of ['c', 'd']) await store.vote('e', into.id, v, true);
        const allowed = { from: ['pending', 'approved'] as QuestionState[], into: ['pending', 'approved', 'live', 'answered'] as QuestionState[] };
        const merged = await store.mergeQuestion('e', from.id, into.id, allowed);
        expect(merged).toMatchObject({
          outcome: 'merged',
          previous: 'approved',
          from: { id: from.id, state: 'merged', mergedInto: into.id, votes: 3 },
          into: { id: into.id, state: 'approved', votes: 4 },
        });
        expect(await store.votesBy('e', 'a')).toEqual([from.id, into.id].sort());
        // Merged questions take no more votes, and a merge is not repeated.
        expect(await store.vote('e', from.id, 'z', true)).toMatchObject({ outcome: 'closed' });
        expect(await store.mergeQuestion('e', from.id, into.id, allowed)).toMatchObject({ outcome: 'refused' });
        expect(await store.mergeQuestion('e', into.id, into.id, allowed)).toMatchObject({ outcome: 'refused' });
        expect(await store.mergeQuestion('e', 'nope', into.id, allowed)).toEqual({ outcome: 'not-found' });
      });

      it('edits the text, stars and places a question in the queue', async () => {
        const q = await ask('u1', 'c1');
        expect(await store.updateQuestion('e', q.id, { text: 'Texte corrigé' })).toEqual({ ...q, text: 'Texte corrigé' });
        expect(await store.updateQuestion('e', q.id, { starred: true, position: 3 })).toEqual({
          ...q,
          text: 'Texte corrigé',
          starred: true,
          position: 3,
        });
        expect(await store.updateQuestion('e', q.id, { position: null })).toMatchObject({ starred: true, position: null });
        expect(await store.updateQuestion('e', 'nope', { starred: true })).toBeUndefined();
      });

      it('goes with its event when the event is deleted or the programme reset', async () => {
        await store.saveProgramme([], [event('e', '2026-12-01T18:00:00.000Z', '2026-12-01T19:00:00.000Z')]);
        const q = await ask('u1', 'c1');
        await store.vote('e', q.id, 'v1', true);
        expect(await store.deleteEvent('e')).toBe(true);
        expect(await store.listQuestions('e')).toEqual([]);
        expect(await store.votesBy('e', 'v1')).toEqual([]);
        // The same clientId may be used again: the idempotency record went too.
        expect((await store.askQuestion(newQuestion('e', 'u1', 'c1'))).created).toBe(true);
        await store.clearAll();
        expect(await store.listQuestions('e')).toEqual([]);
      });
    });

    describe('meta', () => {
      it('keeps and overwrites values', async () => {
        expect(await store.getMeta('k')).toBeUndefined();
        await store.setMeta('k', 'v1');
        await store.setMeta('k', 'v2');
        expect(await store.getMeta('k')).toBe('v2');
      });
    });
  });
}
