import { randomUUID } from 'node:crypto';
import { expect, test } from '../fixtures';

/**
 * What a librarian meets in the admin pages beyond the event form: events kept out of the public programme, the way
 * from an event to its console and stage view, the audit log in sentences, and a setup link that has done its job.
 */

const titled = (what: string): string => `${what} ${randomUUID().slice(0, 8)}`;

test.describe('programme admin pages', () => {
  test('unlisted and invite-only events stay out of the public programme; an unlisted one opens by its link', async ({
    admin,
    newViewer,
  }) => {
    const unlisted = titled('Atelier par lien');
    const unlistedId = await admin.createEvent({ title: unlisted, unlisted: true, inDays: 4 });
    await expect(admin.page.getByText('Hors programme public')).toBeVisible();
    const invited = titled('Séance sur invitation');
    await admin.createEvent({ title: invited, access: 'invite', inDays: 4 });
    const listed = titled('Rencontre au programme');
    await admin.createEvent({ title: listed, inDays: 4 });

    const viewer = await newViewer({ video: false });
    await viewer.openProgramme();
    // The listed event, made last, is there: the others would be by now too.
    await expect(viewer.eventLinks().filter({ hasText: listed })).toHaveCount(1);
    await expect(viewer.eventLinks().filter({ hasText: unlisted })).toHaveCount(0);
    await expect(viewer.eventLinks().filter({ hasText: invited })).toHaveCount(0);

    // Whoever has the link reaches it.
    await viewer.openEvent(unlistedId, unlisted);

    // The admin's own list has them all, and says which are out of the public programme.
    await admin.openAdmin();
    const row = admin.page.getByRole('row', { name: new RegExp(unlisted) });
    await expect(row).toContainText('Hors programme public');
    await expect(admin.page.getByRole('row', { name: new RegExp(invited) })).toBeVisible();
  });

  test("an event's admin page leads to its moderator console and its stage view", async ({ admin }) => {
    const title = titled('Rencontre à préparer');
    const eventId = await admin.createEvent({ title });
    const editPage = admin.page.url();
    await admin.page.getByRole('link', { name: 'Console de modération' }).click();
    await expect(admin.page).toHaveURL(new RegExp(`/events/${eventId}/moderate$`));
    await expect(admin.page.getByRole('heading', { level: 1, name: 'Console de modération' })).toBeVisible();
    await admin.page.goto(editPage);
    await admin.page.getByRole('link', { name: 'Vue scène' }).click();
    await expect(admin.page).toHaveURL(new RegExp(`/events/${eventId}/stage$`));
    await expect(admin.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  });

  test('the audit log tells what was done in sentences, in French and in English', async ({ admin }) => {
    const title = titled('Conférence journalisée');
    await admin.createEvent({ title });
    await admin.page.goto('/admin/audit');
    const log = admin.page.getByRole('table');
    const row = log.getByRole('row').filter({ hasText: title }).first();
    await expect(row).toContainText(`A créé l'événement « ${title} ».`);
    // No machine words: no `event:<id>` target, no JSON.
    await expect(log).not.toContainText('event:');
    await expect(log).not.toContainText('{"');

    await admin.page.getByRole('button', { name: 'English' }).click();
    await expect(log.getByRole('row').filter({ hasText: title }).first()).toContainText(`Created the event “${title}”.`);
    await admin.page.getByRole('button', { name: 'Français' }).click();
  });

  test('a setup link opened once an admin exists says so at once', async ({ newViewer }) => {
    const visitor = await newViewer({ video: false });
    await visitor.page.goto('/admin/setup#a-link-that-was-already-used');
    await expect(visitor.page.getByText('Parvis a déjà un compte administrateur')).toBeVisible();
    await expect(visitor.page.getByRole('link', { name: 'Se connecter' }).last()).toBeVisible();
    await expect(visitor.page.getByRole('button', { name: 'Créer le compte' })).toHaveCount(0);
  });
});
