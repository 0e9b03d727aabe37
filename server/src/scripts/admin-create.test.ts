import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/harness';
import { startRedisServer, type RedisServer } from '../test/redis-server';
import { api, login } from '../test/staff';

/** `npm run admin:create` as a deploy script runs it: no terminal, everything from the environment. */
function adminCreate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/scripts/admin-create.ts'], {
      cwd: resolve('.'),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => done({ code, output }));
  });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

const EMAIL = 'Bibliothecaire@Example.org';
const PASSWORD = 'a sturdy admin passphrase';

async function expectAdminCanSignIn(server: TestServer): Promise<void> {
  const signedIn = await login(server.url, EMAIL.toLowerCase(), PASSWORD);
  expect(signedIn.user).toMatchObject({ role: 'admin', displayName: 'Bibliothécaire en chef' });
  expect(signedIn.account).toMatchObject({ email: 'bibliothecaire@example.org', isAdmin: true });
  // An admin exists: no setup link any more, and the admin API answers.
  expect(server.setupUrl).toBeUndefined();
  expect((await api(server.url, 'GET', '/api/audit', { token: signedIn.token })).body.entries[0]).toMatchObject({
    action: 'admin.create',
  });
}

describe('npm run admin:create without a terminal', () => {
  it('creates an admin in DATA_DIR who can sign in, and refuses the same email a second time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parvis-admin-create-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = {
      DATA_DIR: dataDir,
      PARVIS_ADMIN_EMAIL: EMAIL,
      PARVIS_ADMIN_PASSWORD: PASSWORD,
      PARVIS_ADMIN_NAME: 'Bibliothécaire en chef',
    };
    const first = await adminCreate(env);
    expect(first.output).toMatch(/Admin bibliothecaire@example\.org created/);
    expect(first.code).toBe(0);

    const again = await adminCreate({ ...env, PARVIS_ADMIN_PASSWORD: 'another passphrase entirely' });
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already exists.*nothing was changed/);

    const server = await startTestServer({ dataDir });
    cleanup.push(() => server.stop());
    await expectAdminCanSignIn(server);
  });

  it('creates the admin in Redis when REDIS_URL is set', async () => {
    const redis: RedisServer = await startRedisServer();
    cleanup.push(() => redis.stop());
    const result = await adminCreate({
      REDIS_URL: redis.url,
      PARVIS_ADMIN_EMAIL: EMAIL,
      PARVIS_ADMIN_PASSWORD: PASSWORD,
      PARVIS_ADMIN_NAME: 'Bibliothécaire en chef',
    });
    expect(result.output).toMatch(/created in Redis/);
    expect(result.code).toBe(0);
    const server = await startTestServer({ redisUrl: redis.url });
    cleanup.push(() => server.stop());
    await expectAdminCanSignIn(server);
  });

  it('explains what is missing, and refuses a weak password', async () => {
    const missing = await adminCreate({ DATA_DIR: '/nonexistent-parvis' });
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/PARVIS_ADMIN_EMAIL and PARVIS_ADMIN_PASSWORD/);
    const weak = await adminCreate({ DATA_DIR: '/nonexistent-parvis', PARVIS_ADMIN_EMAIL: EMAIL, PARVIS_ADMIN_PASSWORD: 'short' });
    expect(weak.code).toBe(1);
    expect(weak.output).toMatch(/PARVIS_ADMIN_PASSWORD: must be at least 10 characters/);
  });
});
