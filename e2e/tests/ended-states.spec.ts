import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, type Viewer } from '../fixtures';

/**
 * What an event room shows before and after the talk: a replay's or a cancelled event's chat is there to be read,
 * says why it takes no messages, and offers no composer that would then refuse; once the talk has ended, the question
 * that was on air is one of the answered ones and nothing takes votes any more.
 */

const unique = (): string => randomUUID().slice(0, 8);

async function openTab(page: Page, name: RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/**
 * The room has answered the join: the chat's status line, which says "Connexion à la discussion…" from the first
 * render of the event until then, is empty (and so hidden).
 */
async function joined(viewer: Viewer): Promise<void> {
  const status = viewer.page.getByRole('tabpanel', { name: 'Discussion' }).getByRole('status', { includeHidden: true }).first();
  await expect(status).toHaveText('');
}

async function seriousViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('after the talk', () => {
  test("a replay's chat is read-only and says the event has ended, with no viewer count", async ({ newViewer, programme }) => {
    const replay = await programme.replayEvent();
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(replay.id, replay.title);
    await joined(viewer);
    const chat = viewer.page.getByRole('tabpanel', { name: 'Discussion' });
    await expect(chat.getByRole('note')).toHaveText("L'événement est terminé : la discussion est fermée. Ses messages restent à lire ici.");
    await expect(viewer.chatLog).toBeVisible();
    // Nothing to write with, and no invitation to start a conversation nobody can join.
    await expect(chat.getByRole('textbox')).toHaveCount(0);
    await expect(viewer.page.getByText('Lancez la discussion', { exact: false })).toHaveCount(0);
    // After the talk, the people on the page are no audience to count.
    await expect(viewer.page.getByText(/\d+ spectateurs?/)).toHaveCount(0);
    expect(await seriousViolations(viewer.page), 'the replay page has no serious axe violations').toEqual([]);
  });

  test('an upcoming event shows no viewer count, and no "À propos" heading when it has nothing to say', async ({
    admin,
    newViewer,
    programme,
  }) => {
    const upcoming = await programme.nextScheduledEvent();
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(upcoming.id, upcoming.title);
    await joined(viewer);
    await expect(viewer.page.getByText(/\d+ spectateurs?/)).toHaveCount(0);
    // The demo's event has a summary: its "À propos" is there.
    await expect(viewer.page.getByRole('heading', { level: 2, name: 'À propos' })).toBeVisible();

    const title = `Séance sans présentation ${unique()}`;
    const eventId = await admin.createEvent({ title, summary: '' });
    await viewer.openEvent(eventId, title);
    // The heading would come with the rest of the page, now on screen.
    await expect(viewer.page.getByRole('region', { name: 'Vidéo' })).toBeVisible();
    await expect(viewer.page.getByRole('heading', { name: 'À propos' })).toHaveCount(0);
  });

  test("a cancelled event's chat and questions say they are closed because it was cancelled", async ({ admin, newViewer }) => {
    const title = `Rencontre annulée ${unique()}`;
    const eventId = await admin.createEvent({ title });
    await admin.cancelEvent();

    const viewer = await newViewer({ video: false });
    await viewer.openEvent(eventId, title);
    const chat = viewer.page.getByRole('tabpanel', { name: 'Discussion' });
    await expect(chat.getByRole('note')).toHaveText("L'événement a été annulé : la discussion est fermée.");
    await expect(chat.getByRole('textbox')).toHaveCount(0);
    await openTab(viewer.page, /^Questions/);
    const questions = viewer.page.getByRole('tabpanel', { name: 'Questions' });
    await expect(questions.getByRole('note')).toHaveText("L'événement a été annulé : les questions et les votes sont fermés.");
    await expect(questions.getByRole('textbox')).toHaveCount(0);
  });

  test('once the talk ends, the question on air shows as answered and nothing takes votes', async ({ admin, newViewer }) => {
    const t = unique();
    const title = `Rencontre qui se termine ${t}`;
    const eventId = await admin.createEvent({ title });
    await admin.page.getByRole('link', { name: "Voir la page de l'événement" }).click();
    const tools = admin.page.getByRole('region', { name: 'Outils de modération' });
    await tools.getByRole('button', { name: 'Passer en direct' }).click();
    await expect(tools.getByRole('button', { name: "Terminer l'événement" })).toBeVisible();

    // A viewer asks, from the top of the Questions tab, with the Enter key.
    const viewer = await newViewer({ name: `Lectrice ${t}`, video: false });
    await viewer.openEvent(eventId, title);
    await openTab(viewer.page, /^Questions/);
    const panel = viewer.page.getByRole('tabpanel', { name: 'Questions' });
    await panel.getByRole('textbox', { name: 'Votre nom' }).fill(viewer.name);
    await panel.getByRole('button', { name: 'Choisir ce nom' }).click();
    const box = panel.getByRole('textbox', { name: 'Votre question' });
    await expect(box).toBeEditable();
    await expect(box, 'the ask box is on screen without scrolling').toBeInViewport();
    const text = `Que lisez-vous en ce moment ? ${t}`;
    await box.fill(text);
    await box.press('Enter');
    await expect(box).toHaveValue('');
    const mine = panel.getByRole('list', { name: 'Vos questions' }).getByRole('listitem').filter({ hasText: text });
    await expect(mine).toContainText('En attente de modération');

    // The moderator puts it on air from the console.
    await admin.page.getByRole('link', { name: 'Console de modération' }).click();
    await expect(admin.page.getByRole('heading', { level: 1, name: 'Console de modération' })).toBeVisible();
    const pending = admin.page.getByRole('region', { name: 'Questions en attente' });
    await pending.getByRole('article', { name: text }).focus();
    await admin.page.keyboard.press('a');
    const approved = admin.page.getByRole('region', { name: 'Questions approuvées' });
    await approved.getByRole('button', { name: `Mettre à l'antenne : « ${text} »` }).click();
    const onAir = panel.getByRole('group', { name: 'En direct : en cours de réponse' });
    await expect(onAir).toContainText(text);
    await expect(onAir.getByRole('button', { name: 'Voter pour cette question' })).toBeVisible();

    // The talk ends.
    await admin.page.getByRole('link', { name: "Page publique de l'événement" }).click();
    await tools.getByRole('button', { name: "Terminer l'événement" }).click();
    await admin.page.getByRole('dialog').getByRole('button', { name: "Terminer l'événement" }).click();
    await expect(tools.getByRole('button', { name: "Terminer l'événement" })).toHaveCount(0);

    // Without a reload, the viewer's tab says the questions are closed, and the last question is an answered one.
    await expect(panel.getByRole('note')).toHaveText("L'événement est terminé : les questions et les votes sont fermés.");
    await expect(onAir).toHaveCount(0);
    await expect(panel.getByText('Répondues (1)')).toBeVisible();
    await expect(mine).toContainText('Répondue');
    await expect(panel.getByRole('button', { name: 'Voter pour cette question' })).toHaveCount(0);
    await expect(panel.getByRole('textbox')).toHaveCount(0);
    expect(await seriousViolations(viewer.page), 'the ended Questions tab has no serious axe violations').toEqual([]);

    // And the chat is there to be read, not written in.
    await openTab(viewer.page, /^Discussion/);
    await expect(viewer.page.getByRole('tabpanel', { name: 'Discussion' }).getByRole('note')).toHaveText(
      "L'événement est terminé : la discussion est fermée. Ses messages restent à lire ici.",
    );
    await expect(viewer.messageBox).toHaveCount(0);
  });
});
