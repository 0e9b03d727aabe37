import { expect, seriousViolations, test } from '../fixtures';

test.describe('signing up for dates of a series', () => {
  test('picks two dates of the Monday/Friday workshop on the series page and gets one result per date', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    await page.goto('/series/conversation-fle');
    await expect(page.getByRole('heading', { level: 1, name: 'Conversation en français' })).toBeVisible();
    // The fair cap is explained before anyone picks, and how long the library keeps what people give.
    await expect(page.getByText(/Pour que chacun ait sa chance/)).toBeVisible();
    await expect(page.getByText(/jusqu'à 45 jours après l'événement/)).toBeVisible();
    const dates = page.getByRole('checkbox', { disabled: false });
    const open = await dates.count();
    expect(open, 'the series has at least two dates open to sign-up').toBeGreaterThanOrEqual(2);
    await dates.nth(open - 2).check();
    await dates.nth(open - 1).check();
    await expect(page.getByText('2 dates choisies.')).toBeVisible();
    await page.getByRole('textbox', { name: /^Nom et prénom/ }).fill('Lina Haddad');
    await page.getByRole('textbox', { name: /^Adresse e-mail/ }).fill(`lina.${Date.now()}@example.org`);
    const level = page.getByRole('combobox', { name: /niveau/i });
    if ((await level.count()) > 0) await level.selectOption({ index: 1 });
    await page.getByRole('checkbox', { name: /J’accepte/ }).check();
    await page.getByRole('button', { name: "S'inscrire à 2 dates" }).click();
    const result = page.locator('.result');
    await expect(result).toBeFocused();
    await expect(result.getByRole('listitem')).toHaveCount(2);
    await expect(result.getByRole('listitem').first()).toContainText(/Confirmée|Liste d'attente, position \d+/);
  });

  test('asks for a date before sending a form with none picked', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    await page.goto('/series/conversation-fle');
    await page.getByRole('button', { name: 'Aucune', exact: true }).click();
    await page.getByRole('button', { name: "S'inscrire" }).click();
    await expect(page.locator('.error-summary')).toContainText('Choisissez au moins une date.');
  });

  test('the series page has no serious or critical axe violations, on a laptop and on a phone', async ({ newViewer }) => {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const viewer = await newViewer({ video: false, viewport });
      await viewer.page.goto('/series/conversation-fle');
      await expect(viewer.page.getByRole('group', { name: 'Choisissez vos dates' })).toBeVisible();
      expect(await seriousViolations(viewer.page, { media: false })).toEqual([]);
      const overflow = await viewer.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
  });
});
