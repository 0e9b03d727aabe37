import { randomUUID } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { expect, test, type Viewer } from '../fixtures';

/**
 * The question on air on each viewer's own clock (issue 12): two viewers of the demo's live loop (whose playlists
 * carry EXT-X-PROGRAM-DATE-TIME) watch at different delays, one of them having paused for 10 s. Each sees the
 * question highlighted only once their own picture has reached the instant it went on air. Nothing here waits for a
 * fixed time: the pause lasts until the picture is 10 s further behind, and each check waits for what the page shows.
 */

const DEMO_LIVE = '/media/live/demo/master.m3u8';

/** The instant (ms since 1970) of the frame this page's player shows, from the stream's program dates; null before. */
async function picture(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const find = (root: Document | ShadowRoot): Element | null => {
      const found = root.querySelector('parvis-player');
      if (found) return found;
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const inner = el.shadowRoot ? find(el.shadowRoot) : null;
        if (inner) return inner;
      }
      return null;
    };
    const player = find(document) as (Element & { programDate(): Date | null }) | null;
    return player?.programDate()?.getTime() ?? null;
  });
}

/** How far behind real time this page's picture is, in ms. */
async function delay(page: Page): Promise<number> {
  const at = await picture(page);
  expect(at, 'the player knows the instant of its picture (EXT-X-PROGRAM-DATE-TIME)').not.toBeNull();
  return Date.now() - at!;
}

/**
 * At one instant of the page: the picture's instant, the question highlighted as on air in the Questions tab (its
 * text, or null), and whether `text` is listed there at all. Read in one go, so that a video moving on between two
 * reads cannot make them disagree.
 */
async function questionsAtPicture(page: Page, text: string): Promise<{ picture: number | null; onAir: string | null; listed: boolean }> {
  return page.evaluate((text) => {
    const find = (root: Document | ShadowRoot, selector: string): Element | null => {
      const found = root.querySelector(selector);
      if (found) return found;
      for (const el of Array.from(root.querySelectorAll('*'))) {
        const inner = el.shadowRoot ? find(el.shadowRoot, selector) : null;
        if (inner) return inner;
      }
      return null;
    };
    const player = find(document, 'parvis-player') as (Element & { programDate(): Date | null }) | null;
    const panel = find(document, 'parvis-qa-panel')?.shadowRoot;
    return {
      picture: player?.programDate()?.getTime() ?? null,
      onAir: panel?.querySelector('.live')?.textContent ?? null,
      listed: panel?.textContent?.includes(text) ?? false,
    };
  }, text);
}

async function openQuestions(viewer: Viewer): Promise<Locator> {
  const tab = viewer.page.getByRole('tab', { name: /^Questions/ });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  return viewer.page.getByRole('tabpanel', { name: 'Questions' });
}

test('two viewers at different delays each see the question on air when their own video reaches it', async ({
  admin,
  newViewer,
}) => {
  test.setTimeout(180_000);
  const t = randomUUID().slice(0, 8);
  const title = `Rencontre en différé ${t}`;
  const eventId = await admin.createEventThroughApi({ title, streamUrl: DEMO_LIVE });
  await admin.goLiveThroughApi(eventId);

  const near = await newViewer({ name: `Proche ${t}` });
  const far = await newViewer({ name: `Lointain ${t}` });
  await near.openEvent(eventId, title);
  await far.openEvent(eventId, title);
  await near.expectVideoToPlay();
  await far.expectVideoToPlay();

  // The far viewer pauses, and resumes once their picture is 10 s further behind the room than it was.
  const before = await delay(far.page);
  await far.video.evaluate((video: HTMLVideoElement) => video.pause());
  await expect
    .poll(() => delay(far.page), { message: 'the paused picture falls 10 s further behind', timeout: 30_000 })
    .toBeGreaterThanOrEqual(before + 10_000);
  await far.video.evaluate((video: HTMLVideoElement) => video.play());
  await far.expectVideoToPlay();

  // The near viewer asks; the moderator (here the admin) approves and puts it on air.
  const nearPanel = await openQuestions(near);
  const farPanel = await openQuestions(far);
  await near.page.getByRole('textbox', { name: 'Votre nom' }).fill(near.name);
  await near.page.getByRole('button', { name: 'Choisir ce nom' }).click();
  const text = `Que devient le personnage après le film ? ${t}`;
  await near.page.getByRole('textbox', { name: 'Votre question' }).fill(text);
  await near.page.getByRole('button', { name: 'Poser la question' }).click();

  await admin.page.goto(`/events/${encodeURIComponent(eventId)}/moderate`);
  const pending = admin.page.getByRole('region', { name: 'Questions en attente' });
  await pending.getByRole('article', { name: text }).focus();
  await admin.page.keyboard.press('a');
  const approved = admin.page.getByRole('region', { name: 'Questions approuvées' });
  // Both viewers have it as an approved question before it goes on air.
  await expect(nearPanel.getByRole('list', { name: 'Questions du public' })).toContainText(text);
  await expect(farPanel.getByRole('list', { name: 'Questions du public' })).toContainText(text);
  const onAirAt = Date.now();
  await approved.getByRole('button', { name: `Mettre à l'antenne : « ${text} »` }).click();
  // The room (the console) has it on air at once.
  await expect(admin.page.getByRole('region', { name: 'En cours de réponse' })).toContainText(text);

  const nearLive = nearPanel.getByRole('group', { name: /en direct/i });
  const farLive = farPanel.getByRole('group', { name: /en direct/i });
  await expect(nearLive).toContainText(text, { timeout: 30_000 });
  // The near viewer's picture has reached the moment; the far viewer's, 10 s further behind, has not, and their
  // page lists the question without highlighting it, although their socket brought it as early as the near viewer's.
  expect(await picture(near.page), 'the near viewer’s picture has reached the moment').toBeGreaterThanOrEqual(onAirAt);
  const farNow = await questionsAtPicture(far.page, text);
  expect(farNow.picture, 'the far viewer’s picture is still before the moment').toBeLessThan(onAirAt);
  expect(farNow.onAir, 'no question is on air in the far viewer’s picture yet').toBeNull();
  expect(farNow.listed, 'the far viewer sees the question, waiting').toBe(true);

  // Then their own video gets there, and it is highlighted for them too.
  await expect(farLive).toContainText(text, { timeout: 40_000 });
  expect(await picture(far.page), 'the far viewer’s picture has reached the moment').toBeGreaterThanOrEqual(onAirAt);
});
