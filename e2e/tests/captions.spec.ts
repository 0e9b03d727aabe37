import { expect, seriousViolations, test, type Viewer } from '../fixtures';

/*
 * Live captions (issue 12): a captioner invited by the admin types at the caption desk, captioning software posts in
 * YouTube's format, and both reach a viewer of the live in Chromium as cues of a real text track of their language on
 * the `<video>`, placed on that viewer's own clock (the demo's live loop carries EXT-X-PROGRAM-DATE-TIME). A corrected
 * line replaces the cue. Once the event has ended, its replay has the WebVTT file as the video's `<track>` and as the
 * transcript below it, corrected.
 */

const DEMO_LIVE = '/media/live/demo/master.m3u8';
const DEMO_REPLAY = '/media/demo/master.m3u8';

const tag = () => Math.random().toString(36).slice(2, 8);

/** What captioning software posts: the line after a UTC timestamp without a zone, as YouTube takes it. */
const youTubeBody = (text: string, at = new Date()) => `${at.toISOString().replace('Z', '')}\n${text}\n`;

/**
 * The texts of the cues the viewer's `<video>` holds in its text tracks of `lang` (the live tracks the player adds,
 * or a replay's `<track>` elements), read off the element as the browser has them.
 */
async function trackCues(viewer: Viewer, lang: string): Promise<string[]> {
  return viewer.video.evaluate((video: HTMLVideoElement, lang: string) => {
    const texts: string[] = [];
    for (const track of Array.from(video.textTracks)) {
      if (track.language !== lang) continue;
      for (const cue of Array.from(track.cues ?? [])) texts.push((cue as VTTCue).text);
    }
    return texts;
  }, lang);
}

/** The mode of the viewer's text track of `lang` (`showing` when the viewer sees it drawn), or null without one. */
async function trackMode(viewer: Viewer, lang: string): Promise<string | null> {
  return viewer.video.evaluate(
    (video: HTMLVideoElement, lang: string) => Array.from(video.textTracks).find((t) => t.language === lang)?.mode ?? null,
    lang,
  );
}

