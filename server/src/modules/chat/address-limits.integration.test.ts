import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/domain/chat';
import type { ErrorBody } from '#shared/protocol/errors';
import {
  connectViewer,
  guestToken,
  LIVE_EVENT_ID,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness';
import { startRedisServer, type RedisServer } from '../../test/redis-server';
import { createAccount, login } from '../../test/staff';

/**
 * The limits per address, on the real server, on both stores: guests cost nothing to make, so one client on one
 * address must not get around the per-person chat limit by speaking through many of them. Each test comes from its
 * own addresses (X-Forwarded-For through a trusted loopback proxy), so that counts never carry over between tests.
 */

const GUESTS_PER_ADDRESS = 3;
const MESSAGES_PER_ADDRESS = 4;
const SECRET = 'address-limits-test-secret-0123456789-0123456789';

describe.each(['SQLite', 'Redis'] as const)('limits per address on %s', (storeKind) => {
  let redis: RedisServer | undefined;
  let server: TestServer;
  const open: TestClient[] = [];

  beforeAll(async () => {
    redis = storeKind === 'Redis' ? await startRedisServer() : undefined;
    server = await startTestServer({
      jwtSecret: SECRET,
      trustProxy: 'loopback',
      guestRateLimit: GUESTS_PER_ADDRESS,
      chatAddressRateLimit: MESSAGES_PER_ADDRESS,
      ...(redis && { redisUrl: redis.url }),
    });
  });
  afterEach(() => {
    while (open.length) open.pop()!.close();
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });

  const guest = (name: string, address: string) =>
    fetch(`${server.url}/api/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from(address) },
      body: JSON.stringify({ displayName: name }),
    });

  async function joined(token: string, address: string): Promise<TestClient> {
    const socket = await connectViewer(server.url, token, from(address));
    open.push(socket);
    await ok(request(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
    return socket;
  }

  const say = (socket: TestClient, text: string) =>
    request<{ message: ChatMessage }>(socket, 'chat:send', { eventId: LIVE_EVENT_ID, text, clientId: crypto.randomUUID() });

  it('gives one address a few guest names, then asks it to wait, while another address still gets one', async () => {
    const answers = [];
    for (let i = 0; i <= GUESTS_PER_ADDRESS; i++) answers.push(await guest(`Lecteur ${i}`, '198.51.100.1'));
    expect(answers.map((a) => a.status)).toEqual([...Array<number>(GUESTS_PER_ADDRESS).fill(200), 429]);
    const refused = answers.at(-1)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: ErrorBody }).error.code).toBe('RATE_LIMITED');

    expect((await guest('Voisine', '198.51.100.2')).status).toBe(200);
  });

  it('counts an IPv6 network by its /64, so new addresses in it make no new guests', async () => {
    for (let i = 1; i <= GUESTS_PER_ADDRESS; i++) expect((await guest(`v6 ${i}`, `2001:db8:5:6::${i}`)).status).toBe(200);
    expect((await guest('v6 encore', '2001:db8:5:6:ffff::99')).status).toBe(429);
    expect((await guest('v6 ailleurs', '2001:db8:5:7::1')).status).toBe(200);
  });

  it('holds the chat of one address to its limit however many guests speak, and not the staff or other addresses', async () => {
    const wifi = '198.51.100.10';
    const guests = [];
    for (let i = 0; i < GUESTS_PER_ADDRESS; i++) guests.push(await joined(await guestToken(server.url, `Invité ${i}`, from(wifi)), wifi));

    // Two lines each, in turn: within every person's own limit, past the address's.
    const results = [];
    for (let round = 0; round < 2; round++) {
      for (const [i, socket] of guests.entries()) results.push(await say(socket, `ligne ${round}.${i}`));
    }
    expect(results.map((r) => r.ok)).toEqual([...Array<boolean>(MESSAGES_PER_ADDRESS).fill(true), false, false]);
    const refused = results.at(-1)!;
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/network/) } });
    if (!refused.ok) expect(refused.error.retryAfterMs).toBeGreaterThan(0);

    // A reader on another network is not held back by this one.
    const elsewhere = await joined(await guestToken(server.url, 'Ailleurs', from('198.51.100.11')), '198.51.100.11');
    await ok(say(elsewhere, 'depuis chez moi'));

    // Staff on the flooded Wi-Fi still speak: they are exempt, as from the per-person limit.
    await createAccount(server.store, { email: `admin-${storeKind}@library.example`, password: 'correct horse battery', isAdmin: true });
    const { token } = await login(server.url, `admin-${storeKind}@library.example`, 'correct horse battery');
    const librarian = await joined(token, wifi);
    const said = await ok(say(librarian, 'Merci de patienter un instant'));
    expect(said.message.author.role).toBe('admin');
  });
});
