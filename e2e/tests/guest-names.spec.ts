import { expect, test, type Viewer } from '../fixtures';

/**
 * The name a guest chooses is what everyone else reads next to their messages: it cannot be a speaker's, and it
 * cannot hide characters that make it look like someone else's or turn the line around. Each refusal says why.
 */

async function tryName(viewer: Viewer, name: string): Promise<void> {
  await viewer.page.getByRole('textbox', { name: 'Votre nom' }).fill(name);
  await viewer.page.getByRole('button', { name: 'Rejoindre la discussion' }).click();
}

test.describe('choosing a name', () => {
  test("refuses a speaker's name, invisible characters and a right-to-left override, saying why each time", async ({
    newViewer,
    programme,
  }) => {
    const live = await programme.liveEvent();
    const speaker = live.speakers[0]?.name;
    expect(speaker, 'the live demo event announces a speaker').toBeTruthy();
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(live.id, live.title);
    const nameBox = viewer.page.getByRole('textbox', { name: 'Votre nom' });
    const error = viewer.page.getByRole('tabpanel', { name: 'Discussion' }).getByRole('alert');

    // Someone else's name, in other case: the server knows the event's speakers.
    await tryName(viewer, speaker!.toUpperCase());
    await expect(error).toHaveText("Ce nom est celui d'un intervenant ou d'un modérateur de cet événement : choisissez-en un autre.");
    await expect(nameBox).toHaveAttribute('aria-invalid', 'true');

    await tryName(viewer, '\u200b\u200b\u200b');
    await expect(error).toHaveText('Ce nom contient des caractères invisibles (espaces sans largeur…) : retapez-le sans eux.');

    await tryName(viewer, '\u202eeniraM');
    await expect(error).toHaveText('Ce nom contient des caractères qui inversent le sens du texte : retapez-le sans eux.');
    await expect(viewer.messageBox).toHaveCount(0);

    // A name that ends with a full stop keeps one.
    await tryName(viewer, '  Jean-Pierre   D. ');
    await expect(viewer.messageBox).toBeEditable();
    await expect(viewer.page.getByText('Vous discutez en tant que Jean-Pierre D.', { exact: true })).toBeVisible();
  });

  test('the Questions and Polls tabs ask for a name in their own words', async ({ newViewer, programme }) => {
    const live = await programme.liveEvent();
    const viewer = await newViewer({ video: false });
    await viewer.openEvent(live.id, live.title);
    await viewer.page.getByRole('tab', { name: /^Questions/ }).click();
    const questions = viewer.page.getByRole('tabpanel', { name: 'Questions' });
    await expect(questions.getByRole('button', { name: 'Choisir ce nom' })).toBeVisible();
    await expect(questions.getByText('Il sera affiché avec vos questions, sauf si vous les posez anonymement')).toBeVisible();
    await expect(questions.getByRole('button', { name: 'Rejoindre la discussion' })).toHaveCount(0);

    // The demo's live event has an open poll.
    await viewer.page.getByRole('tab', { name: /^Sondages/ }).click();
    const polls = viewer.page.getByRole('tabpanel', { name: 'Sondages' });
    await expect(polls.getByRole('button', { name: 'Choisir ce nom' })).toBeVisible();
    await expect(polls.getByRole('button', { name: 'Rejoindre la discussion' })).toHaveCount(0);
  });
});
