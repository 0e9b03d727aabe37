import type { Page } from '@playwright/test';
import { expect, test } from '../../fixtures';
import type { RoomJoin } from '#shared/domain/room';
import { openProbe } from '../probe/probe-server';
import { askForRoom, signUp, type Registrant } from '../registrants';
import { liveInboundReader, recordPeerConnections } from '../webrtc-stats';

/*
 * Parvis's side of a workshop room without the room page: registrants ask `GET /api/events/:id/room` with their
 * personal link, and the probe page (janus.js) enters with what it answers, through Parvis's /janus proxy to the Janus
 * that Parvis runs (ROOMS=janus). The room page's spec does the same as people do it; when it fails and this passes,
 * look at the page.
 */

test('registrants enter the workshop room with their personal link, the waiting list is refused, and the host removes someone', async ({
  admin,
  browser,
  baseURL,
  request,
}) => {
  const stamp = Date.now();
  // Starting in ten minutes: the room answers from fifteen minutes before the start, so it is open now.
  const eventId = await admin.createRoomWorkshopThroughApi({ title: `Atelier de conversation ${stamp}`, startsAt: new Date(Date.now() + 10 * 60_000), capacity: 3 });
  const people = [await signUp(request, eventId, 'Awa Diallo'), await signUp(request, eventId, 'Bruno Petit'), await signUp(request, eventId, 'Chloé Martin')];
  const waiting = await signUp(request, eventId, 'Dinah Weiss');
  expect(people.map((p) => p.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  expect(waiting.status).toBe('waitlisted');

  const entered: { person: Registrant; join: RoomJoin; page: Page }[] = [];
  for (const person of people) {
    const answer = await askForRoom(request, eventId, person);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const join = answer.body as RoomJoin;
    expect(join).toMatchObject({ provider: 'janus', display: person.name, host: false });
    const context = await browser.newContext({ bypassCSP: true });
    await recordPeerConnections(context);
    const page = await context.newPage();
    await openProbe(page, baseURL!);
    await page.evaluate((j) => window.probeJoin(j), { server: join.server, room: Number(join.room), display: join.display, id: join.participantId, token: join.token, iceServers: join.iceServers as RTCIceServer[] });
    entered.push({ person, join, page });
  }
  await test.step('each hears and sees the two others', async () => {
    for (const { page } of entered) await expect.poll(liveInboundReader(page), { timeout: 60_000, intervals: [1_000] }).toEqual({ audio: 2, video: 2 });
  });

  await test.step('the person on the waiting list is refused, and told why', async () => {
    const refused = await askForRoom(request, eventId, waiting);
    expect(refused).toMatchObject({ status: 403, body: { error: { reason: 'waitlisted' } } });
  });

  await test.step('the host removes Chloé: the two others no longer receive her', async () => {
    const chloe = entered[2]!;
    const removed = await request.post(`/api/events/${eventId}/room/participants/${chloe.join.participantId}/remove`, {
      headers: { authorization: `Bearer ${await admin.sessionToken()}` },
    });
    expect(removed.status(), await removed.text()).toBe(204);
    for (const { page } of entered.slice(0, 2)) await expect.poll(liveInboundReader(page), { timeout: 30_000, intervals: [1_000] }).toEqual({ audio: 1, video: 1 });
  });
  await Promise.all(entered.map(({ page }) => page.context().close()));
});
