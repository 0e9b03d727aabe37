import { expect, seriousViolations, test, type Viewer } from '../fixtures';
import { Mailbox, personalLink } from '../fixtures/mailbox';

const mailbox = new Mailbox();

/** Signs someone up for the writing workshop through the API, and answers their address. */
async function signedUp(viewer: Viewer, who: string): Promise<string> {
  const address = `${who}.${Date.now()}@example.org`;
  const response = await viewer.page.request.post('/api/events/atelier-ecriture/registrations', {
    data: { name: `${who} Test`, email: address, language: 'fr', consent: true },
  });
  expect(response.status()).toBe(201);
  return address;
}

test.describe('my registrations', () => {
  test('opens from the confirmation email, keeps working after a reload, and cancels after asking', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    const address = await signedUp(viewer, 'nadia');
    const confirmation = await mailbox.waitFor(address, /./);
    await page.goto(personalLink(confirmation));
    await expect(page.getByRole('heading', { level: 1, name: 'Mes inscriptions' })).toBeVisible();
    // The token leaves the address bar at once.
    expect(new URL(page.url()).hash).toBe('');
    await page.reload();
    const card = page.getByRole('article', { name: /Atelier d'écriture/ });
    await expect(card.getByText('Inscription confirmée')).toBeVisible();
    expect(await seriousViolations(page, { media: false })).toEqual([]);
    await card.getByRole('button', { name: /Annuler mon inscription à/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Annuler votre inscription ?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Annuler mon inscription' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Inscription annulée.' })).toBeFocused();
    await expect(page.getByRole('region', { name: 'Passées ou annulées' }).getByText('Inscription annulée')).toBeVisible();
  });

  test('a freed seat goes to the first person waiting, who accepts it from their page', async ({ admin, newViewer }) => {
    // One seat: the first person takes it, the second waits.
    const title = `Atelier une place ${Date.now()}`;
    const id = await admin.createEvent({ title, access: 'registration', inDays: 6 });
    await admin.page.getByRole('textbox', { name: 'Nombre de places' }).fill('1');
    await admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect(admin.page.getByRole('status').filter({ hasText: 'Modifications enregistrées.' })).toBeVisible();

    const first = await newViewer({ video: false });
    const second = await newViewer({ video: false });
    const stamp = Date.now();
    const addresses = [`premiere.${stamp}@example.org`, `seconde.${stamp}@example.org`];
    for (const [i, viewer] of [first, second].entries()) {
      const answer = await viewer.page.request.post(`/api/events/${id}/registrations`, {
        data: { name: `Personne ${i + 1}`, email: addresses[i], language: 'fr', consent: true },
      });
      expect(answer.status()).toBe(201);
    }

    // The second person's page says where they wait.
    await second.page.goto(personalLink(await mailbox.waitFor(addresses[1]!, /./)));
    const waiting = second.page.getByRole('article', { name: title });
    await expect(waiting.getByText("Sur liste d'attente : position 1")).toBeVisible();

    // The first cancels; the seat is offered to the second, by email and on their page.
    await first.page.goto(personalLink(await mailbox.waitFor(addresses[0]!, /./)));
    await first.page.getByRole('button', { name: new RegExp(`Annuler mon inscription à « ${title} »`) }).click();
    await first.page.getByRole('dialog').getByRole('button', { name: 'Annuler mon inscription' }).click();
    await expect(first.page.getByRole('status').filter({ hasText: 'Inscription annulée.' })).toBeVisible();

    const offer = await mailbox.waitFor(addresses[1]!, /place/i);
    await second.page.goto(personalLink(offer));
    const offered = second.page.getByRole('article', { name: title });
    await expect(offered.getByText('Une place vous est proposée')).toBeVisible();
    await expect(offered.getByText(/Acceptez-la avant le/)).toBeVisible();
    await offered.getByRole('button', { name: new RegExp(`Accepter la place pour « ${title} »`) }).click();
    await expect(second.page.getByRole('status').filter({ hasText: 'Place acceptée' })).toBeFocused();
    await expect(offered.getByText('Inscription confirmée')).toBeVisible();
  });

  test('brings a registrant from their page into the live room of a streamed event, under their registered name', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    const address = `salle.${Date.now()}@example.org`;
    const answer = await page.request.post('/api/events/webinaire-emi/registrations', {
      data: { name: 'Claire Registrante', email: address, language: 'fr', answers: { bibliotheque: 'Médiathèque des tests' }, consent: true },
    });
    expect(answer.status()).toBe(201);
    await page.goto(personalLink(await mailbox.waitFor(address, /./)));
    await page.getByRole('link', { name: "Aller à la salle de l'événement" }).click();
    await expect(page.getByText('Vous discutez en tant que Claire Registrante.')).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Votre nom' })).toHaveCount(0);
  });

  test('says a link that no longer works should be replaced by the latest email', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    await viewer.page.goto('/me#not.a.token');
    await expect(viewer.page.getByRole('heading', { level: 1, name: 'Ce lien ne fonctionne plus' })).toBeVisible();
    await expect(viewer.page.getByRole('alert')).toContainText('utilisez celui du dernier e-mail');
  });

  test('“I did not ask for this” changes nothing until its one button, which cancels and voids the links', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    const address = await signedUp(viewer, 'intrus');
    const confirmation = await mailbox.waitFor(address, /./);
    await page.goto(personalLink(confirmation, 'not-me'));
    await expect(page.getByRole('heading', { level: 1, name: 'Vous n’avez pas demandé cette inscription ?' })).toBeVisible();
    await page.getByRole('button', { name: "Ce n'était pas moi : annuler cette inscription" }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Inscription annulée' })).toBeFocused();
    await page.goto(personalLink(confirmation));
    await expect(page.getByRole('heading', { level: 1, name: 'Ce lien ne fonctionne plus' })).toBeVisible();
  });

  test('erases my data after asking, then says so', async ({ newViewer }) => {
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    const address = await signedUp(viewer, 'efface');
    await page.goto(personalLink(await mailbox.waitFor(address, /./)));
    // On a phone, the page fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Effacer mes données' }).click();
    await page.getByRole('dialog', { name: 'Effacer vos données ?' }).getByRole('button', { name: 'Effacer mes données' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Vos données sont effacées' })).toBeFocused();
  });
});
