import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/**
 * The event room as it lays out on a laptop and on a phone, read off the boxes the browser draws: the chat's
 * composer, its hint and "Vous discutez en tant que…" inside the chat panel, the panel above the footer, and beside
 * the video on a laptop (below it on a phone). The demo's live event is the test: its pinned announcement and its
 * messages fill the panel as a real talk does.
 */

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Where an element is drawn on the page (not the viewport), so that every box is read in the same frame. */
async function boxOf(locator: Locator): Promise<Box> {
  await expect(locator).toBeAttached();
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX, right: r.right + scrollX };
  });
}

/** Half a pixel for subpixel rounding: anything beyond is drawn outside. */
const SLACK = 0.5;

function expectInside(inner: Box, outer: Box, what: string): void {
  expect(inner.left, `${what}: left edge inside the chat panel`).toBeGreaterThanOrEqual(outer.left - SLACK);
  expect(inner.right, `${what}: right edge inside the chat panel`).toBeLessThanOrEqual(outer.right + SLACK);
  expect(inner.top, `${what}: top inside the chat panel`).toBeGreaterThanOrEqual(outer.top - SLACK);
  expect(inner.bottom, `${what}: bottom inside the chat panel`).toBeLessThanOrEqual(outer.bottom + SLACK);
}

/** The parts of the chat a person writes with, and the boxes around them. */
async function chatBoxes(page: Page) {
  // Back at the top, where a sticky column sits at its own place in the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  const panel = page.getByRole('tabpanel', { name: 'Discussion' });
  return {
    video: await boxOf(page.getByRole('region', { name: 'Vidéo' })),
    tabs: await Promise.all((await page.getByRole('tab').all()).map(boxOf)),
    tablist: await boxOf(page.getByRole('tablist')),
    // The card inside the tab panel, with its border: what a person sees as the chat.
    panel: await boxOf(panel.getByRole('region', { name: 'Discussion' })),
    composer: await boxOf(panel.getByRole('textbox', { name: 'Message', exact: true })),
    send: await boxOf(panel.getByRole('button', { name: 'Envoyer' })),
    hint: await boxOf(panel.getByText('Entrée pour envoyer, Maj+Entrée pour aller à la ligne.')),
    identity: await boxOf(panel.getByText(/^Vous discutez en tant que /)),
    footer: await boxOf(page.getByRole('contentinfo')),
    pageWidth: await page.evaluate(() => document.documentElement.scrollWidth),
  };
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
]) {
  test(`on a ${viewport.width}×${viewport.height} laptop, the chat sits beside the video and holds its composer`, async ({
    newViewer,
    programme,
  }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer({ video: false, viewport });
    await viewer.openEvent(live.id, live.title);
    await viewer.joinChat();
    await expect(viewer.page.getByText(`Vous discutez en tant que ${viewer.name}.`)).toBeVisible();

    const b = await chatBoxes(viewer.page);
    // The tabs start level with the video, on one line.
    expect(Math.abs(b.tablist.top - b.video.top), 'the side column starts level with the video').toBeLessThanOrEqual(2);
    for (const tab of b.tabs) expect(tab.top, 'every tab on the same line').toBeCloseTo(b.tabs[0]!.top, 0);
    expect(b.tablist.left, 'the side column is beside the video').toBeGreaterThanOrEqual(b.video.right);
    // Everything a person writes with is inside the chat panel, and the panel stays above the footer.
    expectInside(b.composer, b.panel, 'the message box');
    expectInside(b.send, b.panel, 'the Send button');
    expectInside(b.hint, b.panel, 'the hint under the message box');
    expectInside(b.identity, b.panel, '"Vous discutez en tant que…"');
    expect(b.panel.bottom, 'the chat panel ends above the footer').toBeLessThanOrEqual(b.footer.top + SLACK);
    expect(b.pageWidth, 'nothing scrolls sideways').toBeLessThanOrEqual(viewport.width);
  });
}

test('on a 390×844 phone, the chat comes below the video and holds its composer', async ({ newViewer, programme }) => {
  const viewport = { width: 390, height: 844 };
  const live = await programme.liveEvent();
  const viewer = await newViewer({ video: false, viewport });
  await viewer.openEvent(live.id, live.title);
  await viewer.joinChat();

  const b = await chatBoxes(viewer.page);
  expect(b.tablist.top, 'the tabs come below the video').toBeGreaterThanOrEqual(b.video.bottom);
  for (const tab of b.tabs) {
    expect(tab.top, 'every tab on the same line').toBeCloseTo(b.tabs[0]!.top, 0);
    expect(tab.right, 'every tab fits the screen').toBeLessThanOrEqual(viewport.width);
  }
  expectInside(b.composer, b.panel, 'the message box');
  expectInside(b.send, b.panel, 'the Send button');
  expectInside(b.hint, b.panel, 'the hint under the message box');
  expectInside(b.identity, b.panel, '"Vous discutez en tant que…"');
  expect(b.panel.bottom, 'the chat panel ends above the footer').toBeLessThanOrEqual(b.footer.top + SLACK);
  expect(b.pageWidth, 'nothing scrolls sideways').toBeLessThanOrEqual(viewport.width);
});

