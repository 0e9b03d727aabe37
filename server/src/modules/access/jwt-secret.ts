import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

/** HS256 keys shorter than this can be guessed offline from any token someone holds. */
export const MIN_SECRET_LENGTH = 32;

/** Where the generated key lives when processes share Redis, under the deployment's `parvis:` prefix. */
export const SHARED_SECRET_KEY = 'parvis:jwt-secret';

const generate = () => randomBytes(48).toString('base64url');

const HOW_TO_MAKE_ONE = 'for example the output of `openssl rand -base64 48`';

/**
 * Refuses a key that would let anyone forge tokens: empty, only spaces, or shorter than MIN_SECRET_LENGTH once
 * trimmed. `source` names where it came from, so the operator knows what to fix; `fix` says how.
 */
function assertStrong(secret: string, source: string, fix: string): string {
  const length = secret.trim().length;
  if (length === 0) throw new Error(`${source} is ${secret.length === 0 ? 'empty' : 'blank'}: ${fix}`);
  if (length < MIN_SECRET_LENGTH) {
    throw new Error(`${source} has ${length} characters, and a signing key needs at least ${MIN_SECRET_LENGTH}: ${fix}`);
  }
  return secret;
}

export interface JwtSecretSources {
  /** JWT_SECRET as set, '' included: set but empty is a mistake, not a request for a generated key. */
  fromEnv: string | undefined;
  dataDir: string;
  /** The composition root's Redis connection when REDIS_URL is set: then every process must find the same key. */
  redis?: Redis;
}

/**
 * The HS256 signing secret. JWT_SECRET when set. Otherwise a generated one, kept where every process that may check
 * a token finds it: in Redis when processes share it (created once, whichever process starts first), else in
 * `DATA_DIR/jwt-secret` (mode 0600), so tokens survive restarts. A key that is too weak stops the start with a
 * message that says where it came from and what to do: a three-character key would let anyone sign an admin token.
 */
export async function loadJwtSecret({ fromEnv, dataDir, redis }: JwtSecretSources): Promise<string> {
  if (fromEnv !== undefined) {
    return assertStrong(fromEnv, 'JWT_SECRET', `set it to a random string of ${MIN_SECRET_LENGTH} characters or more (${HOW_TO_MAKE_ONE}), or unset it to have one generated`);
  }
  return redis ? sharedSecret(redis) : fileSecret(dataDir);
}

async function sharedSecret(redis: Redis): Promise<string> {
  // NX: of processes starting together, the first write wins and every one reads that one back.
  await redis.set(SHARED_SECRET_KEY, generate(), 'NX');
  const kept = await redis.get(SHARED_SECRET_KEY);
  if (kept === null) throw new Error(`The signing key vanished from Redis (${SHARED_SECRET_KEY}) while starting: start again`);
  return assertStrong(kept, `The signing key in Redis (${SHARED_SECRET_KEY})`, `delete that key to have a new one generated (this signs everyone out), or set JWT_SECRET on every process`);
}

/** The key in the file, without the newline an editor adds. */
function readKept(file: string, fix: string): string {
  const kept = readFileSync(file, 'utf8');
  assertStrong(kept, file, fix);
  return kept.trim();
}

function fileSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  const fix = `delete the file to have a new one generated at the next start (this signs everyone out), or set JWT_SECRET`;
  try {
    return readKept(file, fix);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  // Written whole under a temporary name, then linked into place: link fails if the file exists, so of two processes
  // starting on one data directory the first wins, and neither can read the other's file half-written.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const secret = generate();
  writeFileSync(draft, secret + '\n', { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readKept(file, fix);
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Keeps this process's key in Redis after Redis comes back: a Redis that restarted without its data has lost the
 * key, and a process started then would make a new one, whose tokens the running processes refuse. Putting ours
 * back (NX again) as soon as the connection is ready makes the running processes win that race. When Redis holds
 * another key anyway, `onMismatch` says so: this process keeps signing with its own until it restarts.
 */
export function keepSharedSecret(redis: Redis, secret: string, onMismatch: () => void): void {
  redis.on('ready', () => {
    void (async () => {
      await redis.set(SHARED_SECRET_KEY, secret, 'NX');
      if ((await redis.get(SHARED_SECRET_KEY)) !== secret) onMismatch();
    })().catch(() => undefined);
  });
}
