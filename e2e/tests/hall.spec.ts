import { randomUUID } from 'node:crypto';
import { expect, seriousViolations, test } from '../fixtures';

/**
 * A hybrid talk: the auditorium's display shows a QR code and its address; a person in the room opens that address
 * on their phone and asks; someone online asks too. The moderator sees both in one queue, the room's marked
 * "salle", and filters by origin; the question put on air shows on the display.
 */

const unique = (): string => randomUUID().slice(0, 8);
const PHONE = { width: 390, height: 844 };

test.describe('the room and the online audience in one queue', () => {
  test('a question asked from the QR page appears in the console marked as from the room, and on the display once on air', async ({
    admin,
    newViewer,
  }) => {
    const t = unique();
    const title = `Rencontre hybride ${t}`;
    const eventId = await admin.createEventThroughApi({ title });

    // The auditorium's display: the QR code in large, and the address it holds in words.
    const display = await newViewer({ name: `Salle ${t}`, video: false });
    await display.page.goto(`/events/${encodeURIComponent(eventId)}/display`);
    await expect(display.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    const address = display.page.locator('.address');
    await expect(address).toHaveText(/\/events\/.+\/ask$/);
    const words = (await address.textContent())!.trim();
    const qr = display.page.getByRole('img', { name: `Code QR de l’adresse ${words}` });
    await expect(qr).toBeVisible();
    // The picture is the server's SVG, loaded: no QR code is drawn in the browser.
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await qr.getAttribute('src')).toBe(`/api/events/${encodeURIComponent(eventId)}/qr.svg`);
    const live = display.page.getByRole('region', { name: 'Question en direct' });
    await expect(live).toContainText('La prochaine question s’affichera ici.');
    expect(await seriousViolations(display.page, { media: false }), 'the display page has no serious axe violations').toEqual([]);

    // A person in the room types that address on their phone: questions and polls, and no video.
    const phone = await newViewer({ name: `Dans la salle ${t}`, viewport: PHONE, video: false });
    await phone.page.goto(`http://${words}`);
    await expect(phone.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(phone.page.getByRole('tab', { name: 'Questions' })).toHaveAttribute('aria-selected', 'true');
    await expect(phone.page.locator('video')).toHaveCount(0);
    await phone.page.getByRole('textbox', { name: 'Votre nom' }).fill(phone.name);
    await phone.page.getByRole('button', { name: 'Choisir ce nom' }).click();
    const fromRoom = `Depuis le troisième rang : et la suite ? ${t}`;
    await phone.page.getByRole('textbox', { name: 'Votre question' }).fill(fromRoom);
    // Enter asks, as on the event page: the page works from a keyboard too.
    await phone.page.getByRole('textbox', { name: 'Votre question' }).press('Enter');
    const mine = phone.page.getByRole('list', { name: 'Vos questions' }).getByRole('listitem').filter({ hasText: fromRoom });
    await expect(mine).toContainText('En attente de modération');
    // Nothing wider than the phone: the page is made for it.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // The polls are the other tab, reached with the arrow key.
    await phone.page.getByRole('tab', { name: 'Questions' }).press('ArrowRight');
    await expect(phone.page.getByRole('tab', { name: /^Sondages/ })).toBeFocused();
    await expect(phone.page.getByRole('tabpanel', { name: /^Sondages/ })).toBeVisible();
    expect(await seriousViolations(phone.page, { media: false }), 'the QR page has no serious axe violations').toEqual([]);

    // Someone at home asks from the event page.
    const online = await newViewer({ name: `En ligne ${t}`, video: false });
    await online.openEvent(eventId, title);
    await online.page.getByRole('tab', { name: /^Questions/ }).click();
    await online.page.getByRole('textbox', { name: 'Votre nom' }).fill(online.name);
    await online.page.getByRole('button', { name: 'Choisir ce nom' }).click();
    const fromHome = `Depuis chez moi : quel matériel ? ${t}`;
    await online.page.getByRole('textbox', { name: 'Votre question' }).fill(fromHome);
    await online.page.getByRole('button', { name: 'Poser la question' }).click();
    await expect(online.page.getByRole('list', { name: 'Vos questions' })).toContainText(fromHome);

    // The moderator: one queue, the room's question marked "salle", the other not.
    await admin.page.goto(`/events/${encodeURIComponent(eventId)}/moderate`);
    const pending = admin.page.getByRole('region', { name: 'Questions en attente' });
    const roomQuestion = pending.getByRole('article', { name: fromRoom });
    const homeQuestion = pending.getByRole('article', { name: fromHome });
    await expect(roomQuestion).toContainText(phone.name);
    await expect(roomQuestion.locator('.badge-room')).toHaveText('salle');
    await expect(homeQuestion).toBeVisible();
    await expect(homeQuestion.locator('.badge-room')).toHaveCount(0);

    // Filtered by origin.
    const filter = admin.page.getByRole('group', { name: 'Provenance des questions' });
    await filter.getByRole('button', { name: /^Salle/ }).click();
    await expect(filter.getByRole('button', { name: /^Salle/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(roomQuestion).toBeVisible();
    await expect(homeQuestion).toHaveCount(0);
    await filter.getByRole('button', { name: /^En ligne/ }).click();
    await expect(homeQuestion).toBeVisible();
    await expect(roomQuestion).toHaveCount(0);
    await filter.getByRole('button', { name: /^Toutes/ }).click();
    await expect(roomQuestion).toBeVisible();
    await expect(homeQuestion).toBeVisible();
    expect(await seriousViolations(admin.page), 'the console with its filter has no serious axe violations').toEqual([]);

    // On air: the display shows it, the phone highlights it.
    await roomQuestion.getByRole('button', { name: `Mettre à l'antenne : « ${fromRoom} »` }).click();
    await expect(admin.page.getByRole('region', { name: 'En cours de réponse' })).toContainText(fromRoom);
    await expect(live).toContainText(fromRoom);
    await expect(phone.page.getByRole('tab', { name: 'Questions' })).toBeVisible();
    await phone.page.getByRole('tab', { name: 'Questions' }).click();
    await expect(phone.page.getByRole('group', { name: /en direct/i })).toContainText(fromRoom);

    // A poll opened from the console: the phone's Polls tab counts it, and the person votes there.
    const pollQuestion = `Une seconde rencontre ? ${t}`;
    await admin.page.getByRole('textbox', { name: 'Question du sondage' }).fill(pollQuestion);
    await admin.page.getByRole('textbox', { name: 'Option 1' }).fill('Oui');
    await admin.page.getByRole('textbox', { name: 'Option 2' }).fill('Non');
    await admin.page.getByRole('radio', { name: 'Visibles en direct' }).check();
    await admin.page.getByRole('button', { name: 'Créer le sondage' }).click();
    await admin.page.getByRole('button', { name: `Ouvrir le sondage « ${pollQuestion} »` }).click();
    const pollsTab = phone.page.getByRole('tab', { name: /^Sondages\s*, 1 sondage ouvert/ });
    await expect(pollsTab).toBeVisible();
    await pollsTab.click();
    const poll = phone.page.getByRole('article', { name: pollQuestion });
    await poll.getByRole('radio', { name: 'Oui' }).check();
    await poll.getByRole('button', { name: 'Voter' }).click();
    await expect(poll.getByText('Votre vote est enregistré.')).toBeVisible();
    await expect(phone.page.getByRole('region', { name: `Résultats : ${pollQuestion}` })).toContainText(/Oui[\s\S]*1 vote[\s\S]*100 %/);
  });

  test('the stage view shows the QR code in a corner, and hides it on demand until shown again', async ({ admin }) => {
    const t = unique();
    const title = `Rencontre sur scène ${t}`;
    const eventId = await admin.createEventThroughApi({ title });
    await admin.page.goto(`/events/${encodeURIComponent(eventId)}/stage`);
    await expect(admin.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    const qr = admin.page.getByRole('img', { name: 'Code QR de la page pour poser des questions depuis un téléphone' });
    await expect(qr).toBeVisible();
    expect(await qr.getAttribute('src')).toBe(`/api/events/${encodeURIComponent(eventId)}/qr.svg`);
    await admin.page.getByRole('button', { name: 'Masquer le code QR' }).click();
    await expect(qr).toHaveCount(0);
    // The choice is kept for the next time the stage opens on this browser.
    await admin.page.reload();
    await expect(admin.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(admin.page.getByRole('button', { name: 'Afficher le code QR' })).toBeVisible();
    await expect(qr).toHaveCount(0);
    await admin.page.getByRole('button', { name: 'Afficher le code QR' }).click();
    await expect(qr).toBeVisible();
    // Both screens go full screen, and say how to come back.
    await admin.page.getByRole('button', { name: 'Plein écran', exact: true }).click();
    await admin.page.getByRole('button', { name: 'Quitter le plein écran' }).click();
    await expect(admin.page.getByRole('button', { name: 'Plein écran', exact: true })).toBeVisible();
    await admin.page.getByRole('link', { name: 'Affichage de la salle' }).click();
    await expect(admin.page).toHaveURL(new RegExp(`/events/${eventId}/display$`));
    await admin.page.getByRole('button', { name: 'Plein écran', exact: true }).click();
    await expect(admin.page.getByRole('button', { name: 'Quitter le plein écran' })).toBeVisible();
    expect(await admin.page.evaluate(() => document.fullscreenElement?.tagName.toLowerCase())).toBe('parvis-app');
  });
});
