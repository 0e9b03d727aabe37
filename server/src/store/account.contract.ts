import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';
import { account, grant, invite, secondsFromNow, session } from './contract-fixtures';

/**
 * The behaviour of `store.accounts` on every store (see account-store.ts), where the port leaves a choice open:
 * - Instants are compared and ordered as instants, not as text: "…10:00:00Z" equals "…10:00:00.000Z". A session or
 *   an invite is expired from its `expiresAt` on (at that instant it no longer works).
 * - createAccount never overwrites: a taken id answers false too. Emails are stored lower-case; null emails (people
 *   who came by invitation) are not unique.
 * - revokeToken's `expiresAt` is a JWT `exp` in seconds. The port gives no `now` there, so the wall clock decides:
 *   a revocation is kept until that instant and one already expired is not recorded. revokeTokensOf's cutoff only
 *   ever moves forward, in whole seconds.
 * - revokeInvite answers true only when it revokes: false for an unknown invite, one already revoked (the first
 *   revokedAt stands) or one already used.
 * - listRoles lists oldest grant first, listInvites oldest invite first (ties by user or invite id).
 */
export function accountContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Account store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    describe('accounts', () => {
      it('keeps an account with every field, found by id and by email in any case', async () => {
        const ana = account('u1', 'Ana.Lopez@Bibliotheque.example', { isAdmin: true });
        expect(await store.accounts.createAccount(ana)).toBe(true);
        const stored = { ...ana, email: 'ana.lopez@bibliotheque.example' };
        expect(await store.accounts.getAccount('u1')).toEqual(stored);
        expect(await store.accounts.getAccountByEmail('ana.lopez@bibliotheque.example')).toEqual(stored);
        expect(await store.accounts.getAccountByEmail('ANA.LOPEZ@BIBLIOTHEQUE.EXAMPLE')).toEqual(stored);
        expect(await store.accounts.getAccount('nobody')).toBeUndefined();
        expect(await store.accounts.getAccountByEmail('nobody@bibliotheque.example')).toBeUndefined();
      });

      it('refuses an email already taken, in any case, and an id already taken, changing nothing', async () => {
        const first = account('u1', 'ana@bibliotheque.example');
        await store.accounts.createAccount(first);
        expect(await store.accounts.createAccount(account('u2', 'ANA@Bibliotheque.Example'))).toBe(false);
        expect(await store.accounts.createAccount(account('u1', 'other@bibliotheque.example', { isAdmin: true }))).toBe(false);
        expect(await store.accounts.getAccount('u1')).toEqual(first);
        expect(await store.accounts.getAccount('u2')).toBeUndefined();
        expect(await store.accounts.getAccountByEmail('other@bibliotheque.example')).toBeUndefined();
        expect(await store.accounts.countAdmins()).toBe(0);
      });

      it('gives only one of several concurrent sign-ups the same email', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.accounts.createAccount(account(`u${i}`, i % 2 ? 'same@x.example' : 'SAME@x.example'))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = `u${results.indexOf(true)}`;
        expect((await store.accounts.getAccountByEmail('same@x.example'))?.id).toBe(winner);
      });

      it('keeps any number of accounts without an email', async () => {
        expect(await store.accounts.createAccount(account('invited-1', null))).toBe(true);
        expect(await store.accounts.createAccount(account('invited-2', null))).toBe(true);
        expect(await store.accounts.getAccount('invited-2')).toEqual(account('invited-2', null));
        expect(await store.accounts.getAccountByEmail('')).toBeUndefined();
      });

      it('changes a password hash and ignores an unknown account', async () => {
        await store.accounts.createAccount(account('u1', 'ana@x.example'));
        await store.accounts.createAccount(account('u2', 'bob@x.example'));
        await store.accounts.setPasswordHash('u1', 'scrypt$new');
        expect(await store.accounts.getAccount('u1')).toEqual(account('u1', 'ana@x.example', { passwordHash: 'scrypt$new' }));
        expect(await store.accounts.getAccount('u2')).toEqual(account('u2', 'bob@x.example'));
        await store.accounts.setPasswordHash('nobody', 'scrypt$x');
        expect(await store.accounts.getAccount('nobody')).toBeUndefined();
      });

      it('keeps names and hashes byte for byte through a password change', async () => {
        // Base64 hashes carry '/' and '+'; names carry accents, quotes and line separators.
        const zoe = account('u1', null, { displayName: 'Zoé « l\'Ω » "\u2028" \\ 📚', passwordHash: null, isAdmin: true });
        await store.accounts.createAccount(zoe);
        await store.accounts.setPasswordHash('u1', 'scrypt$16384$8$1$c2Fs/dA+Zw==$aGFz/aA+/w==');
        expect(await store.accounts.getAccount('u1')).toEqual({ ...zoe, passwordHash: 'scrypt$16384$8$1$c2Fs/dA+Zw==$aGFz/aA+/w==' });
      });

      it('counts the admins', async () => {
        expect(await store.accounts.countAdmins()).toBe(0);
        await store.accounts.createAccount(account('u1', 'a@x.example', { isAdmin: true }));
        await store.accounts.createAccount(account('u2', 'b@x.example'));
        await store.accounts.createAccount(account('u3', 'c@x.example', { isAdmin: true }));
        await store.accounts.createAccount(account('u4', 'a@x.example', { isAdmin: true }));
        expect(await store.accounts.countAdmins()).toBe(2);
      });
    });

    describe('roles', () => {
      it('holds a role in one event only', async () => {
        await store.accounts.grantRole(grant('a', 'm1', 'moderator'));
        expect(await store.accounts.roleIn('a', 'm1')).toBe('moderator');
        expect(await store.accounts.roleIn('b', 'm1')).toBeUndefined();
        expect(await store.accounts.roleIn('a', 'someone-else')).toBeUndefined();
        expect(await store.accounts.listRoles('b')).toEqual([]);
      });

      it('replaces a role granted again', async () => {
        await store.accounts.grantRole(grant('a', 'p1', 'moderator'));
        const again = { ...grant('a', 'p1', 'speaker', '2026-11-26T09:00:00.000Z'), displayName: 'Camila F.' };
        await store.accounts.grantRole(again);
        expect(await store.accounts.roleIn('a', 'p1')).toBe('speaker');
        expect(await store.accounts.listRoles('a')).toEqual([again]);
      });

      it('revokes a role held, and answers false when none is held', async () => {
        await store.accounts.grantRole(grant('a', 'm1', 'moderator'));
        await store.accounts.grantRole(grant('b', 'm1', 'moderator'));
        expect(await store.accounts.revokeRole('a', 'm1')).toBe(true);
        expect(await store.accounts.roleIn('a', 'm1')).toBeUndefined();
        expect(await store.accounts.revokeRole('a', 'm1')).toBe(false);
        expect(await store.accounts.revokeRole('c', 'nobody')).toBe(false);
        expect(await store.accounts.roleIn('b', 'm1')).toBe('moderator');
      });

      it("lists an event's roles, oldest grant first", async () => {
        const speaker = grant('a', 's1', 'speaker', '2026-11-25T10:00:00.000Z');
        const moderator = grant('a', 'm1', 'moderator', '2026-11-25T09:00:00Z');
        await store.accounts.grantRole(speaker);
        await store.accounts.grantRole(moderator);
        await store.accounts.grantRole(grant('b', 'x1', 'moderator'));
        expect(await store.accounts.listRoles('a')).toEqual([moderator, speaker]);
      });
    });

    describe('sessions', () => {
      const later = (hash: string, expiresAt = '2026-12-26T09:00:00.000Z') => ({ tokenHash: hash, expiresAt });
      const now = '2026-11-26T09:00:00.000Z';

      it('rotates once with the current hash, never with an old one', async () => {
        await store.accounts.createSession(session('s1', 'u1'));
        const rotated = await store.accounts.rotateSession('s1', 'hash-s1-0', later('hash-s1-1'), now);
        expect(rotated).toEqual(session('s1', 'u1', { tokenHash: 'hash-s1-1', expiresAt: '2026-12-26T09:00:00.000Z' }));
        // The old refresh token, replayed (stolen), is refused; the new one still works.
        expect(await store.accounts.rotateSession('s1', 'hash-s1-0', later('hash-thief'), now)).toBeUndefined();
        expect(await store.accounts.rotateSession('s1', 'hash-s1-1', later('hash-s1-2'), now)).toMatchObject({ tokenHash: 'hash-s1-2' });
        expect(await store.accounts.rotateSession('nope', 'hash-s1-2', later('x'), now)).toBeUndefined();
      });

      it('lets only one of concurrent rotations with the same hash through', async () => {
        await store.accounts.createSession(session('s1', 'u1'));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.accounts.rotateSession('s1', 'hash-s1-0', later(`next-${i}`), now)),
        );
        const won = results.filter((r) => r !== undefined);
        expect(won).toHaveLength(1);
        expect(await store.accounts.rotateSession('s1', won[0]!.tokenHash, later('after'), now)).toBeDefined();
      });

      it('refuses to rotate a session at or after its expiry, comparing instants, not text', async () => {
        await store.accounts.createSession(session('s1', 'u1', { expiresAt: '2026-12-01T10:00:00.500Z' }));
        // As text, "…10:00:00Z" sorts after "…10:00:00.500Z"; as instants it is half a second before.
        expect(await store.accounts.rotateSession('s1', 'hash-s1-0', later('h1'), '2026-12-01T10:00:00Z')).toBeDefined();
        await store.accounts.createSession(session('s2', 'u1', { expiresAt: '2026-12-01T10:00:00.000Z' }));
        expect(await store.accounts.rotateSession('s2', 'hash-s2-0', later('h2'), '2026-12-01T10:00:00Z')).toBeUndefined();
        expect(await store.accounts.rotateSession('s2', 'hash-s2-0', later('h2'), '2026-12-02T00:00:00.000Z')).toBeUndefined();
      });

      it('deletes one session, or every session of a person', async () => {
        for (const [id, user] of [['s1', 'u1'], ['s2', 'u1'], ['s3', 'u1'], ['s4', 'u2']] as const) {
          await store.accounts.createSession(session(id, user));
        }
        await store.accounts.deleteSession('s1');
        expect(await store.accounts.rotateSession('s1', 'hash-s1-0', later('x'), now)).toBeUndefined();
        expect(await store.accounts.rotateSession('s2', 'hash-s2-0', later('s2-1'), now)).toBeDefined();

        await store.accounts.deleteSessionsOf('u1');
        expect(await store.accounts.rotateSession('s2', 's2-1', later('x'), now)).toBeUndefined();
        expect(await store.accounts.rotateSession('s3', 'hash-s3-0', later('x'), now)).toBeUndefined();
        expect(await store.accounts.rotateSession('s4', 'hash-s4-0', later('x'), now)).toBeDefined();
        await store.accounts.deleteSessionsOf('nobody');
        await store.accounts.deleteSession('nothing');
      });
    });

    describe('token revocation', () => {
      it('refuses a single token by its jti until it expires', async () => {
        expect(await store.accounts.isTokenRevoked('jti-1')).toBe(false);
        await store.accounts.revokeToken('jti-1', secondsFromNow(3600));
        await store.accounts.revokeToken('jti-1', secondsFromNow(3600));
        expect(await store.accounts.isTokenRevoked('jti-1')).toBe(true);
        expect(await store.accounts.isTokenRevoked('jti-2')).toBe(false);
        // A token already expired is refused by its exp: there is nothing left to remember.
        await store.accounts.revokeToken('jti-old', secondsFromNow(-10));
        expect(await store.accounts.isTokenRevoked('jti-old')).toBe(false);
      });

      it("keeps each person's cutoff, 0 when never revoked, and never moves it back", async () => {
        expect(await store.accounts.tokensRevokedBefore('u1')).toBe(0);
        await store.accounts.revokeTokensOf('u1', 1_800_000_000);
        expect(await store.accounts.tokensRevokedBefore('u1')).toBe(1_800_000_000);
        expect(await store.accounts.tokensRevokedBefore('u2')).toBe(0);
        await store.accounts.revokeTokensOf('u1', 1_800_000_500);
        expect(await store.accounts.tokensRevokedBefore('u1')).toBe(1_800_000_500);
        // A late or replayed call with an older cutoff must not make revoked tokens valid again.
        await store.accounts.revokeTokensOf('u1', 1_700_000_000);
        expect(await store.accounts.tokensRevokedBefore('u1')).toBe(1_800_000_500);
      });
    });

    describe('invites', () => {
      const now = '2026-11-26T09:00:00.000Z';

      it("keeps an invite with every field and lists an event's invites, oldest first", async () => {
        const second = invite('i2', 'a', { role: 'moderator', createdAt: '2026-11-25T10:00:00.000Z' });
        const first = invite('i1', 'a');
        await store.accounts.createInvite(second);
        await store.accounts.createInvite(first);
        await store.accounts.createInvite(invite('i3', 'b'));
        expect(await store.accounts.getInvite('i2')).toEqual(second);
        expect(await store.accounts.getInvite('nope')).toBeUndefined();
        expect(await store.accounts.listInvites('a')).toEqual([first, second]);
        expect(await store.accounts.listInvites('c')).toEqual([]);
      });

      it('is used once, by the first of 20 people accepting it at the same time', async () => {
        await store.accounts.createInvite(invite('i1', 'a'));
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.accounts.useInvite('i1', `p${i}`, now)));
        const used = results.filter((r) => r !== undefined);
        expect(used).toHaveLength(1);
        expect(used[0]).toEqual(invite('i1', 'a', { usedBy: used[0]!.usedBy, usedAt: now }));
        expect(used[0]!.usedBy).toMatch(/^p\d+$/);
        expect(await store.accounts.getInvite('i1')).toEqual(used[0]);
        expect(await store.accounts.useInvite('i1', 'late', now)).toBeUndefined();
        expect(await store.accounts.useInvite('nope', 'p1', now)).toBeUndefined();
      });

      it('cannot be used once revoked', async () => {
        await store.accounts.createInvite(invite('i1', 'a'));
        expect(await store.accounts.revokeInvite('i1', now)).toBe(true);
        expect(await store.accounts.useInvite('i1', 'p1', now)).toBeUndefined();
        expect(await store.accounts.getInvite('i1')).toEqual(invite('i1', 'a', { revokedAt: now }));
        // Revoked already: the first revocation stands.
        expect(await store.accounts.revokeInvite('i1', '2026-11-27T09:00:00.000Z')).toBe(false);
        expect((await store.accounts.getInvite('i1'))?.revokedAt).toBe(now);
        expect(await store.accounts.revokeInvite('nope', now)).toBe(false);
      });

      it('keeps its fields byte for byte through use', async () => {
        await store.accounts.createInvite(invite('i/1', 'a/"é"', { createdBy: 'Zoé « \u2028 » 📚', role: 'moderator' }));
        const used = await store.accounts.useInvite('i/1', 'p/"1"', now);
        expect(used).toEqual(invite('i/1', 'a/"é"', { createdBy: 'Zoé « \u2028 » 📚', role: 'moderator', usedBy: 'p/"1"', usedAt: now }));
        expect(await store.accounts.listInvites('a/"é"')).toEqual([used]);
      });

      it('cannot be revoked once used', async () => {
        await store.accounts.createInvite(invite('i1', 'a'));
        await store.accounts.useInvite('i1', 'p1', now);
        expect(await store.accounts.revokeInvite('i1', now)).toBe(false);
        expect(await store.accounts.getInvite('i1')).toMatchObject({ usedBy: 'p1', revokedAt: null });
      });

      it('cannot be used at or after its expiry, comparing instants, not text', async () => {
        await store.accounts.createInvite(invite('i1', 'a', { expiresAt: '2026-12-01T10:00:00.000Z' }));
        expect(await store.accounts.useInvite('i1', 'p1', '2026-12-01T10:00:00Z')).toBeUndefined();
        expect(await store.accounts.useInvite('i1', 'p1', '2026-12-02T00:00:00.000Z')).toBeUndefined();
        await store.accounts.createInvite(invite('i2', 'a', { expiresAt: '2026-12-01T10:00:00.500Z' }));
        expect(await store.accounts.useInvite('i2', 'p1', '2026-12-01T10:00:00Z')).toMatchObject({ usedBy: 'p1' });
      });
    });
  });
}
