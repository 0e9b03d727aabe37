import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, seriousViolations, SocketWire, test } from '../fixtures';

/** The Q&A tab beside the chat, opened as a person does: with the keyboard from the "Discussion" tab. */
async function openQuestions(page: Page): Promise<void> {
  const chatTab = page.getByRole('tab', { name: 'Discussion' });
  await expect(chatTab).toHaveAttribute('aria-selected', 'true');
  await chatTab.focus();
  await page.keyboard.press('ArrowRight');
  const questionsTab = page.getByRole('tab', { name: 'Questions' });
  await expect(questionsTab).toBeFocused();
  await expect(questionsTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Questions' })).toBeVisible();
}

test.describe('questions of the live event', () => {
  test('shows a pre-moderated question to its asker as awaiting moderation, and to nobody else', async ({
    newViewer,
    programme,
  }) => {
    // Lectures and film talks start their questions pending: a moderator approves them first.
    const live = (await programme.withStatus('live')).find(
      (event) => event.access === 'open' && (event.kind === 'lecture' || event.kind === 'cine_conference'),
    );
    expect(live, 'the demo programme has a pre-moderated event live now').toBeDefined();
    const t = randomUUID().slice(0, 8);
    const alice = await newViewer({ name: `Alice ${t}`, video: false });
    const bob = await newViewer({ name: `Bob ${t}`, video: false });
    // Bob's page would not list someone else's pending question even if it had one: what reaches his browser is
    // recorded too.
    const bobsWire = new SocketWire(bob.page);
    await Promise.all([alice.openEvent(live!.id, live!.title), bob.openEvent(live!.id, live!.title)]);
    await expect(alice.viewerCount(2)).toBeVisible();

    await openQuestions(alice.page);
    // Without a session, the guest-name form comes first, as in the chat.
    await alice.page.getByRole('textbox', { name: 'Votre nom' }).fill(alice.name);
    await alice.page.getByRole('button', { name: 'Choisir ce nom' }).click();
    const box = alice.page.getByRole('textbox', { name: 'Votre question' });
    await expect(box).toBeEditable();

    const text = `Comment travaillez-vous vos couleurs ? ${t}`;
    await box.fill(text);
    await alice.page.getByRole('button', { name: 'Poser la question' }).click();
    await expect(box).toHaveValue('');

    const mine = alice.page.getByRole('list', { name: 'Vos questions' }).getByRole('listitem').filter({ hasText: text });
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText('En attente de modération');
    // A pending question is not up for votes yet.
    await expect(mine.getByRole('button', { name: 'Voter pour cette question' })).toHaveCount(0);

    expect(
      await seriousViolations(alice.page, { media: false }),
      'the Q&A tab has no serious or critical axe violations',
    ).toEqual([]);

    // Then Alice says something in the chat. The server sent whatever it sent about her question before it answered
    // her, and Bob's socket delivers in order: once Bob has her message, anything about the question would be there.
    await alice.page.getByRole('tab', { name: 'Discussion' }).click();
    const marker = `Merci pour cette rencontre ${t}`;
    await alice.say(marker);
    await expect(bob.messagesWith(marker)).toHaveCount(1);
    const received = await bobsWire.received();
    expect(received, 'the recording holds what Bob’s socket received').toContain(marker);
    expect(received, 'nothing about the pending question reached Bob’s browser').not.toContain(text);

    // Bob is in the same room and sees the question tab, but not a question nobody approved.
    await openQuestions(bob.page);
    const bobsPanel = bob.page.getByRole('tabpanel', { name: 'Questions' });
    await expect(bobsPanel.getByRole('heading', { name: 'Questions', level: 2 })).toBeVisible();
    await expect(bobsPanel.getByText(text)).toHaveCount(0);

    // Nor in what a fresh page is given on joining: the chat history holding Alice's message comes with the questions.
    await bob.page.reload();
    await expect(bob.messagesWith(marker)).toHaveCount(1);
    expect(await bobsWire.received(), 'nor in the join answer after the reload').not.toContain(text);
    await openQuestions(bob.page);
    await expect(bob.page.getByRole('tabpanel', { name: 'Questions' }).getByRole('heading', { level: 2 })).toBeVisible();
    await expect(bob.page.getByText(text)).toHaveCount(0);
  });
});
