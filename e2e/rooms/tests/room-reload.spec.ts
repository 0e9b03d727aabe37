import { expect, test } from '../../fixtures';
import { InRoom } from '../room-page';
import { signUp } from '../registrants';

/*
 * A person whose page reloads in the middle of a workshop (a tap on the wrong button, a browser that restarts the
 * tab) comes back in with the same personal link: Janus lets the old session go with its socket, and the others see
 * and hear them again.
 */

test('a participant who reloads the room page comes back in, and the other sees and hears them again', async ({ admin, newViewer, request }) => {
  const eventId = await admin.createRoomWorkshopThroughApi({ title: `Atelier d'écriture ${Date.now()}`, startsAt: new Date(Date.now() + 10 * 60_000), capacity: 3 });
  const people: InRoom[] = [];
  for (const name of ['Inès Morel', 'Jules Blanc']) {
    const registrant = await signUp(request, eventId, name);
    const person = await InRoom.prepare(name, (await newViewer({ name, video: false })).page);
    await person.enterFromPersonalLink(registrant.link);
    people.push(person);
  }
  const [ines, jules] = people as [InRoom, InRoom];
  await jules.expectReceivingFrom(1);

  await ines.page.reload();
  await ines.passTheCheck();
  await expect(ines.tileOf(jules.name)).toBeVisible();
  await expect(jules.tileOf(ines.name)).toBeVisible();
  await ines.expectReceivingFrom(1);
  await jules.expectReceivingFrom(1);
});
