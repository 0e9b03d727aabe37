import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/harness';
import { spawnParvis } from '../../test/process';
import { loadJwtSecret } from './jwt-secret';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parvis-secret-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const secretFile = () => join(dataDir, 'jwt-secret');

describe('the signing key', () => {
  it('is generated once into DATA_DIR/jwt-secret, readable by the owner only, and reused at the next start', async () => {
    const first = await loadJwtSecret({ fromEnv: undefined, dataDir });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(secretFile(), 'utf8').trim()).toBe(first);
    expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
    expect(await loadJwtSecret({ fromEnv: undefined, dataDir })).toBe(first);
  });

  it('is the same for processes that start together on one data directory', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadJwtSecret({ fromEnv: undefined, dataDir })));
    expect(new Set(secrets).size).toBe(1);
  });

  it('keeps a long enough key that an operator wrote into the file, without its newline', async () => {
    const written = 'k'.repeat(40);
    writeFileSync(secretFile(), `${written}\n`);
    expect(await loadJwtSecret({ fromEnv: undefined, dataDir })).toBe(written);
  });

  it.each([
    ['a 3-character file', 'abc', /jwt-secret has 3 characters, and a signing key needs at least 32: delete the file/],
    ['an empty file', '', /jwt-secret is empty: delete the file/],
    ['a file of spaces and newlines', '   \n\n  ', /jwt-secret is blank: delete the file/],
  ])('stops the start on %s, saying which file and what to do', async (_what, content, message) => {
    writeFileSync(secretFile(), content);
    await expect(loadJwtSecret({ fromEnv: undefined, dataDir })).rejects.toThrow(message);
    // Nothing was "repaired" behind the operator's back.
    expect(readFileSync(secretFile(), 'utf8')).toBe(content);
  });

  it.each([
    ['a short JWT_SECRET', 'abc', /JWT_SECRET has 3 characters, and a signing key needs at least 32/],
    ['an empty JWT_SECRET', '', /JWT_SECRET is empty: set it to a random string/],
    ['a JWT_SECRET of 40 spaces', ' '.repeat(40), /JWT_SECRET is blank/],
    ['a short JWT_SECRET padded with spaces', `  ${'x'.repeat(20)}            `, /JWT_SECRET has 20 characters/],
  ])('stops the start on %s', async (_what, fromEnv, message) => {
    await expect(loadJwtSecret({ fromEnv, dataDir })).rejects.toThrow(message);
  });

  it('does not start a server whose key file holds 3 characters, so no token signed with them is ever checked', async () => {
    writeFileSync(secretFile(), 'abc');
    await expect(startTestServer({ dataDir })).rejects.toThrow(/has 3 characters/);
  });
});

describe('starting Parvis as an operator does', { timeout: 60_000 }, () => {
  it('exits with a message that names the weak key file and what to do', async () => {
    writeFileSync(secretFile(), 'abc\n');
    const started = spawnParvis({ DATA_DIR: dataDir });
    await expect(started).rejects.toThrow(/Parvis could not start: .*jwt-secret has 3 characters, and a signing key needs at least 32/);
  });

  it('exits on a blank JWT_SECRET', async () => {
    const started = spawnParvis({ DATA_DIR: dataDir, JWT_SECRET: ' '.repeat(40) });
    await expect(started).rejects.toThrow(/Parvis could not start: JWT_SECRET is blank/);
  });
});
