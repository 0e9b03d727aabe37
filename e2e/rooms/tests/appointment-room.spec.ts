import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../../fixtures';
import { Mailbox, personalLink } from '../../fixtures/mailbox';
import { InRoom } from '../room-page';
import { askForRoom } from '../registrants';

/*
 * A help-desk appointment held in a Parvis room: a reader books a slot with a word about their need, the librarian
 * gives it to a partner, and the reader and the partner meet in the slot's room, each from the personal link of their
 * email. The room is theirs (and the staff's) only: a reader of another slot is refused. The server's clock is moved
 * to ten minutes before the slot (PARVIS_TEST_CLOCK=1, POST /api/test/clock), so the desk's hours never depend on
 * the time the suite runs at.
 */

const mailbox = new Mailbox();
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/** Tomorrow's date in Paris, `2027-01-05`, and its weekday as a recurrence names it. */
function tomorrowInParis(): { day: string; weekday: (typeof WEEKDAYS)[number] } {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + 86_400_000));
  return { day, weekday: WEEKDAYS[new Date(`${day}T12:00:00Z`).getUTCDay()]! };
}

/** Books a slot as the public form does, with the need; answers the person's personal link from the email. */
async function book(request: APIRequestContext, slotId: string, name: string, need: string): Promise<{ email: string; link: string }> {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${Date.now()}@example.org`;
  const response = await request.post(`/api/events/${encodeURIComponent(slotId)}/registrations`, {
    data: { name, email, language: 'fr', consent: true, answers: { need } },
  });
  expect(response.status(), await response.text()).toBe(201);
  expect(((await response.json()) as { registration: { status: string } }).registration.status).toBe('confirmed');
  return { email, link: personalLink(await mailbox.waitFor(email, /^Inscription confirmée/)) };
}

test.afterEach(async ({ request }) => {
  await request.post('/api/test/clock', { data: { offsetMs: 0 } });
});

test('an appointment is booked, given to a partner, and joined by the reader and the partner; a third person is refused', async ({
  admin,
  newViewer,
  request,
}) => {
  const { day, weekday } = tomorrowInParis();
  const desk = await admin.createHelpDeskThroughApi({
    title: `Aide juridique ${Date.now()}`,
    byDay: [weekday],
    startTime: '10:00',
    endTime: '11:00',
    slotMinutes: 30,
    from: day,
    until: day,
    mode: 'room',
    language: 'fr',
    librarian: { name: 'Line Bibliothécaire', email: `line.${Date.now()}@example.org` },
  });
  expect(desk.slots.map((s) => s.room)).toEqual(['parvis', 'parvis']);
  const [slot, otherSlot] = desk.slots as [(typeof desk.slots)[0], (typeof desk.slots)[0]];

  const reader = await book(request, slot.id, 'Rosa Lemaire', 'Un litige avec mon propriétaire.');
  const stranger = await book(request, otherSlot.id, 'Samir Haddad', 'Un contrat de travail.');
  const partnerEmail = `maitre.durand.${Date.now()}@example.org`;
  await admin.assignPartnerThroughApi(desk.id, slot.id, { name: 'Maître Durand', email: partnerEmail, language: 'fr' });
  const partnerLink = personalLink(await mailbox.waitFor(partnerEmail, /^Rendez-vous confirmé/));
  await mailbox.waitFor(reader.email, /^Rendez-vous confirmé/);

  await request.post('/api/test/clock', { data: { offsetMs: Date.parse(slot.startsAt) - 10 * 60_000 - Date.now() } });

  const rosa = await InRoom.prepare('Rosa Lemaire', (await newViewer({ name: 'Rosa Lemaire', video: false })).page);
  const durand = await InRoom.prepare('Maître Durand', (await newViewer({ name: 'Maître Durand', video: false })).page);
  for (const [person, link] of [[rosa, reader.link], [durand, partnerLink]] as const) {
    await person.page.goto(link);
    await person.page.getByRole('link', { name: 'Ouvrir la salle du rendez-vous' }).click();
    await person.passTheCheck();
  }
  await expect(rosa.tileOf('Maître Durand')).toBeVisible();
  await expect(durand.tileOf('Rosa Lemaire')).toBeVisible();
  await rosa.expectReceivingFrom(1);
  await durand.expectReceivingFrom(1);

  // Samir has a personal link (his own slot), but this room is not his: the server refuses him, and so does the page.
  const refused = await askForRoom(request, slot.id, { token: stranger.link.slice(stranger.link.indexOf('#') + 1) });
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ error: { reason: 'not-registered' } });
  const samir = (await newViewer({ name: 'Samir Haddad', video: false })).page;
  await samir.goto(stranger.link);
  await expect(samir.getByRole('heading', { name: 'Mes rendez-vous' })).toBeVisible();
  await samir.goto(`/events/${slot.id}/room`);
  await expect(samir.getByRole('heading', { name: 'Cette salle est réservée aux personnes inscrites' })).toBeVisible();
  await expect(samir.getByRole('button', { name: 'Entrer dans la salle' })).toHaveCount(0);
});
