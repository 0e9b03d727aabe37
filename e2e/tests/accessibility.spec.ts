import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Viewer } from '../fixtures';

/** The serious and critical violations axe-core finds on the viewer's page, one readable line each. */
async function seriousViolations(viewer: Viewer): Promise<string[]> {
  const results = await new AxeBuilder({ page: viewer.page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ` +
        violation.nodes.map((node) => node.target.join(' ')).join(', '),
    );
}

/** Waits until the live event page has its content: title, player, viewer count and chat. */
async function openLiveEventPage(viewer: Viewer, id: string, title: string): Promise<void> {
  await viewer.openEvent(id, title);
  await expect(viewer.video).toBeAttached();
  await expect(viewer.page.getByRole('button', { name: 'Revenir au direct' })).toBeVisible();
  await expect(viewer.viewerCount(1)).toBeVisible();
  await expect(viewer.chatLog).toBeAttached();
  await expect(viewer.page.getByRole('textbox', { name: 'Votre nom' })).toBeVisible();
}

test.describe('accessibility', () => {
  test('the programme has no serious or critical axe violations', async ({ newViewer }) => {
    const viewer = await newViewer();
    await viewer.openProgramme();
    await expect(viewer.eventLinks().first()).toBeVisible();
    expect(await seriousViolations(viewer)).toEqual([]);
  });

  test('the live event page has no serious or critical axe violations', async ({ newViewer, programme }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer();
    await openLiveEventPage(viewer, live.id, live.title);
    expect(await seriousViolations(viewer)).toEqual([]);
  });

  test('the live event page on a phone has no serious or critical axe violations', async ({
    newViewer,
    programme,
  }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer({ viewport: { width: 375, height: 812 } });
    await openLiveEventPage(viewer, live.id, live.title);
    expect(await seriousViolations(viewer)).toEqual([]);
  });

  test('the programme admin has no serious or critical axe violations', async ({ admin }) => {
    await admin.openAdmin();
    await expect(admin.page.getByRole('table', { name: /Tous les événements/ })).toBeVisible();
    await expect(admin.page.getByRole('heading', { level: 2, name: 'Cycles' })).toBeVisible();
    await expect(admin.page.getByRole('button', { name: 'Nouveau cycle' })).toBeVisible();
    expect(await seriousViolations(admin)).toEqual([]);
  });

  test('the event form has no serious or critical axe violations, blank or with its errors', async ({ admin }) => {
    await admin.openNewEventForm();
    await admin.page.getByRole('button', { name: 'Ajouter un·e intervenant·e' }).click();
    expect(await seriousViolations(admin)).toEqual([]);

    await admin.page.getByRole('button', { name: "Créer l'événement" }).click();
    await expect(admin.page.getByText(/Le formulaire contient/)).toBeVisible();
    expect(await seriousViolations(admin)).toEqual([]);
  });

  test('the edit page of an event, with its invitations and roles, has no serious or critical axe violations', async ({
    admin,
  }) => {
    await admin.createEvent({ title: `Accessibilité ${Date.now()}`, access: 'invite', inDays: 12 });
    await admin.createInvite('speaker');
    await expect(admin.page.getByRole('heading', { level: 2, name: 'Rôles' })).toBeVisible();
    expect(await seriousViolations(admin)).toEqual([]);
  });
});
