import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store';
import { audit } from './contract-fixtures';

/**
 * The behaviour of `store.audit` on every store (see audit-store.ts), where the port leaves a choice open: entries are
 * listed newest first, those of the same millisecond last appended first; an entry id appended again is kept as
 * first written; `before` is exclusive, compared as an instant; a limit ≤ 0 reads nothing.
 */
export function auditContract(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  describe(`Audit store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await dispose(store);
    });

    it('lists entries newest first with their details intact, at most `limit`', async () => {
      const entries = [
        audit('e2', '2026-11-25T10:00:00.000Z', { details: { title: 'Rencontre', seats: 30, tags: ['bd'], none: null } }),
        audit('e1', '2026-11-25T09:00:00.000Z', { action: 'invite.create', target: 'event:a' }),
        audit('e3', '2026-11-25T11:00:00Z', { actor: { id: 'u9', displayName: 'Zoé' } }),
      ];
      for (const e of entries) await store.audit.append(e);
      expect(await store.audit.list({ limit: 10 })).toEqual([entries[2], entries[0], entries[1]]);
      expect(await store.audit.list({ limit: 2 })).toEqual([entries[2], entries[0]]);
      expect(await store.audit.list({ limit: 0 })).toEqual([]);
      expect(await store.audit.list({ limit: -1 })).toEqual([]);
    });

    it('pages with `before`, which excludes that instant', async () => {
      for (let i = 1; i <= 7; i++) await store.audit.append(audit(`e${i}`, `2026-11-25T0${i}:00:00.000Z`));
      const page1 = await store.audit.list({ limit: 3 });
      const page2 = await store.audit.list({ limit: 3, before: page1.at(-1)!.at });
      const page3 = await store.audit.list({ limit: 3, before: page2.at(-1)!.at });
      expect([page1, page2, page3].map((p) => p.map((e) => e.id))).toEqual([['e7', 'e6', 'e5'], ['e4', 'e3', 'e2'], ['e1']]);
      expect(await store.audit.list({ limit: 3, before: '2026-11-25T01:00:00Z' })).toEqual([]);
      expect((await store.audit.list({ limit: 3, before: '2026-11-25T05:30:00Z' })).map((e) => e.id)).toEqual(['e5', 'e4', 'e3']);
    });

    it('lists entries of the same instant last appended first, and keeps an id once', async () => {
      const at = '2026-11-25T10:00:00.000Z';
      for (const id of ['z', 'a', 'm']) await store.audit.append(audit(id, at));
      await store.audit.append(audit('a', '2026-11-25T12:00:00.000Z', { action: 'again' }));
      expect((await store.audit.list({ limit: 10 })).map((e) => e.id)).toEqual(['m', 'a', 'z']);
      expect((await store.audit.list({ limit: 10 }))[1]).toEqual(audit('a', at));
    });
  });
}
