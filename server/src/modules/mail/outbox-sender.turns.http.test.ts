import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp as signUpInStore, mailParts } from '../../test/mail-fixtures';
import { createRegistrationEvent, person, signUp, startSignUpWorld, type SignUpWorld } from '../../test/sign-up';
import type { RenderedEmail } from './email-renderer';
import type { MailTransport } from './mail-transport';

/**
 * The mail sender shares its process with the sign-up form: while it works through a large outbox (a sign-up storm
 * fills it), a new sign-up is answered between two emails, not after the whole run. The store is the embedded SQLite
 * one, whose every step is synchronous, and the transport an SMTP server that accepts each message at once: nothing
 * in a run waits for I/O, so only the sender's own turns let the request in.
 */

const OUTBOX = 200;

describe('the outbox sender and the requests of its process', () => {
  let world: SignUpWorld;
  beforeAll(async () => {
    world = await startSignUpWorld('sqlite');
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('answers a sign-up while it sends a large outbox', async () => {
    const store = world.server.store;
    const event = await createRegistrationEvent(world, { capacity: 20 });
    const now = world.clock.now();
    for (let i = 0; i < OUTBOX; i++) {
      await signUpInStore(store, event, { email: `foule-${i}@example.org`, name: `Personne ${i}`, language: 'fr' }, now);
    }
    // In order: each email as the server accepts it, and the marker when the sign-up is answered.
    const log: string[] = [];
    const instant: MailTransport = {
      kind: 'smtp',
      send: async (email: RenderedEmail) => {
        log.push(email.to);
      },
      close: () => {},
    };
    const sender = mailParts(store).sender(instant);

    const run = sender.runOnce(now);
    const late = person('Arrivée pendant l’envoi');
    const answer = signUp(world.server.url, event.id, late).then((a) => {
      log.push('answered');
      return a;
    });
    expect(await run).toBe(OUTBOX);
    expect((await answer).status).toBe(201);

    const emails = log.filter((entry) => entry !== 'answered');
    expect(emails).toHaveLength(OUTBOX);
    expect(new Set(emails).size).toBe(OUTBOX);
    // The sign-up was answered before the run's last email: it did not wait for the whole outbox.
    expect(log.indexOf('answered')).toBeLessThan(log.length - 1);
    expect(log.indexOf('answered')).toBeGreaterThan(-1);
  }, 60_000);
});
