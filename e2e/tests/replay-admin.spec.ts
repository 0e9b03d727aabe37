import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { recordSession } from '../../server/src/modules/replay/test-recording';
import { expect, seriousViolations, test } from '../fixtures';

/**
 * The replay of a broadcast, as the librarian manages it from the event's admin page: the sessions the transcoder
 * recorded are put in the server's RECORDINGS_DIR (its data directory's `media/`), the event ends, and the replay
 * panel shows it, previews it, trims it, unpublishes it and gives the programme its picture.
 */

/** An API call as the admin signed in on `page`. */
async function asAdmin(page: Page, method: 'POST' | 'PATCH', path: string, data: unknown): Promise<void> {
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('parvis.session') ?? '{}') as { token?: string }).token);
  const response = await page.request.fetch(path, { method, data, headers: { authorization: `Bearer ${token}` } });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
}

test('a librarian previews, trims, unpublishes and illustrates the replay of a ciné-conférence', async ({ admin, newViewer }) => {
  const title = `Ciné-club enregistré ${randomUUID().slice(0, 8)}`;
  // Two months ago, so that the demo's replays stay the newest for the other tests.
  const id = await admin.createEventThroughApi({ title, inDays: -60 });
  await asAdmin(admin.page, 'PATCH', `/api/events/${id}`, { kind: 'cine_conference' });
  await asAdmin(admin.page, 'POST', `/api/events/${id}/status`, { status: 'live' });
  const eventDir = join(process.env.PARVIS_E2E_DATA_DIR!, 'media', id);
  const t0 = Date.now() - 60_000;
  await recordSession(eventDir, { session: 1, seconds: 6, startsAt: t0 });
  await recordSession(eventDir, { session: 2, seconds: 4, startsAt: t0 + 9000 });
  await asAdmin(admin.page, 'POST', `/api/events/${id}/status`, { status: 'ended' });

  const page = admin.page;
  // The admin is brought without video (most admin tests need none); this one previews the replay.
  await admin.context.unroute('**/media/**');
  await page.goto(`/admin/events/${encodeURIComponent(id)}`);
  const panel = page.getByRole('region', { name: 'Replay', exact: true });
  await expect(panel.getByText('Replay prêt.')).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByText('Durée : 0:10')).toBeVisible();
  await expect(panel.getByText(/^Espace disque : [\d,]+\s?(ko|Mo)$/)).toBeVisible();
  await expect(panel.getByRole('radio', { name: 'Le film peut être revu en replay' })).toBeChecked();

  // The preview plays the untrimmed replay.
  const video = panel.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(8);
  expect(await seriousViolations(page)).toEqual([]);

  // The in point from the preview's position, the out point typed, with the keyboard.
  await video.evaluate((v: HTMLVideoElement) => {
    v.currentTime = 3;
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(3, 0);
  await panel.getByRole('button', { name: 'Début à la position de l’aperçu' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('textbox', { name: 'Début' })).toHaveValue(/^0:0[23]\.\d$/);
  await panel.getByRole('textbox', { name: 'Fin' }).fill('0:08,5');
  await page.keyboard.press('Enter');
  await expect(panel.getByText(/^Coupes enregistrées : le replay dure 0:0[56]\.$/)).toBeVisible();

  // Unpublished, the public gets nothing; published again, the programme shows the chosen picture.
  await panel.getByRole('button', { name: 'Retirer le replay du public' }).click();
  await expect(panel.getByText('Non publié : seuls les administrateurs le voient.')).toBeVisible();
  expect((await page.request.get(`/media/events/${id}/replay/master.m3u8`)).status()).toBe(404);
  await panel.getByRole('button', { name: 'Publier le replay' }).click();
  await expect(panel.getByText('Publié : le public peut le voir.')).toBeVisible();

  await panel.getByRole('button', { name: 'Proposer des images' }).click();
  const pictures = panel.getByRole('list', { name: 'Images proposées' }).getByRole('button');
  // The picture taken at the assembly, and six more spread over the trimmed replay.
  await expect(pictures).toHaveCount(7, { timeout: 30_000 });
  const last = pictures.last();
  await expect(last).toHaveText(/Image à 0:08\.0/);
  await last.click();
  await expect(last).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByText('Image du programme changée.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const viewer = await newViewer({ video: false });
  await viewer.openProgramme();
  const card = viewer.programmeSection('Replays').locator('article').filter({ hasText: title });
  const picture = card.locator('img');
  await expect(picture).toHaveAttribute('src', new RegExp(`^/media/events/${id}/thumbs/\\d+\\.jpg$`));
  await expect(picture).toHaveAttribute('alt', '');
  expect(await picture.getAttribute('src')).toBe(`/media/events/${id}/thumbs/${await chosenFile(page, id)}`);
});

/** The file of the event's chosen picture, as the admin API says. */
async function chosenFile(page: Page, id: string): Promise<string> {
  const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('parvis.session') ?? '{}') as { token?: string }).token);
  const response = await page.request.get(`/api/admin/events/${id}/replay`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { thumbnail: { file: string } }).thumbnail.file;
}
