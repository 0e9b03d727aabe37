import type { Store } from './store';
import { accountContract } from './account.contract';
import { appointmentContract } from './appointment.contract';
import { auditContract } from './audit.contract';
import { audienceContract } from './audience.contract';
import { captionContract } from './caption.contract';
import { chatContract } from './chat.contract';
import { jobContract } from './job.contract';
import { ingestContract } from './ingest.contract';
import { moderationContract } from './moderation.contract';
import { outboxContract } from './outbox.contract';
import { pollContract } from './poll.contract';
import { programmeContract } from './programme.contract';
import { questionContract } from './question.contract';
import { registrationContract } from './registration.contract';
import { signUpConcurrencyContract, type StorePair } from './sign-up-concurrency.contract';
import { reactionContract } from './reaction.contract';
import { replayContract } from './replay.contract';
import { storeContract } from './store.contract';

export type { StorePair } from './sign-up-concurrency.contract';

/**
 * Every contract suite of the port, one per kind of data, which each store implementation runs against a real
 * database (sqlite/sqlite-store.test.ts, redis/redis-store.test.ts). A new kind of data adds its suite here.
 * `pair` opens two stores on one database, as two processes hold it, for the suites about concurrency.
 */
export function runStoreContracts(
  name: string,
  open: () => Promise<Store>,
  dispose: (store: Store) => Promise<void>,
  pair: { open: () => Promise<StorePair>; dispose: (pair: StorePair) => Promise<void> },
): void {
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
    registrationContract,
    outboxContract,
    jobContract,
    ingestContract,
    replayContract,
    audienceContract,
    captionContract,
    appointmentContract,
  ]) {
    contract(name, open, dispose);
  }
  signUpConcurrencyContract(name, pair.open, pair.dispose);
}
