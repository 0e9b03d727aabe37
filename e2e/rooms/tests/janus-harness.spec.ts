import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { startJanus, type RunningJanus } from '../janus';
import { ICE_INTERFACE } from '../netns';
import { startProbeServer, type ProbeServer } from '../probe/probe-server';
import { liveInboundReader, recordPeerConnections } from '../webrtc-stats';

/*
 * The harness itself, without Parvis: three Chromium pages join one Janus videoroom through janus.js (the probe page)
 * inside the run's network namespace. When a room spec fails and this one passes, the fault is in Parvis or the room
 * page, not in Janus, ICE or the namespace.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const ROOM = 4_014;
let janus: RunningJanus;
let probe: ProbeServer;

test.beforeAll(async () => {
  janus = await startJanus({ wsPort: await freePort(), rooms: [{ id: ROOM, publishers: 6 }], iceInterface: ICE_INTERFACE });
  probe = await startProbeServer();
});

test.afterAll(async () => {
  await probe?.close();
  await janus?.stop();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('janus.log', { body: janus.log(), contentType: 'text/plain' });
});

test('three browsers in one Janus room each receive audio and video from the two others', async ({ browser }) => {
  const pages: Page[] = [];
  for (const name of ['Awa', 'Bruno', 'Chloé']) {
    const context = await browser.newContext();
    await recordPeerConnections(context);
    const page = await context.newPage();
    await page.goto(probe.url);
    await page.evaluate((join) => window.probeJoin(join), { server: janus.wsUrl, room: ROOM, display: name });
    pages.push(page);
  }
  for (const page of pages) {
    const live = liveInboundReader(page);
    await expect.poll(live, { timeout: 60_000, intervals: [1_000] }).toEqual({ audio: 2, video: 2 });
    expect((await page.evaluate(() => window.probeState())).errors).toEqual([]);
  }
  await Promise.all(pages.map((page) => page.context().close()));
});
