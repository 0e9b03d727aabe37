import type { Event } from '#shared/domain/event';
import type { EventAnswer } from '#shared/domain/registration';
import { expect, seriousViolations, test, type Viewer } from '../fixtures';

/** A unique address per run and test: sign-ups of earlier tests stay in the shared server. */
const email = (who: string) => `${who}.${Date.now()}@example.org`;

async function fillSignUp(viewer: Viewer, name: string, address: string): Promise<void> {
  const page = viewer.page;
  await page.getByRole('textbox', { name: /^Nom et prénom/ }).fill(name);
  await page.getByRole('textbox', { name: /^Adresse e-mail/ }).fill(address);
  await page.getByRole('checkbox', { name: /J’accepte que la bibliothèque garde/ }).check();
}

/** The writing workshop: a registration event with seats, in no series. */
async function writingWorkshop(events: Event[]): Promise<Event> {
  const event = events.find((e) => e.id === 'atelier-ecriture');
  expect(event, 'the demo programme has the writing workshop').toBeDefined();
  return event!;
}

test.describe('signing up for an event', () => {
  test('names each field to fix and takes the focus to the list of problems', async ({ newViewer, programme }) => {
    const event = await writingWorkshop(await programme.events());
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(event.id, event.title);
    const signUp = viewer.page.getByRole('region', { name: 'Inscription' });
    await expect(signUp.getByText(/Il reste \d+ places?\./)).toBeVisible();
    await signUp.getByRole('textbox', { name: /^Adresse e-mail/ }).fill('pas-une-adresse');
    await signUp.getByRole('button', { name: "S'inscrire" }).click();
    const summary = viewer.page.locator('.error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Le formulaire contient 3 erreurs');
    // The message is read with the field, after its hint.
    const emailField = signUp.getByRole('textbox', { name: /^Adresse e-mail/ });
    await expect(emailField).toHaveAccessibleDescription(/Indiquez une adresse e-mail valide\./);
    await expect(emailField).toHaveAttribute('aria-invalid', 'true');
  });

  test('signs up from the keyboard alone, and reads the result in words with the focus on it', async ({ newViewer, programme }) => {
    const event = await writingWorkshop(await programme.events());
    const viewer = await newViewer({ video: false });
    const page = viewer.page;
    await viewer.openEvent(event.id, event.title);
    await page.getByRole('textbox', { name: /^Nom et prénom/ }).focus();
    await page.keyboard.type('Amina Diallo');
    await page.keyboard.press('Tab');
    // The hint of the email field sits between: Tab goes from field to field.
    await expect(page.getByRole('textbox', { name: /^Adresse e-mail/ })).toBeFocused();
    const address = email('amina');
    await page.keyboard.type(address);
    await page.getByRole('checkbox', { name: /J’accepte/ }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    const result = page.locator('.result');
    await expect(result).toBeFocused();
    await expect(result).toContainText('C’est confirmé : une place vous attend.');
    await expect(result).toContainText(address);
    // Signing up again with the same address answers the same registration, not a second seat.
    await page.getByRole('button', { name: 'Inscrire une autre personne' }).click();
    await fillSignUp(viewer, 'Amina Diallo', address.toUpperCase());
    await page.getByRole('button', { name: "S'inscrire" }).click();
    await expect(page.locator('.result')).toContainText('Cette adresse était déjà inscrite');
  });

  test('joins the waiting list of a full workshop and is told its position', async ({ newViewer, programme }) => {
    const full = (await programme.events())
      .filter((e) => e.seriesId === 'conversation-fle' && e.status === 'scheduled')
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0]!;
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(full.id, full.title);
    const signUp = viewer.page.getByRole('region', { name: 'Inscription' });
    await expect(signUp.getByText(/Toutes les places sont prises/)).toBeVisible();
    // The date of this page is picked already; the series' other dates are offered beside it.
    await expect(signUp.getByRole('checkbox', { name: /cette date/ })).toBeChecked();
    await fillSignUp(viewer, 'Kofi Mensah', email('kofi'));
    await signUp.getByRole('button', { name: /S'inscrire à 1 date/ }).click();
    await expect(viewer.page.locator('.result')).toContainText(/Liste d'attente, position \d+/);
  });

  test('says how long the library keeps what people give, as the server is set to', async ({ newViewer, programme, request }) => {
    const event = await writingWorkshop(await programme.events());
    const answer = (await (await request.get(`/api/events/${event.id}`)).json()) as EventAnswer;
    // The e2e server keeps sign-up data 45 days, not the default 30 (playwright.config.ts).
    expect(answer.retentionDays).toBe(45);
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(event.id, event.title);
    const signUp = viewer.page.getByRole('region', { name: 'Inscription' });
    await expect(signUp.getByText(/jusqu'à 45 jours après l'événement ; ensuite, ils sont effacés/)).toBeVisible();
  });

  test('the sign-up form has no serious or critical axe violations, and fits a phone', async ({ newViewer, programme }) => {
    const event = await writingWorkshop(await programme.events());
    const phone = await newViewer({ video: false, viewport: { width: 390, height: 844 } });
    await phone.openEvent(event.id, event.title);
    await expect(phone.page.getByRole('region', { name: 'Inscription' })).toBeVisible();
    expect(await seriousViolations(phone.page, { media: false })).toEqual([]);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('adds the event to a calendar: the .ics file, Google Calendar and Outlook with the times in UTC', async ({ newViewer, programme }) => {
    const event = await writingWorkshop(await programme.events());
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(event.id, event.title);
    const calendar = viewer.page.getByRole('group', { name: 'Ajouter à mon agenda' });
    await expect(calendar.getByRole('link', { name: 'Fichier agenda (.ics)' })).toHaveAttribute('href', `/api/events/${event.id}/calendar.ics`);
    const google = new URL((await calendar.getByRole('link', { name: /Google Agenda/ }).getAttribute('href'))!);
    const utc = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(google.searchParams.get('dates')).toBe(`${utc(event.startsAt)}/${utc(event.endsAt)}`);
    const ics = await viewer.page.request.get(`/api/events/${event.id}/calendar.ics`);
    expect(ics.ok()).toBe(true);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  });
});
