import { randomUUID } from 'node:crypto';
import type { TimelineItem } from '#shared/domain/broadcast';
import { expect, seriousViolations, test, type Viewer } from '../fixtures';
import { browserCues, ingestInfo, publish, tokenOf } from '../fixtures/obs';

/**
 * The replay remembers the live (issue 11), end to end: OBS (ffmpeg) publishes to the real ingest, a viewer watches and
 * chats, a question goes on air; after the end, the replay lists that question as a chapter, and choosing it moves the
 * video there with the chat as it was at that moment. Needs the server started with RTMP_PORT.
 */

const unique = (): string => randomUUID().slice(0, 8);

/** The video's position, in seconds. */
const position = (viewer: Viewer) => viewer.video.evaluate((v: HTMLVideoElement) => v.currentTime);

/** Lets the broadcast run on until the viewer's video has played `seconds` more. */
async function watchFor(viewer: Viewer, seconds: number): Promise<void> {
  const from = await position(viewer);
  await expect
    .poll(() => position(viewer), { message: `the live plays on for ${seconds} s`, timeout: (seconds + 30) * 1000 })
    .toBeGreaterThan(from + seconds);
}

test('a question put on air during a broadcast from OBS becomes a chapter of the replay, which shows the chat of that moment', async ({
  admin,
  newViewer,
  programme,
}) => {
  test.setTimeout(300_000);
  const t = unique();
  const title = `Diffusion depuis OBS ${t}`;
  const question = `Comment dessinez-vous vos décors ? ${t}`;
  const before = `Bonsoir, on vous entend bien ${t}`;
  const after = `Merci pour cette réponse ${t}`;
  const eventId = await admin.createEventThroughApi({ title, inDays: 0 });
  const publisher = publish(await ingestInfo(admin.page, eventId));
  const viewer = await newViewer({ name: `Spectatrice ${t}` });
  try {
    // Publishing makes the event live by itself; the viewer finds it in the programme, and the video plays.
    await expect.poll(async () => (await programme.event(eventId)).status, { timeout: 60_000 }).toBe('live');
    await viewer.openProgramme();
    await viewer.programmeSection('En direct').getByRole('link', { name: title, exact: true }).click();
    await viewer.expectVideoToPlay();
    await viewer.joinChat();
    await viewer.say(before);

    // The viewer asks; the moderator approves the question and puts it on air.
    await viewer.page.getByRole('tab', { name: /^Questions/ }).click();
    await viewer.page.getByRole('textbox', { name: 'Votre question' }).fill(question);
    await viewer.page.getByRole('button', { name: 'Poser la question' }).click();
    await admin.page.goto(`/events/${encodeURIComponent(eventId)}/moderate`);
    const pending = admin.page.getByRole('region', { name: 'Questions en attente' });
    await pending.getByRole('article', { name: question }).focus();
    await admin.page.keyboard.press('a');
    await admin.page.getByRole('region', { name: 'Questions approuvées' }).getByRole('button', { name: `Mettre à l'antenne : « ${question} »` }).click();
    await expect(admin.page.getByRole('region', { name: 'En cours de réponse' })).toContainText(question);

    // The answer takes a while; then the viewer thanks the speaker, and the talk goes on a little.
    await watchFor(viewer, 15);
    await viewer.page.getByRole('tab', { name: /^Discussion/ }).click();
    await viewer.say(after);
    await watchFor(viewer, 5);
  } finally {
    await publisher.stop();
  }

  // The moderator ends the event by hand; the replay is assembled and becomes the event's replay.
  const ended = await admin.page.request.post(`/api/events/${encodeURIComponent(eventId)}/status`, {
    data: { status: 'ended' },
    headers: { authorization: `Bearer ${await tokenOf(admin.page)}` },
  });
  expect(ended.status()).toBe(200);
  await expect.poll(async () => (await programme.event(eventId)).replayUrl ?? null, { timeout: 120_000 }).not.toBeNull();

  // The timeline holds the question on air, placed on the replay's clock.
  const timeline = await viewer.page.request.get(`/api/events/${encodeURIComponent(eventId)}/timeline`);
  const items = ((await timeline.json()) as { items: TimelineItem[] }).items;
  const onAir = items.find((i) => i.type === 'question-live' && i.text === question);
  expect(onAir?.offset, 'the question went on air within the replay').toEqual(expect.any(Number));
  const start = onAir!.offset!;

  // The viewer comes back to the page: the replay plays, and its chapters list the question.
  await viewer.page.reload();
  await viewer.pressPlay();
  await viewer.expectVideoToPlay();
  const chapters = viewer.page.getByRole('navigation', { name: 'Chapitres' });
  const chapter = chapters.getByRole('link', { name: new RegExp(question.replace(/[?]/g, '\\?')) });
  await expect(chapter).toBeVisible();

  // Choosing it moves the video to the moment the question went on air, with the chat as it was then.
  await chapter.click();
  await expect(chapter).toHaveAttribute('aria-current', 'true');
  await expect.poll(() => position(viewer)).toBeGreaterThanOrEqual(start - 0.5);
  expect(await position(viewer)).toBeLessThan(start + 10);
  const chat = viewer.page.getByRole('region', { name: 'Discussion à ce moment de la vidéo' });
  await expect(chat).toContainText(before);
  await expect(chat).not.toContainText(after);
  await expect(viewer.page.getByText('À l’antenne', { exact: true })).toBeVisible();
  await expect(viewer.page.locator('parvis-replay-chat')).toContainText(question);

  // Keyboard: Enter on a chapter seeks as a click does.
  await chapter.focus();
  await viewer.page.keyboard.press('Enter');
  await expect.poll(() => position(viewer)).toBeLessThan(start + 10);

  // The chapters file, as the browser's own WebVTT parser reads it.
  const cues = await browserCues(viewer.page, `/api/events/${encodeURIComponent(eventId)}/chapters.vtt`);
  expect(cues).toEqual([expect.objectContaining({ text: question })]);
  expect(cues[0]!.start).toBeCloseTo(start, 2);

  // A link to the question starts the replay there; a link to a time, at that time.
  const questionId = onAir!.type === 'question-live' ? onAir!.questionId : '';
  await viewer.page.goto(`/events/${encodeURIComponent(eventId)}?q=${encodeURIComponent(questionId)}`);
  await expect.poll(() => position(viewer), { timeout: 30_000 }).toBeCloseTo(start, 0);
  // A whole second just after the question went on air: the first message was said before it, the thanks long after.
  const moment = Math.ceil(start) + 1;
  await viewer.page.goto(`/events/${encodeURIComponent(eventId)}?t=${moment}`);
  await expect.poll(() => position(viewer), { timeout: 30_000 }).toBeCloseTo(moment, 1);
  await expect(chat).toContainText(before);
  await expect(chat).not.toContainText(after);

  // "Copy a link to this moment" gives the address of where the video is.
  await viewer.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await viewer.page.getByRole('button', { name: 'Copier le lien vers ce moment' }).click();
  await expect(viewer.page.getByRole('status').filter({ hasText: 'Lien copié' })).toContainText(`/events/${eventId}?t=${moment}`);

  // Accessible, at a laptop's width and a phone's.
  expect(await seriousViolations(viewer.page)).toEqual([]);
  await viewer.page.setViewportSize({ width: 390, height: 844 });
  await expect(chapter).toBeVisible();
  const overflow = await viewer.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'nothing is wider than a phone').toBeLessThanOrEqual(0);
  expect(await seriousViolations(viewer.page)).toEqual([]);
});
