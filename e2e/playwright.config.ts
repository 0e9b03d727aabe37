import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { SMTP_INBOX_DIR, startSmtpInbox } from './fixtures/smtp-inbox';
import { E2E_ADMIN } from './fixtures/staff-credentials';

/**
 * The e2e suite runs against the real server, started fresh for each run: a free port and an empty data directory, so
 * the demo programme is seeded with dates relative to now (one event live, several upcoming, some ended with replays).
 * An admin account is created in that directory first (`admin-create.ts`, from PARVIS_ADMIN_* since it is not on a
 * terminal), so the admin tests sign in as a librarian would.
 *
 * The server sends its emails to a test SMTP server (smtp-server, `fixtures/smtp-inbox.ts`) that the runner starts on
 * a free loopback port and that writes each message to `<data directory>/smtp-inbox/`, where `Mailbox` reads them. The
 * server also runs with PARVIS_TEST_CLOCK=1, so that tests move the sign-up module's time (`POST /api/test/clock`).
 *
 * Playwright loads this file in the runner and again in every worker. The runner picks the ports and the directory,
 * starts the SMTP server and records them in `process.env`, which the workers inherit, so every process agrees on one
 * server and one inbox.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

if (process.env.PARVIS_E2E_DATA_DIR === undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parvis-e2e-'));
  process.env.PARVIS_E2E_DATA_DIR = dataDir;
  process.env.PARVIS_E2E_PORT = String(await freePort());
  const inbox = await startSmtpInbox(join(dataDir, SMTP_INBOX_DIR));
  process.env.PARVIS_E2E_SMTP_PORT = String(inbox.port);
  // The ingest's RTMP port: the tests that broadcast publish there with ffmpeg, as OBS would.
  process.env.PARVIS_E2E_RTMP_PORT = String(await freePort());
  // Only the runner gets here; it exits after Playwright has stopped the server.
  process.once('exit', () => {
    inbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

const port = Number(process.env.PARVIS_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  // One live event is shared by every test, and some tests count its viewers: one worker keeps them apart. The server
  // and Chromium already share two cores.
  workers: 1,
  fullyParallel: false,
  // A flaky test is a defect to fix, not to retry.
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: '../test-results',
  use: {
    baseURL,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 720 },
        // No browser download is possible here: Debian's Chromium plays H.264/AAC HLS through hls.js.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'node --import tsx server/src/scripts/admin-create.ts && node --import tsx server/src/main.ts',
    cwd: repoRoot,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    // The server logs little at info level; its lines in the output help when a test fails.
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      PORT: String(port),
      RTMP_PORT: process.env.PARVIS_E2E_RTMP_PORT!,
      HOST: '127.0.0.1',
      PUBLIC_ORIGIN: baseURL,
      DATA_DIR: process.env.PARVIS_E2E_DATA_DIR,
      // Messages per 10 s per person: high enough that a test never meets the limit.
      CHAT_RATE_LIMIT: '30',
      // Every browser of the suite connects from 127.0.0.1, which the limits per address would count as one network.
      CHAT_ADDRESS_RATE_LIMIT: '100000',
      GUEST_RATE_LIMIT: '100000',
      SOCKETS_PER_ADDRESS: '100000',
      // The access log would print a line per request of every browser; warnings and errors still show.
      LOG_LEVEL: 'warn',
      // Every browser of the suite signs up from 127.0.0.1 too.
      SIGNUP_RATE_LIMIT: '1000000',
      // The runner's test SMTP server, which writes what it receives where `Mailbox` reads it.
      SMTP_URL: `smtp://127.0.0.1:${process.env.PARVIS_E2E_SMTP_PORT}`,
      // A test hook (never for production): `POST /api/test/clock {offsetMs}` moves the sign-up module's time, so that
      // a join link shows 15 minutes before a start without waiting for it. Tests that move it put it back.
      PARVIS_TEST_CLOCK: '1',
      // Not the default (30), so that the sign-up form's privacy text shows it reads the server's setting. Long enough
      // that a test moving the clock three weeks ahead erases nothing the other tests made.
      REGISTRATION_RETENTION_DAYS: '45',
      PARVIS_ADMIN_EMAIL: E2E_ADMIN.email,
      PARVIS_ADMIN_PASSWORD: E2E_ADMIN.password,
      PARVIS_ADMIN_NAME: E2E_ADMIN.name,
    },
  },
});
