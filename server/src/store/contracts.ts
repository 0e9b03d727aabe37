import type { Store } from './store';
import { accountContract } from './account.contract';
import { auditContract } from './audit.contract';
import { chatContract } from './chat.contract';
import { ingestContract } from './ingest.contract';
import { moderationContract } from './moderation.contract';
import { pollContract } from './poll.contract';
import { programmeContract } from './programme.contract';
import { questionContract } from './question.contract';
import { reactionContract } from './reaction.contract';
import { replayContract } from './replay.contract';
import { storeContract } from './store.contract';

/**
 * Every contract suite of the port, one per kind of data, which each store implementation runs against a real
 * database (sqlite/sqlite-store.test.ts, redis/redis-store.test.ts). A new kind of data adds its suite here.
 */
export function runStoreContracts(name: string, open: () => Promise<Store>, dispose: (store: Store) => Promise<void>): void {
  for (const contract of [
    storeContract,
    programmeContract,
    chatContract,
    questionContract,
    moderationContract,
    pollContract,
    reactionContract,
    accountContract,
    auditContract,
    ingestContract,
    replayContract,
  ]) {
    contract(name, open, dispose);
  }
}
