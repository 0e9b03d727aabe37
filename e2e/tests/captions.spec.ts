import { expect, seriousViolations, SocketWire, test } from '../fixtures';

/*
 * Live captions (issue 12): a captioner invited by the admin types at the caption desk, captioning software posts in
 * YouTube's format, and both reach a viewer's browser over the room's socket; the captions' WebVTT file has the lines,
 * and a line the admin corrects shows corrected. (How the player shows them as a text track is the player's part; here
 * the viewer's browser is checked for what the server sent it.)
 */

const tag = () => Math.random().toString(36).slice(2, 8);

/** What captioning software posts: the line after a UTC timestamp without a zone, as YouTube takes it. */
const youTubeBody = (text: string, at = new Date()) => `${at.toISOString().replace('Z', '')}\n${text}\n`;

test('a captioner’s lines from the desk, and captioning software’s, reach a viewer; corrections too', async ({ admin, newViewer, newModerator, request }) => {
  const t = tag();
  const title = `Conférence sous-titrée ${t}`;
  const eventId = await admin.createEventThroughApi({ title });
  const invite = await admin.createInviteThroughApi(eventId, 'captioner');

  const viewer = await newViewer({ video: false });
  const wire = new SocketWire(viewer.page);
  await viewer.openEvent(eventId, title);

  const captioner = await newModerator();
  await captioner.acceptInvite(invite, title, 'captioner');
  const desk = captioner.page;
  await expect(desk.getByRole('combobox', { name: 'Langue des sous-titres' })).toHaveValue('fr');
  const line = desk.getByRole('textbox', { name: 'Ligne à envoyer' });

  // Enter sends; the field empties and the line is listed as the captioner's last.
  await line.fill(`Bonsoir et bienvenue ${t}`);
  await line.press('Enter');
  await expect(line).toHaveValue('');
  await expect(desk.getByRole('status').filter({ hasText: 'Ligne envoyée.' })).toBeVisible();
  await expect(desk.getByRole('listitem').filter({ hasText: `Bonsoir et bienvenue ${t}` })).toContainText('votre dernière ligne');
  await expect.poll(() => wire.received()).toContain(`Bonsoir et bienvenue ${t}`);

  // The Up arrow in the empty field takes the last line back; Enter replaces it.
  await line.press('ArrowUp');
  const correcting = desk.getByRole('textbox', { name: 'Correction de votre dernière ligne' });
  await expect(correcting).toHaveValue(`Bonsoir et bienvenue ${t}`);
  await correcting.fill(`Bonsoir et bienvenue à la médiathèque ${t}`);
  await correcting.press('Enter');
  await expect(desk.getByRole('status').filter({ hasText: 'Ligne corrigée.' })).toBeVisible();
  await expect(desk.getByRole('listitem').filter({ hasText: `à la médiathèque ${t}` })).toContainText('corrigée');
  await expect.poll(() => wire.received()).toContain(`Bonsoir et bienvenue à la médiathèque ${t}`);

  // A second line, in English, with Shift+Enter for its second line.
  await desk.getByRole('combobox', { name: 'Langue des sous-titres' }).selectOption('en');
  await line.fill(`Good evening ${t}`);
  await line.press('Shift+Enter');
  await line.pressSequentially('and welcome');
  await line.press('Enter');
  await expect.poll(() => wire.received()).toContain(`Good evening ${t}\\nand welcome`);

  expect(await seriousViolations(desk, { media: false })).toEqual([]);

  // Captioning software posts to the URL the moderators and admins read, in YouTube's format.
  const url = new URL(await admin.captionIngestUrlThroughApi(eventId));
  const posted = await request.post(`${url.pathname}${url.search}&seq=1`, {
    data: youTubeBody(`Le logiciel de vélotypie parle ${t}`),
    headers: { 'content-type': 'text/plain' },
  });
  expect(posted.status()).toBe(200);
  expect(await posted.text()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\n$/);
  await expect.poll(() => wire.received()).toContain(`Le logiciel de vélotypie parle ${t}`);
  // The desk hears it too.
  await desk.getByRole('combobox', { name: 'Langue des sous-titres' }).selectOption('fr');
  await expect(desk.getByRole('listitem').filter({ hasText: `Le logiciel de vélotypie parle ${t}` })).toContainText('logiciel de sous-titrage');

  // A wrong token is refused.
  const wrong = await request.post(`${url.pathname}?token=guessed&seq=2`, { data: 'intrus', headers: { 'content-type': 'text/plain' } });
  expect(wrong.status()).toBe(403);

  // The WebVTT file has the lines of the language, corrected.
  const vtt = await (await request.get(`/api/events/${encodeURIComponent(eventId)}/captions/fr.vtt`)).text();
  expect(vtt).toMatch(/^WEBVTT/);
  expect(vtt).toContain(`Bonsoir et bienvenue à la médiathèque ${t}`);
  expect(vtt).not.toContain(`Bonsoir et bienvenue ${t}`);
  expect(vtt).toContain(`Le logiciel de vélotypie parle ${t}`);
});

test('an admin corrects a caption line in the editor, and the WebVTT file and viewers get it corrected', async ({ admin, newViewer, request }) => {
  const t = tag();
  const title = `Replay sous-titré ${t}`;
  const eventId = await admin.createEventThroughApi({ title });
  const url = new URL(await admin.captionIngestUrlThroughApi(eventId));
  for (const [seq, text] of [
    [1, `Première ligne ${t}`],
    [2, `Deuxième ligne avec une fôte ${t}`],
  ] as const) {
    const posted = await request.post(`${url.pathname}${url.search}&seq=${seq}`, {
      data: youTubeBody(text, new Date(Date.now() - (3 - seq) * 2000)),
      headers: { 'content-type': 'text/plain' },
    });
    expect(posted.status()).toBe(200);
  }
  const viewer = await newViewer({ video: false });
  const wire = new SocketWire(viewer.page);
  await viewer.openEvent(eventId, title);

  await admin.page.goto(`/admin/events/${encodeURIComponent(eventId)}`);
  const section = admin.page.getByRole('region', { name: 'Sous-titres' });
  const lines = section.getByRole('list', { name: 'Lignes de sous-titres (français)' });
  await expect(lines.getByRole('listitem')).toHaveCount(2);
  await lines.getByRole('listitem').filter({ hasText: 'fôte' }).getByRole('button', { name: /^Corriger la ligne de/ }).click();
  const text = section.getByRole('textbox', { name: 'Texte de la ligne' });
  await expect(text).toHaveValue(`Deuxième ligne avec une fôte ${t}`);
  await text.fill(`Deuxième ligne avec une faute corrigée ${t}`);
  await section.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Correction enregistrée.' })).toBeVisible();
  await expect(lines.getByRole('listitem').filter({ hasText: `faute corrigée ${t}` })).toBeVisible();

  await expect.poll(() => wire.received()).toContain(`Deuxième ligne avec une faute corrigée ${t}`);
  const vtt = await (await request.get(`/api/events/${encodeURIComponent(eventId)}/captions/fr.vtt`)).text();
  expect(vtt).toContain(`Deuxième ligne avec une faute corrigée ${t}`);
  expect(vtt).not.toContain('fôte');
  expect(vtt).toContain(`Première ligne ${t}`);
});
