import { randomUUID } from 'node:crypto';
import { expect, seriousViolations, test } from '../fixtures';
import { ingestInfo, publish } from '../fixtures/obs';

/**
 * The moderator console's stream panel (issue 11) while OBS (ffmpeg) publishes to the real ingest: connected or not,
 * the figures and what to fix in OBS, a muted preview, the stream key, and the reconnect countdown when OBS drops.
 * Needs the server started with RTMP_PORT.
 */

const unique = (): string => randomUUID().slice(0, 8);

test('the console shows the stream from OBS, what to fix in OBS, a muted preview, and the countdown when OBS drops', async ({ admin }) => {
  test.setTimeout(240_000);
  const t = unique();
  const title = `Console de diffusion ${t}`;
  const eventId = await admin.createEventThroughApi({ title, inDays: 0 });
  const info = await ingestInfo(admin.page, eventId);
  const page = admin.page;
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // The admin fixture fetches no video; this one watches the preview.
  await admin.context.unroute('**/media/**');

  await page.goto(`/events/${encodeURIComponent(eventId)}/moderate`);
  const panel = page.getByRole('region', { name: 'Diffusion depuis OBS' });
  await expect(panel).toContainText('Non connecté');
  await expect(panel).toContainText('En attente d’OBS');
  await expect(panel).toContainText(info.rtmpUrl);

  // The key stays hidden until asked for; it is copied whole either way.
  await expect(panel).not.toContainText(info.streamKey);
  await panel.getByRole('button', { name: 'Copier la clé' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(info.streamKey);
  await panel.getByRole('button', { name: 'Afficher la clé' }).click();
  await expect(panel.getByRole('button', { name: 'Afficher la clé' })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel).toContainText(info.streamKey);

  // OBS publishes with keyframes 10 s apart and no microphone: the panel says so, and what to change.
  const publisher = publish(info, { keyframeSeconds: 10, audio: false });
  try {
    await expect(panel).toContainText('OBS est connecté', { timeout: 60_000 });
    await expect(panel).toContainText('Connecté');
    await expect(panel.getByRole('definition').filter({ hasText: '1280 × 720' })).toBeVisible({ timeout: 30_000 });
    const warnings = panel.getByRole('list').filter({ hasText: 'Dans OBS' });
    await expect(warnings).toContainText('Images clés trop espacées', { timeout: 30_000 });
    await expect(warnings).toContainText('Intervalle d’images clés : mettez 2 s');
    await expect(warnings).toContainText('Aucun son n’arrive');

    // A muted preview of the live, on demand.
    await panel.getByRole('button', { name: 'Afficher l’aperçu du direct' }).click();
    const preview = panel.locator('parvis-stream-preview video');
    await expect
      .poll(() => preview.evaluate((v: HTMLVideoElement) => (v.muted && !v.paused ? v.currentTime : 0)), { timeout: 30_000 })
      .toBeGreaterThan(1);
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await publisher.stop();
  }

  // OBS dropped: the broadcast waits for it, and says for how long.
  await expect(panel).toContainText(/Sans reconnexion, la diffusion se termine dans \d+ s\./, { timeout: 30_000 });
  const seconds = async () => Number(/dans (\d+) s/.exec((await panel.textContent()) ?? '')?.[1]);
  const first = await seconds();
  await expect.poll(seconds, { timeout: 10_000 }).toBeLessThan(first);

  // A new key, after a confirmation: the old one is gone.
  await panel.getByRole('button', { name: 'Changer la clé' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Changer la clé' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Nouvelle clé créée' })).toBeVisible();
  const renewed = await ingestInfo(page, eventId);
  expect(renewed.streamKey).not.toBe(info.streamKey);
  await expect(panel).toContainText(renewed.streamKey);
});
