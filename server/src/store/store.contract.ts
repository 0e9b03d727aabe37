import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '#shared/protocol/errors';
import { DomainError } from '../core/errors';
import type { Store } from './store';
import { account, audit, chat, events, grant, invite, secondsFromNow, series, session } from './contract-fixtures';

/**
 * The behaviour of the Store as a whole, on every store: what spans its sub-stores (the demo reset, deleting an
 * event), meta, and ping. Each kind of data has its own suite (`<kind>.contract.ts`); each implementation runs them
 * all against a real database, and there are no mock stores.
 *
 * Where the port's comments leave a choice open, this suite pins the reading both stores implement:
 * - clearAll (the demo reset) removes events, series, chat, and the roles and invites of events; it keeps meta,
 *   accounts, sessions, token revocations and the audit log, so that a reset never locks an admin out.
 * - deleteEvent also clears the chat, questions, roles and invites of an id that has no event (and answers false).
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

    describe('reset and deletion across sub-stores', () => {
      beforeEach(async () => {
        await store.programme.saveProgramme(series, events);
      });

      it('clears the programme, chat, roles and invites on reset', async () => {
        await store.chat.append(chat('a', 'u1', 'c1'));
        await store.accounts.grantRole(grant('a', 'm1', 'moderator'));
        await store.accounts.createInvite(invite('i1', 'a'));
        await store.clearAll();
        expect(await store.programme.listEvents({})).toEqual([]);
        expect(await store.programme.listSeries()).toEqual([]);
        expect(await store.chat.lastOffset('a')).toBe(0);
        expect(await store.chat.tail('a', 10)).toEqual([]);
        expect(await store.accounts.roleIn('a', 'm1')).toBeUndefined();
        expect(await store.accounts.listRoles('a')).toEqual([]);
        expect(await store.accounts.getInvite('i1')).toBeUndefined();
        expect(await store.accounts.listInvites('a')).toEqual([]);
      });

      // The demo reset must not lock an admin out: people, their sign-ins and the audit log outlive the programme.
      it('keeps meta, accounts, sessions, revocations and the audit log through a reset', async () => {
        await store.meta.set('programme.source', 'demo');
        const admin = account('admin', 'admin@bibliotheque.example', { isAdmin: true });
        await store.accounts.createAccount(admin);
        await store.accounts.createSession(session('s1', 'admin'));
        await store.accounts.revokeToken('jti-1', secondsFromNow(3600));
        await store.accounts.revokeTokensOf('admin', 1_700_000_000);
        const entry = audit('au1', '2026-11-25T09:00:00.000Z', { details: { reason: 'demo' } });
        await store.audit.append(entry);

        await store.clearAll();

        expect(await store.meta.get('programme.source')).toBe('demo');
        expect(await store.accounts.getAccount('admin')).toEqual(admin);
        expect(await store.accounts.getAccountByEmail('admin@bibliotheque.example')).toEqual(admin);
        expect(await store.accounts.countAdmins()).toBe(1);
        expect(await store.accounts.createAccount(account('other', 'admin@bibliotheque.example'))).toBe(false);
        const rotated = await store.accounts.rotateSession(
          's1',
          'hash-s1-0',
          { tokenHash: 'hash-s1-1', expiresAt: '2026-12-26T09:00:00.000Z' },
          '2026-11-26T09:00:00.000Z',
        );
        expect(rotated?.tokenHash).toBe('hash-s1-1');
        expect(await store.accounts.isTokenRevoked('jti-1')).toBe(true);
        expect(await store.accounts.tokensRevokedBefore('admin')).toBe(1_700_000_000);
        expect(await store.audit.list({ limit: 10 })).toEqual([entry]);
      });

      it('gives a chat begun again after its event was deleted another revision than the chat it replaces', async () => {
        await store.chat.append(chat('a', 'u1', 'c1'));
        const first = await store.chat.revision('a');
        expect(await store.programme.deleteEvent('a')).toBe(true);
        await store.programme.saveProgramme(series, events);
        await store.chat.append(chat('a', 'u1', 'c1'));
        const again = await store.chat.revision('a');
        expect(again.lastOffset).toBe(first.lastOffset);
        expect(again.tag).not.toBe(first.tag);
      });

      it('deletes an event with its chat, roles and invites, and nothing of another event', async () => {
        for (const id of ['a', 'b']) {
          await store.chat.append(chat(id, 'u1', 'c1'));
          await store.chat.append(chat(id, 'u2', 'c1'));
          await store.accounts.grantRole(grant(id, 'm1', 'moderator'));
          await store.accounts.createInvite(invite(`invite-${id}`, id));
        }

        expect(await store.programme.deleteEvent('a')).toBe(true);

        expect(await store.programme.getEvent('a')).toBeUndefined();
        expect((await store.programme.listEvents({})).map((e) => e.id)).toEqual(['b', 'c']);
        expect(await store.programme.listEvents({ series: 's1' })).toEqual([]);
        expect(await store.chat.tail('a', 10)).toEqual([]);
        expect(await store.chat.lastOffset('a')).toBe(0);
        expect(await store.accounts.roleIn('a', 'm1')).toBeUndefined();
        expect(await store.accounts.listRoles('a')).toEqual([]);
        expect(await store.accounts.getInvite('invite-a')).toBeUndefined();
        expect(await store.accounts.listInvites('a')).toEqual([]);

        expect(await store.programme.getEvent('b')).toEqual(events[0]);
        expect(await store.chat.tail('b', 10)).toHaveLength(2);
        expect(await store.accounts.roleIn('b', 'm1')).toBe('moderator');
        expect(await store.accounts.listInvites('b')).toEqual([invite('invite-b', 'b')]);
        expect(await store.programme.listSeries()).toEqual(series);

        // A new event under the same id starts afresh: its chat begins at offset 1 again, and idempotency is reset.
        expect((await store.chat.append(chat('a', 'u1', 'c1'))).message.offset).toBe(1);
        expect(await store.programme.deleteEvent('a')).toBe(false);
        expect(await store.programme.deleteEvent('zzz')).toBe(false);
      });
    });

    describe('meta', () => {
      it('keeps and overwrites values', async () => {
        expect(await store.meta.get('k')).toBeUndefined();
        await store.meta.set('k', 'v1');
        await store.meta.set('k', 'v2');
        expect(await store.meta.get('k')).toBe('v2');
      });
    });

    describe('ping', () => {
      it('answers while the store is open, and UNAVAILABLE once it is closed', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        const refused = await store.ping().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(refused).toBeInstanceOf(DomainError);
        expect((refused as DomainError).code).toBe(ErrorCode.UNAVAILABLE);
      });
    });
  });
}