test('a captioner’s lines from the desk, and captioning software’s, reach a viewer’s video as text tracks; corrections too', async ({
  admin,
  newViewer,
  newModerator,
  request,
}) => {
  test.setTimeout(120_000);
  const t = tag();
  const title = `Conférence sous-titrée ${t}`;
  const eventId = await admin.createEventThroughApi({ title, streamUrl: DEMO_LIVE });
  await admin.goLiveThroughApi(eventId);
  const invite = await admin.createInviteThroughApi(eventId, 'captioner');

  const viewer = await newViewer();
  await viewer.openEvent(eventId, title);
  await viewer.expectVideoToPlay();

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
  // The viewer's video has a French text track with the line.
  await expect.poll(() => trackCues(viewer, 'fr'), { message: 'the French text track has the desk’s line' }).toContain(`Bonsoir et bienvenue ${t}`);

  // The viewer turns captions on with the CC button: the French track is the one drawn on the picture.
  const cc = viewer.page.getByRole('button', { name: 'Sous-titres', exact: true });
  await expect(cc).toHaveAttribute('aria-pressed', 'false');
  await cc.click();
  await expect(cc).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => trackMode(viewer, 'fr')).toBe('showing');

  // The Up arrow in the empty field takes the last line back; Enter replaces it, in the viewer's track too.
  await line.press('ArrowUp');
  const correcting = desk.getByRole('textbox', { name: 'Correction de votre dernière ligne' });
  await expect(correcting).toHaveValue(`Bonsoir et bienvenue ${t}`);
  await correcting.fill(`Bonsoir et bienvenue à la médiathèque ${t}`);
  await correcting.press('Enter');
  await expect(desk.getByRole('status').filter({ hasText: 'Ligne corrigée.' })).toBeVisible();
  await expect(desk.getByRole('listitem').filter({ hasText: `à la médiathèque ${t}` })).toContainText('corrigée');
  await expect
    .poll(() => trackCues(viewer, 'fr'), { message: 'the corrected line replaces the first one in the track' })
    .toEqual([`Bonsoir et bienvenue à la médiathèque ${t}`]);

  // A second line, in English, with Shift+Enter for its second line: a track of its own, which stays hidden.
  await desk.getByRole('combobox', { name: 'Langue des sous-titres' }).selectOption('en');
  await line.fill(`Good evening ${t}`);
  await line.press('Shift+Enter');
  await line.pressSequentially('and welcome');
  await line.press('Enter');
  await expect.poll(() => trackCues(viewer, 'en'), { message: 'the English text track has the line' }).toEqual([`Good evening ${t}\nand welcome`]);
  expect(await trackMode(viewer, 'en')).toBe('hidden');
  expect(await trackMode(viewer, 'fr')).toBe('showing');

  expect(await seriousViolations(desk, { media: false })).toEqual([]);

  // Captioning software posts to the URL the moderators and admins read, in YouTube's format.
  const url = new URL(await admin.captionIngestUrlThroughApi(eventId));
  const posted = await request.post(`${url.pathname}${url.search}&seq=1`, {
    data: youTubeBody(`Le logiciel de vélotypie parle ${t}`),
    headers: { 'content-type': 'text/plain' },
  });
  expect(posted.status()).toBe(200);
  expect(await posted.text()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\n$/);
  await expect
    .poll(() => trackCues(viewer, 'fr'), { message: 'the French text track has the captioning software’s line' })
    .toEqual([`Bonsoir et bienvenue à la médiathèque ${t}`, `Le logiciel de vélotypie parle ${t}`]);
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

test('an admin corrects a caption line in the editor: the viewer’s track, the WebVTT file and the replay’s transcript show it corrected', async ({
  admin,
  newViewer,
  request,
}) => {
  test.setTimeout(120_000);
  const t = tag();
  const title = `Replay sous-titré ${t}`;
  const eventId = await admin.createEventThroughApi({ title, streamUrl: DEMO_LIVE, replayUrl: DEMO_REPLAY });
  await admin.goLiveThroughApi(eventId);
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
  // A viewer who comes after the lines gets them with the room (the join's newest lines), in their video's track.
  const viewer = await newViewer();
  await viewer.openEvent(eventId, title);
  await viewer.expectVideoToPlay();
  await expect
    .poll(() => trackCues(viewer, 'fr'), { message: 'the French text track has the lines said before the viewer came' })
    .toEqual([`Première ligne ${t}`, `Deuxième ligne avec une fôte ${t}`]);

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

  await expect
    .poll(() => trackCues(viewer, 'fr'), { message: 'the correction replaces the cue in the viewer’s track' })
    .toEqual([`Première ligne ${t}`, `Deuxième ligne avec une faute corrigée ${t}`]);
  const vtt = await (await request.get(`/api/events/${encodeURIComponent(eventId)}/captions/fr.vtt`)).text();
  expect(vtt).toContain(`Deuxième ligne avec une faute corrigée ${t}`);
  expect(vtt).not.toContain('fôte');
  expect(vtt).toContain(`Première ligne ${t}`);

  // The event ends; its replay has the captions as the video's track and as the transcript below it, corrected.
  await admin.endEventThroughApi(eventId);
  await viewer.openEvent(eventId, title);
  const transcript = viewer.page.getByRole('list', { name: 'Transcription' });
  await expect(transcript.getByRole('listitem')).toHaveCount(2);
  await expect(transcript.getByRole('listitem')).toContainText([`Première ligne ${t}`, `Deuxième ligne avec une faute corrigée ${t}`]);
  await expect
    .poll(() => trackCues(viewer, 'fr'), { message: 'the replay’s French <track> has the corrected lines' })
    .toEqual([`Première ligne ${t}`, `Deuxième ligne avec une faute corrigée ${t}`]);
  // Searching the transcript finds the corrected words, and nothing of the old ones.
  const search = viewer.page.getByRole('searchbox', { name: 'Rechercher dans la transcription' });
  await search.fill('fôte');
  await expect(viewer.page.getByText('Aucune ligne ne contient ces mots.')).toBeVisible();
  await search.fill('corrigée');
  await expect(transcript.getByRole('listitem')).toHaveCount(1);
  await expect(transcript.getByRole('listitem')).toContainText([`faute corrigée ${t}`]);
  await search.fill('');
  expect(await seriousViolations(viewer.page), 'the replay with its transcript has no serious axe violations').toEqual([]);
});
