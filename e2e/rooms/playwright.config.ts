import { defineConfig } from '@playwright/test';
import { ROOM_CHROMIUM_ARGS } from './chromium-args';
import { assertRoomNamespace } from './netns';

/*
 * The room specs: Janus, the page(s) and Chromium exchanging real audio and video, all inside the network namespace
 * that in-netns.sh makes for the run (`npm run test:rooms`); Chromium's flags are in chromium-args.ts.
 */
assertRoomNamespace();

export default defineConfig({
  testDir: './tests',
  // Every participant of a room is a browser context of the one Chromium; two rooms at once would share two cores.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  outputDir: '../../test-results/rooms',
  use: {
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
        viewport: { width: 960, height: 600 },
        permissions: ['camera', 'microphone'],
        launchOptions: { executablePath: '/usr/bin/chromium', args: ROOM_CHROMIUM_ARGS },
      },
    },
  ],
});
