import { expect, test } from '../fixtures';
import { Mailbox, personalLink } from '../fixtures/mailbox';

/*
 * Needs the server started with PARVIS_TEST_CLOCK=1 (e2e/playwright.config.ts): `POST /api/test/clock {offsetMs}` moves
 * the sign-up module's clock. The browser's clock moves with Playwright's `page.clock`, so that the personal page's
 * own timer (which loads the page again when the link is due) runs without waiting 15 real minutes.
 */

const mailbox = new Mailbox();
const JOIN_URL = 'https://visio.example/atelier-conversation';

test.describe('the join link of a workshop held in an outside room', () => {
  test.afterEach(async ({ request }) => {
    await request.post('/api/test/clock', { data: { offsetMs: 0 } });
  });

  test('appears on the personal page 15 minutes before the start, by itself', async ({ admin, newViewer, programme }) => {
    // A date with free seats, and the private link of its outside room.
    const workshop = (await programme.events())
      .filter((e) => e.seriesId === 'conversation-fle' && e.status === 'scheduled')
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt))[0]!;
    await admin.page.goto(`/admin/events/${workshop.id}`);
    const settings = admin.page.getByRole('region', { name: 'Inscriptions' });
    await settings.getByRole('textbox', { name: 'Lien de la salle en ligne (privé)' }).fill(JOIN_URL);
    await settings.getByRole('button', { name: "Enregistrer les réglages d'inscription" }).click();
    await expect(settings.getByRole('status')).toHaveText("Réglages d'inscription enregistrés.");

    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    const address = `visio.${Date.now()}@example.org`;
    const signUp = await page.request.post(`/api/events/${workshop.id}/registrations`, {
      data: { name: 'Mei Lin', email: address, language: 'fr', answers: {}, consent: true },
    });
    expect(signUp.status()).toBe(201);
    const link = personalLink(await mailbox.waitFor(address, /./));

    // Twenty minutes before the start, for the server and for the browser.
    const start = Date.parse(workshop.startsAt);
    const twentyBefore = start - 20 * 60_000;
    await page.request.post('/api/test/clock', { data: { offsetMs: twentyBefore - Date.now() } });
    await page.clock.install({ time: twentyBefore });
    await page.goto(link);
    const card = page.getByRole('article', { name: new RegExp(workshop.title) }).first();
    await expect(card.getByText(/Le lien pour rejoindre la salle apparaîtra ici à/)).toBeVisible();
    await expect(card.getByRole('link', { name: /Rejoindre la salle en ligne/ })).toHaveCount(0);

    // Five minutes later, the page asks again by itself and shows the link.
    await page.request.post('/api/test/clock', { data: { offsetMs: twentyBefore + 5 * 60_000 + 1000 - Date.now() } });
    await page.clock.fastForward('05:01');
    await expect(card.getByRole('link', { name: /Rejoindre la salle en ligne/ })).toHaveAttribute('href', JOIN_URL);
  });
});
