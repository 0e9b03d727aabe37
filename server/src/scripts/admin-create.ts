// npm run admin:create: creates a programme admin in the store of DATA_DIR (SQLite) or REDIS_URL (Redis).
//
// On a terminal it asks for the email, the display name and the password (typed without echo, twice). Elsewhere (a
// deploy script, a container) it reads PARVIS_ADMIN_EMAIL, PARVIS_ADMIN_PASSWORD and, optionally, PARVIS_ADMIN_NAME.
// An email that already has an account is an error (exit 1) and changes nothing: this never resets a password.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { z } from 'zod';
import { Email, Password } from '#shared/domain/account';
import { DisplayName } from '#shared/domain/user';
import { loadConfig } from '../config';
import { hashPassword } from '../modules/access/password';
import { AuditAction, AuditLog } from '../core/audit';
import { openRedisStore } from '../store/redis/redis-store';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import type { Store } from '../store/store';

class Refusal extends Error {}

function valid<T>(schema: z.ZodType<T>, what: string, raw: string | undefined): T {
  const parsed = schema.safeParse(raw ?? '');
  if (!parsed.success) throw new Refusal(`${what}: ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return parsed.data;
}

/** Asks on the terminal; with `hidden`, what is typed is not echoed (a password). */
async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = hidden;
    return await answer;
  } finally {
    if (hidden) process.stdout.write('\n');
    rl.close();
  }
}

async function askValid<T>(schema: z.ZodType<T>, what: string, question: string, hidden = false): Promise<T> {
  for (;;) {
    try {
      return valid(schema, what, await ask(question, hidden));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      console.error(err.message);
    }
  }
}

async function readAdmin(): Promise<{ email: string; displayName: string; password: string }> {
  const env = process.env;
  if (!process.stdin.isTTY) {
    if (!env.PARVIS_ADMIN_EMAIL || !env.PARVIS_ADMIN_PASSWORD) {
      throw new Refusal('Not on a terminal: set PARVIS_ADMIN_EMAIL and PARVIS_ADMIN_PASSWORD (and PARVIS_ADMIN_NAME if you like)');
    }
    const email = valid(Email, 'PARVIS_ADMIN_EMAIL', env.PARVIS_ADMIN_EMAIL);
    return {
      email,
      displayName: valid(DisplayName, 'PARVIS_ADMIN_NAME', env.PARVIS_ADMIN_NAME || email.split('@')[0]!.slice(0, 40)),
      password: valid(Password, 'PARVIS_ADMIN_PASSWORD', env.PARVIS_ADMIN_PASSWORD),
    };
  }
  const email = await askValid(Email, 'email', 'Email: ');
  const displayName = await askValid(DisplayName, 'display name', 'Display name: ');
  for (;;) {
    const password = await askValid(Password, 'password', 'Password (at least 10 characters): ', true);
    if ((await ask('Password again: ', true)) === password) return { email, displayName, password };
    console.error('The two passwords differ; again.');
  }
}

async function openStore(): Promise<{ store: Store; where: string }> {
  const config = loadConfig();
  if (config.redisUrl) return { store: await openRedisStore(config.redisUrl), where: `Redis at ${config.redisUrl}` };
  return { store: openSqliteStore(join(config.dataDir, 'parvis.sqlite')), where: config.dataDir };
}

async function main(): Promise<number> {
  const admin = await readAdmin();
  const { store, where } = await openStore();
  try {
    const account = {
      id: `acct_${randomUUID()}`,
      email: admin.email,
      displayName: admin.displayName,
      passwordHash: await hashPassword(admin.password),
      isAdmin: true,
      createdAt: new Date().toISOString(),
    };
    if (!(await store.accounts.createAccount(account))) {
      throw new Refusal(`An account with the email ${admin.email} already exists in ${where}; nothing was changed.`);
    }
    await new AuditLog(store).record(
      { id: 'cli', displayName: 'npm run admin:create' },
      AuditAction.ADMIN_CREATE,
      `account:${account.id}`,
      { email: account.email },
    );
    console.log(`Admin ${admin.email} created in ${where}. Sign in at /admin.`);
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Refusal ? err.message : err);
    process.exit(1);
  },
);
