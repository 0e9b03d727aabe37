import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, seriousViolations, SocketWire, test, type Admin, type Viewer } from '../fixtures';

/**
 * The three people of a live talk, each in a browser of their own: a viewer in the event's room, the moderator at the
 * console (`/events/:id/moderate`; an admin moderates every event), and the speaker at the stage view
 * (`/events/:id/stage`, through a speaker's invitation). Each test makes its own talk, so none sees another's traces.
 */

const unique = (): string => randomUUID().slice(0, 8);

async function openTab(page: Page, name: RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** A guest gives a name in the Questions or Polls tab, whichever asks for it first. */
async function chooseName(viewer: Viewer): Promise<void> {
  await viewer.page.getByRole('textbox', { name: 'Votre nom' }).fill(viewer.name);
  await viewer.page.getByRole('button', { name: 'Choisir ce nom' }).click();
}

async function openConsole(admin: Admin, eventId: string, title: string): Promise<void> {
  await admin.page.goto(`/events/${encodeURIComponent(eventId)}/moderate`);
  await expect(admin.page.getByRole('heading', { level: 1, name: 'Console de modération' })).toBeVisible();
  await expect(admin.page.getByText(title).first()).toBeVisible();
  await expect(admin.page.getByRole('region', { name: 'Questions en attente' })).toBeVisible();
}

test.describe('running a live talk', () => {
  test('a question goes from the viewer to the moderator, then live on the stage and highlighted for the viewer; a note reaches the stage only', async ({
    admin,
    newViewer,
    newModerator,
  }) => {
    const t = unique();
    const title = `Rencontre modérée ${t}`;
    // The event and the invitation are set up through the API: the admin pages are not what this test is about.
    const eventId = await admin.createEventThroughApi({ title });
    const invite = await admin.createInviteThroughApi(eventId, 'speaker');

    // The speaker opens the stage view: nothing on stage yet.
    const speaker = await newModerator({ name: `Intervenante ${t}` });
    await speaker.acceptInvite(invite, title, 'speaker');
    await speaker.page.goto(`/events/${encodeURIComponent(eventId)}/stage`);
    const onStage = speaker.page.getByRole('region', { name: 'Question en direct' });
    await expect(onStage).toContainText("Pas encore de question à l'écran");
    await expect(speaker.page.getByRole('timer', { name: 'Temps restant' })).toBeVisible();

    // The viewer asks; a talk is pre-moderated, so the question waits. What reaches their browser is recorded.
    const viewer = await newViewer({ name: `Lecteur ${t}`, video: false });
    const wire = new SocketWire(viewer.page);
    await viewer.openEvent(eventId, title);
    await openTab(viewer.page, /^Questions/);
    await chooseName(viewer);
    const text = `D'où vient ce personnage ? ${t}`;
    await viewer.page.getByRole('textbox', { name: 'Votre question' }).fill(text);
    await viewer.page.getByRole('button', { name: 'Poser la question' }).click();
    const mine = viewer.page.getByRole('list', { name: 'Vos questions' }).getByRole('listitem').filter({ hasText: text });
    await expect(mine).toContainText('En attente de modération');

    // The moderator approves it with a single key, then puts it on air.
    await openConsole(admin, eventId, title);
    const pending = admin.page.getByRole('region', { name: 'Questions en attente' });
    const question = pending.getByRole('article', { name: text });
    await expect(question).toContainText(viewer.name);
    await question.focus();
    await admin.page.keyboard.press('a');
    const approved = admin.page.getByRole('region', { name: 'Questions approuvées' });
    await expect(approved.getByRole('article', { name: text })).toBeVisible();
    await expect(pending.getByRole('article', { name: text })).toHaveCount(0);
    await approved.getByRole('button', { name: `Mettre à l'antenne : « ${text} »` }).click();
    await expect(admin.page.getByRole('region', { name: 'En cours de réponse' })).toContainText(text);

    // The stage shows it in large type, with who asked.
    await expect(onStage).toContainText(text);
    await expect(onStage).toContainText(`Posée par ${viewer.name}`);
    // The viewer sees it highlighted as the question being answered, and their own question says so.
    const viewersQuestions = viewer.page.getByRole('tabpanel', { name: 'Questions' });
    await expect(viewersQuestions.getByRole('group', { name: /en direct/i })).toContainText(text);
    await expect(mine).not.toContainText('En attente de modération');

    // A private note from the moderator reaches the stage.
    const note = `Encore cinq minutes, puis on conclut ${t}`;
    await admin.page.getByRole('textbox', { name: /^Note privée/ }).fill(note);
    await admin.page.getByRole('button', { name: 'Envoyer la note' }).click();
    await expect(speaker.page.getByRole('list', { name: 'Notes des modérateurs' })).toContainText(note);
    expect(await seriousViolations(speaker.page), 'the stage view has no serious axe violations').toEqual([]);

    // Then the moderator marks the question answered, and the viewer sees it. The server sent the note before that,
    // and a socket delivers in order: had the note been sent to the viewer, their browser would have it by now.
    await admin.page.getByRole('button', { name: `Marquer répondue : « ${text} »` }).click();
    await expect(viewersQuestions.getByText('Répondues (1)')).toBeVisible();
    const received = await wire.received();
    expect(received, 'the recording holds what the viewer’s socket received').toContain(text);
    expect(received, 'the note never reached the viewer’s browser').not.toContain(note);

    expect(await seriousViolations(admin.page), 'the console has no serious axe violations').toEqual([]);
  });

  test('a message the moderator deletes vanishes from the viewer’s chat', async ({ admin, newViewer }) => {
    const t = unique();
    const title = `Atelier discussion ${t}`;
    const eventId = await admin.createEventThroughApi({ title });

    const viewer = await newViewer({ name: `Camille ${t}`, video: false });
    const other = await newViewer({ name: `Dominique ${t}`, video: false });
    await viewer.openEvent(eventId, title);
    await other.openEvent(eventId, title);
    await viewer.joinChat();
    await other.joinChat();
    const kept = `Bonsoir à toutes et à tous ${t}`;
    const unwanted = `Message hors sujet ${t}`;
    await viewer.say(kept);
    await other.say(unwanted);
    await expect(viewer.messagesWith(unwanted)).toHaveCount(1);

    await openConsole(admin, eventId, title);
    const remove = admin.page.getByRole('button', { name: `Supprimer le message de ${other.name} : « ${unwanted} »` });
    await remove.click();
    await expect(remove).toHaveCount(0);

    // Gone for everyone, live, and still gone after a reload; the other message stays.
    await expect(viewer.messagesWith(unwanted)).toHaveCount(0);
    await expect(other.messagesWith(unwanted)).toHaveCount(0);
    await expect(viewer.messagesWith(kept)).toHaveCount(1);
    await viewer.page.reload();
    await expect(viewer.messagesWith(kept)).toHaveCount(1);
    await expect(viewer.messagesWith(unwanted)).toHaveCount(0);
  });

  test('a poll opens, two viewers vote, and the results appear', async ({ admin, newViewer }) => {
    const t = unique();
    const title = `Ciné-club sondage ${t}`;
    const eventId = await admin.createEventThroughApi({ title });
    const pollQuestion = `Quel film pour la prochaine séance ? ${t}`;

    // The moderator prepares the poll; the audience does not see a draft.
    await openConsole(admin, eventId, title);
    await admin.page.getByRole('textbox', { name: 'Question du sondage' }).fill(pollQuestion);
    await admin.page.getByRole('textbox', { name: 'Option 1' }).fill('Nostalgie de la lumière');
    await admin.page.getByRole('textbox', { name: 'Option 2' }).fill('La Cordillère des songes');
    await admin.page.getByRole('radio', { name: 'Visibles en direct' }).check();
    await admin.page.getByRole('button', { name: 'Créer le sondage' }).click();
    const open = admin.page.getByRole('button', { name: `Ouvrir le sondage « ${pollQuestion} »` });
    await expect(open).toBeVisible();

    const first = await newViewer({ name: `Ana ${t}`, video: false });
    const second = await newViewer({ name: `Bruno ${t}`, video: false });
    for (const viewer of [first, second]) {
      await viewer.openEvent(eventId, title);
      await openTab(viewer.page, /^Sondages/);
      await expect(viewer.page.getByText('Pas encore de sondage.')).toBeVisible();
    }

    await open.click();
    await expect(admin.page.getByRole('button', { name: `Clore le sondage « ${pollQuestion} »` })).toBeVisible();

    // Each viewer votes once; the first needs a name first.
    const vote = async (viewer: Viewer, option: string) => {
      const poll = viewer.page.getByRole('article', { name: pollQuestion });
      await expect(poll.getByRole('group', { name: pollQuestion })).toBeVisible();
      const nameBox = viewer.page.getByRole('textbox', { name: 'Votre nom' });
      if (await nameBox.isVisible()) await chooseName(viewer);
      await poll.getByRole('radio', { name: option }).check();
      await poll.getByRole('button', { name: 'Voter' }).click();
      await expect(poll.getByText('Votre vote est enregistré.')).toBeVisible();
    };
    await vote(first, 'Nostalgie de la lumière');
    await vote(second, 'La Cordillère des songes');

    // Both see the results, live: one vote each.
    for (const viewer of [first, second]) {
      const results = viewer.page.getByRole('region', { name: `Résultats : ${pollQuestion}` });
      await expect(results).toContainText(/Nostalgie de la lumière[\s\S]*1 vote[\s\S]*50 %/);
      await expect(results).toContainText(/La Cordillère des songes[\s\S]*1 vote[\s\S]*50 %/);
    }

    // Closing it keeps the final results on screen.
    await admin.page.getByRole('button', { name: `Clore le sondage « ${pollQuestion} »` }).click();
    await expect(first.page.getByRole('region', { name: `Résultats : ${pollQuestion}` })).toContainText('Résultats définitifs');
  });
});
