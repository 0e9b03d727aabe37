import { expect, parisDay, seriousViolations, test } from '../fixtures';
import { Mailbox, personalLink } from '../fixtures/mailbox';

const mailbox = new Mailbox();
const WEEKDAY_FR = ['Dimanche', 'Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi'];

test.describe('help desks by appointment', () => {
  test('a librarian makes a phone help desk, a reader books a slot with their need, a partner is assigned and both see the appointment', async ({
    admin,
    newViewer,
  }) => {
    const page = admin.page;
    const stamp = Date.now();
    const title = `Aide juridique ${stamp}`;
    const day = parisDay(6);
    await page.goto('/admin/help-desks');
    await expect(page.getByRole('heading', { level: 1, name: 'Permanences sur rendez-vous' })).toBeVisible();
    const form = page.getByRole('region', { name: 'Nouvelle permanence' });
    await form.getByRole('textbox', { name: /^Titre/ }).fill(title);
    // A mistake first: the slot does not fit in the hours, said beside the field, which takes the focus.
    await form.getByRole('checkbox', { name: WEEKDAY_FR[new Date(`${day}T12:00:00Z`).getUTCDay()]! }).check();
    await form.getByLabel(/^Heure de début/).fill('14:00');
    await form.getByLabel(/^Heure de fin/).fill('14:20');
    await form.getByLabel(/^Premier jour/).fill(day);
    await form.getByLabel(/^Dernier jour/).fill(day);
    await form.getByRole('radio', { name: 'par téléphone' }).check();
    await form.getByRole('textbox', { name: /^Bibliothécaire référent/ }).fill('Accueil');
    await form.getByRole('textbox', { name: /^Son e-mail/ }).fill('accueil@example.org');
    await form.getByRole('button', { name: 'Créer la permanence et ses créneaux' }).click();
    await expect(form.getByRole('spinbutton', { name: /^Durée d’un créneau/ })).toBeFocused();
    await form.getByLabel(/^Heure de fin/).fill('15:00');
    await form.getByRole('button', { name: 'Créer la permanence et ses créneaux' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'est créée avec 2 créneaux.' })).toBeVisible();
    expect(await seriousViolations(page, { media: false })).toEqual([]);
    await page.getByRole('link', { name: title }).click();
    const deskPath = new URL(page.url()).pathname;
    const deskId = deskPath.split('/').at(-1)!;

    // The reader books the first slot on the series page, with their need and their number.
    const reader = await newViewer({ video: false });
    const email = `lina.${stamp}@example.org`;
    await reader.page.goto(`/series/${deskId}`);
    await reader.page.getByRole('checkbox', { name: /14:00–14:30/ }).check();
    await expect(reader.page.getByText('1 date choisie.')).toBeVisible();
    await reader.page.getByRole('textbox', { name: /^Nom et prénom/ }).fill('Lina Haddad');
    await reader.page.getByRole('textbox', { name: /^Adresse e-mail/ }).fill(email);
    await reader.page.getByRole('textbox', { name: /Décrivez en quelques mots votre besoin/ }).fill('Un litige avec mon propriétaire');
    await reader.page.getByRole('textbox', { name: /Votre numéro de téléphone/ }).fill('06 11 22 33 44');
    await reader.page.getByRole('checkbox', { name: /J’accepte/ }).check();
    await reader.page.getByRole('button', { name: /^S'inscrire/ }).click();
    await expect(reader.page.locator('.result')).toContainText('Confirmée');

    // The librarian sees the request and gives it to a partner.
    await page.goto(deskPath);
    const row = page.getByRole('row', { name: /Lina Haddad/ });
    await expect(row).toContainText('Un litige avec mon propriétaire');
    await row.getByRole('button', { name: 'Attribuer la demande de Lina Haddad à un partenaire' }).click();
    await expect(row.getByRole('textbox', { name: /^Nom du partenaire/ })).toBeFocused();
    const partner = `avocate.${stamp}@example.org`;
    await page.keyboard.type('Maître Ana Roux');
    await row.getByRole('textbox', { name: /^Son e-mail/ }).fill(partner);
    await row.getByRole('button', { name: 'Attribuer et prévenir' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'attribuée à Maître Ana Roux' })).toBeFocused();
    await expect(page.getByRole('row', { name: /Lina Haddad/ })).toContainText('Maître Ana Roux');
    expect(await seriousViolations(page, { media: false })).toEqual([]);

    // The partner opens their personal link from the confirmation: the need and the number to call.
    const toPartner = await mailbox.waitFor(partner, /Rendez-vous confirmé/);
    const partnerPage = await newViewer({ video: false });
    await partnerPage.page.goto(personalLink(toPartner));
    const theirs = partnerPage.page.getByRole('list', { name: 'Mes rendez-vous' });
    await expect(theirs).toContainText('Vous recevez Lina Haddad.');
    await expect(theirs).toContainText('Un litige avec mon propriétaire');
    await expect(theirs.getByRole('link', { name: '06 11 22 33 44' })).toBeVisible();

    // The reader's page says who will call them, and at which number.
    const toReader = await mailbox.waitFor(email, /Rendez-vous confirmé/);
    await reader.page.goto(personalLink(toReader));
    const mine = reader.page.getByRole('list', { name: 'Mes rendez-vous' });
    await expect(mine).toContainText('Avec Maître Ana Roux.');
    await expect(mine).toContainText('Vous serez appelé·e au 06 11 22 33 44.');
    expect(await seriousViolations(reader.page, { media: false })).toEqual([]);
  });
});
