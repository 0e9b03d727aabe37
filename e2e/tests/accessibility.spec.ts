import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Viewer } from '../fixtures';

/** The serious and critical violations axe-core finds on the viewer's page, one readable line each. */
async function seriousViolations(viewer: Viewer): Promise<string[]> {
  const results = await new AxeBuilder({ page: viewer.page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ` +
        violation.nodes.map((node) => node.target.join(' ')).join(', '),
    );
}

/** Waits until the live event page has its content: title, player, viewer count and chat. */
async function openLiveEventPage(viewer: Viewer, id: string, title: string): Promise<void> {
  await viewer.openEvent(id, title);
  await expect(viewer.video).toBeAttached();
  await expect(viewer.page.getByRole('button', { name: 'Revenir au direct' })).toBeVisible();
  await expect(viewer.viewerCount(1)).toBeVisible();
  await expect(viewer.chatLog).toBeAttached();
  await expect(viewer.page.getByRole('textbox', { name: 'Votre nom' })).toBeVisible();
}

test.describe('accessibility', () => {
  test('the programme has no serious or critical axe violations', async ({ newViewer }) => {
    const viewer = await newViewer();
    await viewer.openProgramme();
    await expect(viewer.eventLinks().first()).toBeVisible();
    expect(await seriousViolations(viewer)).toEqual([]);
  });

  test('the live event page has no serious or critical axe violations', async ({ newViewer, programme }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer();
    await openLiveEventPage(viewer, live.id, live.title);
    expect(await seriousViolations(viewer)).toEqual([]);
  });

  test('the live event page on a phone has no serious or critical axe violations', async ({
    newViewer,
    programme,
  }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer({ viewport: { width: 375, height: 812 } });
    await openLiveEventPage(viewer, live.id, live.title);
    expect(await seriousViolations(viewer)).toEqual([]);
  });
});
