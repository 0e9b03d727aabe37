import type { Event } from '#shared/domain/event';
import { expect, parisDay, test, type Viewer } from '../fixtures';
import { invitationIn, Mailbox, personalLink } from '../fixtures/mailbox';

/*
 * The sign-up flow of issue 10 from one end to the other, on a Monday/Friday French conversation workshop of its own
 * (the demo's dates may be full): one seat per date, with a waiting list. The emails are read from the test SMTP
 * server the Playwright runner started (fixtures/smtp-inbox.ts). Time moves without waiting: the server's sign-up
 * clock through `POST /api/test/clock` (PARVIS_TEST_CLOCK=1 in playwright.config.ts), the browser's with `page.clock`.
 */

const mailbox = new Mailbox();
const MINUTE = 60_000;
const JOIN_URL = 'https://visio.example.org/conversation-francais-salle-3';

/** "lundi 7 décembre 2026": how the date picker names a date (the client's `day`, in French, in Paris time). */
const dayInParis = (instant: string) =>
  new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(
    new Date(instant),
  );

/** One registration on the personal page: the card of the date that starts at `event.startsAt`. */
const card = (viewer: Viewer, event: Event) =>
  viewer.page.getByRole('article').filter({ has: viewer.page.locator(`time[datetime="${event.startsAt}"]`) });

