import { randomUUID } from 'node:crypto';
import { expect, parisDay, test } from '../fixtures';

/** A title unique to this run, since every test adds its events to the same programme. */
const titled = (what: string): string => `${what} ${randomUUID().slice(0, 8)}`;

test.describe('programme admin', () => {
  test('an admin creates an invite-only event and invites a moderator, who gets the moderator tools', async ({
    admin,
    newModerator,
  }) => {
    const title = titled('Rencontre sur invitation');
    const eventId = await admin.createEvent({ title, access: 'invite' });
    const link = await admin.createInvite('moderator');

    const moderator = await newModerator({ name: 'Lou Modératrice' });
    // The invitation lands on the moderator console of the event.
    expect(await moderator.acceptInvite(link, title)).toBe(eventId);
    await expect(moderator.page.getByText('Connecté·e : Lou Modératrice')).toBeVisible();
    await moderator.goToEventPage(title);

    // The room admits them, and the join tells the page they moderate.
    await expect(moderator.tools.getByRole('heading', { level: 2, name: 'Outils de modération' })).toBeVisible();
    await expect(moderator.page.getByText('Commence bientôt', { exact: true })).toBeVisible();
    await expect(moderator.messageBox).toBeEditable();
    await moderator.tools.getByRole('button', { name: 'Passer en direct' }).click();
    await expect(moderator.tools.getByRole('button', { name: "Terminer l'événement" })).toBeVisible();
    await expect(moderator.page.getByText('En direct', { exact: true }).first()).toBeVisible();

    // The admin sees who holds the role, and the invitation as accepted.
    await admin.page.reload();
    const roles = admin.page.getByRole('table', { name: 'Rôles dans cet événement' });
    await expect(roles.getByRole('row', { name: /Lou Modératrice/ })).toContainText('Modérateur·rice');
    await expect(admin.page.getByRole('table', { name: 'Invitations de cet événement' })).toContainText('Acceptée');

    // A link works once.
    const latecomer = await newModerator({ name: 'Retardataire' });
    await latecomer.page.goto(link);
    await expect(latecomer.page.getByRole('heading', { level: 1, name: 'Invitation non valable' })).toBeVisible();
    await expect(latecomer.page.getByRole('alert')).toContainText('déjà été acceptée');
  });

  test('refuses a guest who opens an invite-only event, saying an invitation is required', async ({ admin, newViewer }) => {
    const title = titled('Séance privée');
    const eventId = await admin.createEvent({ title, access: 'invite' });
    // The admin runs it live from its page: admins get the moderator tools of every event.
    await admin.page.getByRole('link', { name: "Voir la page de l'événement" }).click();
    await admin.page.getByRole('region', { name: 'Outils de modération' }).getByRole('button', { name: 'Passer en direct' }).click();
    await expect(admin.page.getByRole('button', { name: "Terminer l'événement" })).toBeVisible();

    const guest = await newViewer();
    await guest.openEvent(eventId, title);
    await expect(guest.page.getByRole('heading', { name: 'Invitation requise' }).first()).toBeVisible();
    await expect(guest.page.getByText('Cet événement est réservé aux personnes invitées.').first()).toBeVisible();
    // Nothing to watch, nowhere to write, no tools.
    await expect(guest.video).toHaveCount(0);
    await expect(guest.page.getByRole('textbox', { name: 'Votre nom' })).toHaveCount(0);
    await expect(guest.page.getByRole('region', { name: 'Outils de modération' })).toHaveCount(0);
  });

  test('shows an event cancelled by an admin as cancelled on an open programme, without a reload', async ({
    admin,
    newViewer,
  }) => {
    const title = titled('Atelier annulé');
    // Far enough ahead that no other test takes it for the next event of the programme.
    await admin.createEvent({ title, access: 'open', inDays: 20 });

    const viewer = await newViewer({ video: false });
    await viewer.openProgramme();
    const card = viewer
      .programmeSection('À venir')
      .getByRole('listitem')
      .filter({ has: viewer.page.getByRole('link', { name: title, exact: true }) });
    await expect(card).toBeVisible();
    await expect(card).not.toContainText('Annulé');
    await viewer.page.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));

    await admin.cancelEvent();

    await expect(card).toContainText('Annulé');
    expect(
      await viewer.page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage),
      'the programme page was not reloaded',
    ).toBe(true);
  });

  test('says next to the end field that the end must come after the start', async ({ admin }) => {
    const day = parisDay(5);
    await admin.openNewEventForm();
    await admin.page.getByRole('textbox', { name: /^Titre/ }).fill(titled('Horaires à l’envers'));
    await admin.startField.fill(`${day}T18:00`);
    await admin.endField.fill(`${day}T17:00`);
    await admin.page.getByRole('button', { name: "Créer l'événement" }).click();

    await expect(admin.endField).toHaveAttribute('aria-invalid', 'true');
    await expect(admin.endField).toHaveAccessibleDescription(/La fin doit être après le début\./);
    await expect(admin.startField).toHaveAttribute('aria-invalid', 'false');
    // The summary above the form leads to the field.
    await admin.page.getByRole('link', { name: /Fin — La fin doit être après le début/ }).click();
    await expect(admin.endField).toBeFocused();
    // Nothing was created.
    await expect(admin.page.getByRole('heading', { level: 1, name: 'Nouvel événement' })).toBeVisible();
  });
});