test('a long pinned announcement takes three lines beside the video, and opens in full on request', async ({
  newViewer,
  programme,
}) => {
  const live = await programme.liveEvent();
  const viewer = await newViewer({ video: false });
  await viewer.openEvent(live.id, live.title);
  const pinned = viewer.page.getByRole('note', { name: 'Annonce épinglée' });
  const more = pinned.getByRole('button', { name: "Lire toute l'annonce" });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  const text = pinned.locator('#chat-pinned-text');
  const clamped = await boxOf(text);
  await more.click();
  await expect(pinned.getByRole('button', { name: "Réduire l'annonce" })).toHaveAttribute('aria-expanded', 'true');
  const open = await boxOf(text);
  expect(open.bottom - open.top, 'the whole announcement takes more room than its first three lines').toBeGreaterThan(
    clamped.bottom - clamped.top,
  );
});

/*
 * The moderator console of a hybrid talk (issue 12): a question asked from the auditorium's phone page, with its
 * "salle" badge, and the audience's delay in the header, on a laptop and on a phone. A viewer plays the demo's live
 * loop (with program dates), so that the console has a measured delay to show, its longest wording.
 */
for (const viewport of [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
]) {
  test(`at ${viewport.width} px, the console holds a question from the room and the audience’s delay without overflowing`, async ({
    admin,
    newViewer,
  }) => {
    test.setTimeout(120_000);
    const t = Math.random().toString(36).slice(2, 8);
    const title = `Rencontre hybride en salle ${t}`;
    const eventId = await admin.createEventThroughApi({ title, streamUrl: '/media/live/demo/master.m3u8' });
    await admin.goLiveThroughApi(eventId);

    const watcher = await newViewer();
    await watcher.openEvent(eventId, title);
    await watcher.expectVideoToPlay();

    // A long question from the room, with an address that cannot break at a space, as people paste them.
    const phone = await newViewer({ viewport: { width: 390, height: 844 }, video: false });
    await phone.page.goto(`/events/${encodeURIComponent(eventId)}/ask`);
    await phone.page.getByRole('textbox', { name: 'Votre nom' }).fill(phone.name);
    await phone.page.getByRole('button', { name: 'Choisir ce nom' }).click();
    const question =
      `Au troisième rang : la notice https://mediatheque.example/catalogue/notices/0123456789abcdefghijklmnopqrstuvwxyz ` +
      `dit que l’ouvrage est en réserve ; peut-on le consulter sur place après la rencontre ? ${t}`;
    await phone.page.getByRole('textbox', { name: 'Votre question' }).fill(question);
    await phone.page.getByRole('textbox', { name: 'Votre question' }).press('Enter');
    await expect(phone.page.getByRole('list', { name: 'Vos questions' })).toContainText(t);

    const page = admin.page;
    await page.setViewportSize(viewport);
    await page.goto(`/events/${encodeURIComponent(eventId)}/moderate`);
    const pending = page.getByRole('region', { name: 'Questions en attente' });
    const item = pending.getByRole('article', { name: question });
    const badge = item.locator('.badge-room');
    await expect(badge).toHaveText('salle');
    const delay = page.getByText(/^Retard du public : médian \d+ s, maximum \d+ s \(1 lecteur\)$/);
    await expect(delay, 'the console shows the watcher’s delay').toBeVisible({ timeout: 45_000 });

    await page.evaluate(() => window.scrollTo(0, 0));
    const header = await boxOf(page.locator('header.head'));
    const delayBox = await boxOf(delay);
    expect(delayBox.left, 'the delay starts on the screen').toBeGreaterThanOrEqual(-SLACK);
    expect(delayBox.right, 'the delay ends on the screen').toBeLessThanOrEqual(viewport.width + SLACK);
    expect(delayBox.top, 'the delay is in the console’s header').toBeGreaterThanOrEqual(header.top - SLACK);
    expect(delayBox.bottom, 'the delay is in the console’s header').toBeLessThanOrEqual(header.bottom + SLACK);

    const queue = await boxOf(pending);
    const article = await boxOf(item);
    expect(article.left, 'the question inside its queue').toBeGreaterThanOrEqual(queue.left - SLACK);
    expect(article.right, 'the question inside its queue').toBeLessThanOrEqual(queue.right + SLACK);
    const inArticle = [
      ['the question’s text', item.locator('.text')],
      ['the "salle" badge', badge],
      ...(await item.getByRole('button').all()).map((b, i) => [`button ${i + 1} of the question`, b] as const),
    ] as const;
    for (const [what, locator] of inArticle) {
      const box = await boxOf(locator);
      expect(box.left, `${what}: left edge inside the question`).toBeGreaterThanOrEqual(article.left - SLACK);
      expect(box.right, `${what}: right edge inside the question`).toBeLessThanOrEqual(article.right + SLACK);
    }
    // The long address wraps inside the text's own box rather than spilling out of it.
    expect(await item.locator('.text').evaluate((el) => el.scrollWidth - el.clientWidth), 'the question’s text wraps').toBeLessThanOrEqual(0);
    for (const button of await page.getByRole('group', { name: 'Provenance des questions' }).getByRole('button').all()) {
      const box = await boxOf(button);
      expect(box.right, 'the origin filter fits its queue').toBeLessThanOrEqual(queue.right + SLACK);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'nothing scrolls sideways').toBeLessThanOrEqual(viewport.width);
  });
}