test.describe('the Monday/Friday French conversation workshop', () => {
  test.afterEach(async ({ request }) => {
    // The test clock moves the whole sign-up module, for every later test too: back to the real time.
    const reset = await request.post('/api/test/clock', { data: { offsetMs: 0 } });
    expect(reset.ok()).toBe(true);
  });

  test('two dates in one form, the confirmation by email, the join link on time, a cancellation, and the seat taken by the first person waiting', async ({
    admin,
    newViewer,
  }) => {
    const stamp = Date.now();
    const title = `Conversation en français ${stamp}`;
    // Mondays and Fridays at 18:00 in Paris, for one week from the day after tomorrow: one Monday and one Friday,
    // each with one seat and a waiting list.
    const dates = await admin.createSeriesThroughApi({
      id: `conversation-e2e-${stamp}`,
      title,
      recurrence: {
        byDay: ['MO', 'FR'],
        time: '18:00',
        durationMinutes: 90,
        timezone: 'Europe/Paris',
        from: parisDay(2),
        until: parisDay(8),
        template: {
          kind: 'workshop',
          title,
          access: 'registration',
          capacity: 1,
          waitlist: true,
          language: 'fr',
          form: [{ id: 'niveau', label: 'Votre niveau de français', type: 'choice', options: ['A2', 'B1', 'B2'], required: false }],
        },
      },
    });
    expect(dates).toHaveLength(2);
    // The earlier date is held in an outside video room; the later one is the date Lina gives up.
    const [inRoom, givenUp] = dates as [Event, Event];
    await admin.setJoinUrlThroughApi(inRoom.id, JOIN_URL);

    // Lina picks both dates on the series' page and signs up once.
    const lina = await newViewer({ video: false });
    const linaAddress = `lina.${stamp}@example.org`;
    await lina.page.goto(`/series/conversation-e2e-${stamp}`);
    const picker = lina.page.getByRole('group', { name: 'Choisissez vos dates' });
    for (const date of dates) await picker.getByRole('checkbox', { name: new RegExp(`^${dayInParis(date.startsAt)}`) }).check();
    await expect(lina.page.getByText('2 dates choisies.')).toBeVisible();
    await lina.page.getByRole('textbox', { name: /^Nom et prénom/ }).fill('Lina Haddad');
    await lina.page.getByRole('textbox', { name: /^Adresse e-mail/ }).fill(linaAddress);
    await lina.page.getByRole('combobox', { name: /Votre niveau de français/ }).selectOption('B1');
    await lina.page.getByRole('checkbox', { name: /J’accepte/ }).check();
    await lina.page.getByRole('button', { name: "S'inscrire à 2 dates" }).click();
    const result = lina.page.locator('.result');
    await expect(result).toBeFocused();
    await expect(result.getByRole('listitem')).toHaveCount(2);
    for (const line of await result.getByRole('listitem').all()) await expect(line).toContainText('Confirmée');

    // Omar waits for the date Lina will give up.
    const omar = await newViewer({ video: false });
    const omarAddress = `omar.${stamp}@example.org`;
    const waiting = await omar.page.request.post(`/api/events/${givenUp.id}/registrations`, {
      data: { name: 'Omar Benali', email: omarAddress, language: 'fr', answers: { niveau: 'A2' }, consent: true },
    });
    expect(waiting.status()).toBe(201);
    expect((await waiting.json()).registration).toMatchObject({ status: 'waitlisted', position: 1 });
    await mailbox.waitFor(omarAddress, /^Liste d’attente/);

    // Lina's confirmations come through SMTP, one per date, each with an invitation a calendar app reads.
    const confirmations = await mailbox.waitForAll(linaAddress, /^Inscription confirmée/, 2);
    const invitations = confirmations.map(invitationIn);
    for (const date of dates) {
      const invitation = invitations.find((i) => i.uid.startsWith(`${date.id}@`));
      expect(invitation, `an invitation for ${date.id}`).toBeDefined();
      expect(invitation).toMatchObject({ method: 'REQUEST', startsAt: date.startsAt, endsAt: date.endsAt });
    }

    // Twenty minutes before the first date, for the server and for Lina's browser, she opens her personal link.
    const twentyBefore = Date.parse(inRoom.startsAt) - 20 * MINUTE;
    await lina.page.request.post('/api/test/clock', { data: { offsetMs: twentyBefore - Date.now() } });
    await lina.page.clock.install({ time: twentyBefore });
    await lina.page.goto(personalLink(confirmations[0]!));
    await expect(lina.page.getByRole('heading', { level: 1, name: 'Mes inscriptions' })).toBeVisible();
    const roomCard = card(lina, inRoom);
    await expect(roomCard.getByText('Inscription confirmée')).toBeVisible();
    await expect(roomCard.getByText(/Le lien pour rejoindre la salle apparaîtra ici à/)).toBeVisible();
    await expect(roomCard.getByRole('link', { name: /Rejoindre la salle en ligne/ })).toHaveCount(0);

    // Five minutes later, fifteen before the start, the page asks again by itself and shows the room's link.
    await lina.page.request.post('/api/test/clock', { data: { offsetMs: twentyBefore + 5 * MINUTE + 1000 - Date.now() } });
    await lina.page.clock.fastForward('05:01');
    await expect(roomCard.getByRole('link', { name: /Rejoindre la salle en ligne/ })).toHaveAttribute('href', JOIN_URL);

    // She gives up the later date.
    await card(lina, givenUp).getByRole('button', { name: /^Annuler mon inscription à/ }).click();
    await lina.page.getByRole('dialog', { name: 'Annuler votre inscription ?' }).getByRole('button', { name: 'Annuler mon inscription' }).click();
    await expect(lina.page.getByRole('status').filter({ hasText: 'Inscription annulée.' })).toBeVisible();
    await expect(card(lina, givenUp).getByText('Inscription annulée')).toBeVisible();

    // Omar, first in line, is offered the seat by email, and takes it from his own personal link.
    const offer = await mailbox.waitFor(omarAddress, /^Une place s’est libérée/);
    await omar.page.goto(personalLink(offer));
    const offered = card(omar, givenUp);
    await expect(offered.getByText('Une place vous est proposée')).toBeVisible();
    await offered.getByRole('button', { name: new RegExp(`^Accepter la place pour « ${title} »`) }).click();
    await expect(omar.page.getByRole('status').filter({ hasText: 'Place acceptée' })).toBeFocused();
    await expect(offered.getByText('Inscription confirmée')).toBeVisible();
    // The seat is his on the server: it is still there after a reload.
    await omar.page.reload();
    await expect(card(omar, givenUp).getByText('Inscription confirmée')).toBeVisible();
  });
});
