import { expect, seriousViolations, test } from '../fixtures';
import { Mailbox, personalLink } from '../fixtures/mailbox';

const mailbox = new Mailbox();

test.describe('sign-up for the librarians', () => {
  test('adds a question to an event’s sign-up form, which the public form then asks', async ({ admin, newViewer }) => {
    const page = admin.page;
    const title = `Atelier CV ${Date.now()}`;
    const id = await admin.createEvent({ title, access: 'registration', inDays: 5 });
    const settings = page.getByRole('region', { name: 'Inscriptions' });
    await settings.getByRole('button', { name: 'Ajouter une question' }).click();
    await expect(settings.getByRole('textbox', { name: /^Intitulé/ })).toBeFocused();
    await page.keyboard.type('Votre bibliothèque');
    await settings.getByRole('checkbox', { name: 'Réponse obligatoire' }).check();
    await settings.getByRole('button', { name: "Enregistrer les réglages d'inscription" }).click();
    await expect(settings.getByRole('status')).toHaveText("Réglages d'inscription enregistrés.");
    expect(await seriousViolations(page, { media: false })).toEqual([]);
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(id, title);
    await expect(viewer.page.getByRole('textbox', { name: /Votre bibliothèque/ })).toBeVisible();
  });

  test('signs someone up at the desk, ticks their attendance, and cancels a registration after asking', async ({ admin }) => {
    const page = admin.page;
    await page.goto('/admin/events/atelier-ecriture/registrations');
    await expect(page.getByRole('heading', { level: 1, name: /^Inscriptions : / })).toBeVisible();
    const name = `Jeanne Accueil ${Date.now()}`;
    const desk = page.getByRole('region', { name: "Inscrire quelqu'un" });
    await desk.getByRole('textbox', { name: /^Nom et prénom/ }).fill(name);
    await desk.getByRole('textbox', { name: /^Téléphone/ }).fill('01 23 45 67 89');
    await desk.getByRole('button', { name: 'Inscrire' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${name} est inscrit·e.` })).toBeFocused();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row.getByRole('cell', { name: "À l'accueil" })).toBeVisible();
    await row.getByRole('checkbox', { name: `Présence de ${name}` }).check();
    await page.reload();
    await expect(page.getByRole('row', { name: new RegExp(name) }).getByRole('checkbox')).toBeChecked();
    await page.getByRole('button', { name: `Annuler l'inscription de ${name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Annuler', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: `Inscription de ${name} annulée.` })).toBeVisible();
    expect(await seriousViolations(page, { media: false })).toEqual([]);
    // On a phone the table scrolls in its own box; the page itself fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('lists the emails sent, which the library’s mail server received', async ({ admin, newViewer }) => {
    const viewer = await newViewer({ video: false });
    const address = `outbox.${Date.now()}@example.org`;
    const response = await viewer.page.request.post('/api/events/atelier-ecriture/registrations', {
      data: { name: 'Outbox Test', email: address, language: 'fr', consent: true },
    });
    expect(response.ok()).toBe(true);
    const page = admin.page;
    await page.goto('/admin/outbox');
    await expect(page.getByRole('heading', { level: 1, name: 'E-mails envoyés' })).toBeVisible();
    // The e2e server sends through SMTP (the runner's test server), as a library's server does.
    await expect(page.getByText("Les e-mails partent par le serveur d'envoi configuré (SMTP_URL).")).toBeVisible();
    await expect
      .poll(async () => {
        await page.reload();
        // The console's code and strings load after the page itself: count the rows once the table is there.
        await expect(page.getByRole('table', { name: 'E-mails, page 1' })).toBeVisible();
        return page.getByRole('row', { name: new RegExp(`${address}.*Envoyé`) }).count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    // What the page says was sent is in the person's mailbox, with their personal link.
    const mail = await mailbox.waitFor(address, /^Inscription confirmée/);
    expect(personalLink(mail)).toMatch(/^\/me#/);
    expect(await seriousViolations(page, { media: false })).toEqual([]);
  });

  test('ticks attendance in the moderator console of a workshop held in an outside room, and only there', async ({ admin, programme }) => {
    const workshop = (await programme.events())
      .filter((e) => e.seriesId === 'conversation-fle' && e.status === 'scheduled')
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0]!;
    await admin.setJoinUrlThroughApi(workshop.id, 'https://visio.example.org/atelier-presences');
    const page = admin.page;
    await page.goto(`/events/${workshop.id}/moderate`);
    const panel = page.getByRole('region', { name: 'Présences' });
    await expect(panel).toBeVisible();
    const first = panel.getByRole('checkbox').first();
    await first.check();
    await expect(panel.getByRole('status')).toContainText('1 présent·es sur');

    // A registration event with no outside room: no tick boxes, once the console has read the event's public answer.
    const id = await admin.createEventThroughApi({ title: `Conférence sur inscription ${Date.now()}`, access: 'registration' });
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/events/${id}` && r.request().method() === 'GET');
    await page.goto(`/events/${id}/moderate`);
    await (await answered).finished();
    await expect(page.getByRole('heading', { level: 1, name: 'Console de modération' })).toBeVisible();
    // Two frames: the answer read, then the console drawn from it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expect(page.getByRole('region', { name: 'Présences' })).toHaveCount(0);
  });

  test('edits the rule of a series: its days, its time and the fair cap', async ({ admin }) => {
    const page = admin.page;
    await admin.openAdmin();
    await page.getByRole('button', { name: /Modifier le cycle « Conversation en français »/ }).click();
    await expect(page.getByRole('checkbox', { name: 'Créer les dates de ce cycle à partir d’une règle' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Lundi' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Vendredi' })).toBeChecked();
    await page.getByRole('textbox', { name: 'Plafond par personne et par semaine' }).fill('9');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Plafond par personne et par semaine' })).toBeFocused();
    await expect(page.getByText('Un nombre entier de 1 à 7, ou rien.')).toBeVisible();
  });
});
