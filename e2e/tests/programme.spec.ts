import { expect, test } from '../fixtures';

test.describe('programme', () => {
  test('switches to English and stays in English after a reload', async ({ newViewer }) => {
    const viewer = await newViewer();
    const { page } = viewer;
    await viewer.openProgramme();
    for (const name of ['En direct', 'À venir', 'Replays']) {
      await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
    }

    await page.getByRole('button', { name: 'English', exact: true }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Live now', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Upcoming', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Replays', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'En direct', exact: true })).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: 'Kind of event' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Français', exact: true })).toBeVisible();
    // Screen readers pick their voice from the page language.
    await expect(page.locator('html')).toHaveAttribute('lang', /^en\b/);

    await page.reload();

    await expect(page.getByRole('heading', { level: 2, name: 'Live now', exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Upcoming', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Français', exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', /^en\b/);
  });

  test('shows only workshops when the viewer picks "Ateliers"', async ({ newViewer, programme }) => {
    const kindOf = new Map((await programme.events()).map((event) => [event.id, event.kind]));
    const viewer = await newViewer();
    const { page } = viewer;
    await viewer.openProgramme();
    const links = viewer.eventLinks();
    await expect(links.first()).toBeVisible();
    const shownKinds = async (): Promise<string[]> =>
      (await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? '')))
        .map((href) => kindOf.get(decodeURIComponent(href.replace(/^\/events\//, ''))) ?? `unknown event ${href}`)
        .sort();

    const kindsBefore = await shownKinds();
    const workshops = kindsBefore.filter((kind) => kind === 'workshop');
    expect(workshops.length, 'the programme shows at least one workshop').toBeGreaterThan(0);
    expect(workshops.length, 'the programme shows other kinds of events too').toBeLessThan(kindsBefore.length);

    const filter = page.getByRole('combobox', { name: "Type d'événement" });
    await expect(filter.getByRole('option')).toHaveText([
      'Tous',
      'Rencontres',
      'Ciné-conférences',
      'Webinaires',
      'Ateliers',
    ]);
    await filter.selectOption({ label: 'Ateliers' });

    await expect.poll(shownKinds, { message: 'only the workshops stay on the programme' }).toEqual(workshops);
  });
});
