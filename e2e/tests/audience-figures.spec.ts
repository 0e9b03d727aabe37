import { seriousViolations } from '../fixtures/axe';
import { expect, test } from '../fixtures';

/**
 * Audience figures (issue 12): a viewer whose video plays is counted from their player's heartbeats, the admin reads
 * the event's audience as a chart and as a table (its text alternative), and the moderators see the audience's delay.
 */
test.describe('audience figures', () => {
  test('a viewer watching the live shows in the event’s figures, as a chart and a table, with no serious axe violation', async ({
    newViewer,
    admin,
    programme,
  }) => {
    test.setTimeout(120_000);
    const live = await programme.liveEvent();
    const viewer = await newViewer();
    await viewer.openEvent(live.id, live.title);
    await viewer.expectVideoToPlay();

    // Each process samples every 5 s at most: the page is read again until the viewer's sample is there.
    await expect(async () => {
      await admin.page.goto(`/admin/events/${live.id}/figures`);
      await expect(admin.page.getByRole('heading', { level: 1, name: 'Fréquentation' })).toBeVisible();
      const table = admin.page.getByRole('table', { name: 'Spectateurs toutes les 30 secondes, et les moments marqués' });
      await expect(table.getByRole('row').nth(1)).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const table = admin.page.getByRole('table', { name: 'Spectateurs toutes les 30 secondes, et les moments marqués' });
    const counts = await table.locator('tbody td:nth-child(2)').allTextContents();
    expect(counts.some((n) => Number(n) >= 1)).toBe(true);
    // The chart is drawn (uPlot's canvas) and named for assistive technologies, pointing at the table.
    const chart = admin.page.getByRole('img', { name: /Graphique des spectateurs au fil du direct : pic de \d+/ });
    await expect(chart).toBeVisible();
    await expect(chart.locator('canvas')).toBeAttached();
    await expect(admin.page.getByRole('term').filter({ hasText: 'Spectateurs uniques' })).toBeVisible();
    expect(await seriousViolations(admin.page)).toEqual([]);

    // The season summary lists the event, with a link to its figures.
    await admin.page.getByRole('link', { name: 'Fréquentation de la saison' }).click();
    await expect(admin.page.getByRole('heading', { level: 1, name: 'Fréquentation de la saison' })).toBeVisible();
    await expect(admin.page.getByRole('link', { name: live.title })).toBeVisible();
    expect(await seriousViolations(admin.page)).toEqual([]);
  });

  test('the moderator console shows how far behind the audience is', async ({ newViewer, admin, programme }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer();
    await viewer.openEvent(live.id, live.title);
    await viewer.expectVideoToPlay();
    await admin.page.goto(`/events/${live.id}/moderate`);
    await expect(admin.page.getByRole('heading', { level: 1, name: 'Console de modération' })).toBeVisible();
    // Every 5 s the console hears the delay of the players (a figure once the stream carries its program dates).
    await expect(admin.page.getByText(/Retard du public : (médian \d+ s, maximum \d+ s \(\d+ lecteurs?\)|pas encore mesuré)/)).toBeVisible();
  });
});
