import { expect, test } from '../../fixtures';
import { InRoom } from '../room-page';
import { signUp } from '../registrants';

/*
 * A workshop held in a Parvis room, as its people live it: they sign up, open the personal link of their email, and
 * enter the room page from it; the workshop's moderator hosts. Parvis runs its Janus (ROOMS=janus) inside the run's
 * network namespace; each page's own getStats() says what it hears and sees.
 */

/** Starting in ten minutes: the room opens fifteen minutes before the start, so it is open now. */
const soon = () => new Date(Date.now() + 10 * 60_000);

test('three registrants meet in the workshop room and each hears and sees the two others; the waiting list is refused', async ({ admin, newViewer, request }) => {
  const title = `Atelier de conversation ${Date.now()}`;
  const eventId = await admin.createRoomWorkshopThroughApi({ title, startsAt: soon(), capacity: 3 });
  const names = ['Awa Diallo', 'Bruno Petit', 'Chloé Martin'];
  const people: InRoom[] = [];
  for (const name of names) {
    const registrant = await signUp(request, eventId, name);
    expect(registrant.status).toBe('confirmed');
    const person = await InRoom.prepare(name, (await newViewer({ name, video: false })).page);
    await person.enterFromPersonalLink(registrant.link);
    people.push(person);
  }
  for (const person of people) {
    for (const other of names.filter((n) => n !== person.name)) await expect(person.tileOf(other)).toBeVisible();
    await person.expectReceivingFrom(2);
  }

  const waiting = await signUp(request, eventId, 'Dinah Weiss');
  expect(waiting.status).toBe('waitlisted');
  const dinah = (await newViewer({ name: 'Dinah Weiss', video: false })).page;
  await dinah.goto(waiting.link);
  // Her personal page keeps her link for the tab once it shows her registration; then she tries the room's address.
  await expect(dinah.getByRole('heading', { name: title })).toBeVisible();
  await dinah.goto(`/events/${eventId}/room`);
  await expect(dinah.getByRole('heading', { name: "Vous êtes sur liste d'attente" })).toBeVisible();
  await expect(dinah.getByRole('button', { name: 'Entrer dans la salle' })).toHaveCount(0);
});

test('the host removes a participant, who is gone for the others', async ({ admin, newViewer, newModerator, request }) => {
  const title = `Atelier d'écriture ${Date.now()}`;
  const eventId = await admin.createRoomWorkshopThroughApi({ title, startsAt: soon(), capacity: 3 });
  const moderator = await newModerator({ name: 'Hélène Host', video: false });
  await moderator.acceptInvite(await admin.createInviteThroughApi(eventId, 'moderator'), title);
  const host = await InRoom.prepare(moderator.name, moderator.page);
  await host.enterAsStaff(eventId);

  const people: InRoom[] = [];
  for (const name of ['Élie Robert', 'Fatou Sow']) {
    const registrant = await signUp(request, eventId, name);
    const person = await InRoom.prepare(name, (await newViewer({ name, video: false })).page);
    await person.enterFromPersonalLink(registrant.link);
    people.push(person);
  }
  const [elie, fatou] = people as [InRoom, InRoom];
  await fatou.expectReceivingFrom(2);
  await expect(fatou.tileOf(elie.name)).toBeVisible();

  // The host mutes Élie: Janus stops relaying his microphone, so Fatou hears only the host, and still sees both.
  await host.grid().getByRole('button', { name: `Couper le micro de ${elie.name}` }).click();
  await fatou.expectReceiving({ audio: 1, video: 2 });

  await host.grid().getByRole('button', { name: `Retirer ${elie.name} de la salle` }).click();
  const confirm = host.page.getByRole('dialog');
  await expect(confirm).toContainText(`Retirer ${elie.name} de la salle ?`);
  await confirm.getByRole('button', { name: 'Retirer', exact: true }).click();

  await expect(elie.page.getByRole('heading', { name: 'Vous avez été retiré·e de la salle' })).toBeVisible();
  await expect(fatou.tileOf(elie.name)).toHaveCount(0);
  await expect(host.tileOf(elie.name)).toHaveCount(0);
  // Fatou still hears and sees the host, and no longer Élie.
  await fatou.expectReceivingFrom(1);
});
