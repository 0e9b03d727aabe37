import { defineConfig } from '@playwright/test';
import base from '../playwright.config';
import { ROOM_CHROMIUM_ARGS } from './chromium-args';
import { assertRoomNamespace } from './netns';

/*
 * The room specs: Parvis, its Janus, the room pages and Chromium exchanging real audio and video, all inside the
 * network namespace that in-netns.sh makes for the run (`npm run test:rooms`); Chromium's flags are in
 * chromium-args.ts. Everything else is the e2e suite's config (e2e/playwright.config.ts, imported: its free ports, its
 * data directory, its test SMTP server, the admin account, PARVIS_TEST_CLOCK), with the server running its own Janus.
 */
assertRoomNamespace();

const webServer = Array.isArray(base.webServer) ? base.webServer[0]! : base.webServer!;

export default defineConfig({
  ...base,
  testDir: './tests',
  // Three participants decoding each other's video in software take the machine's two cores.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  outputDir: '../../test-results/rooms',
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 960, height: 600 },
        permissions: ['camera', 'microphone'],
        launchOptions: { executablePath: '/usr/bin/chromium', args: ROOM_CHROMIUM_ARGS },
      },
    },
  ],
  // ROOMS=janus: Parvis runs Debian's Janus from a config it generates into DATA_DIR, and supervises it.
  webServer: { ...webServer, env: { ...webServer.env, ROOMS: 'janus' } },
});
