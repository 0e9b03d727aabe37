import { expect, test } from '../fixtures';

test('a link to a moment of a replay starts it there, and "copy a link to this moment" gives back where the video is', async ({
  newViewer,
  programme,
}) => {
  const ended = await programme.replayEvent();
  const viewer = await newViewer();
  await viewer.context.grantPermissions(['clipboard-read', 'clipboard-write']);

  // The player seeks once the video's metadata is there; the replay does not play by itself.
  await viewer.page.goto(`/events/${encodeURIComponent(ended.id)}?t=6`);
  await expect(viewer.page.getByRole('heading', { level: 1 })).toHaveText(ended.title);
  await expect
    .poll(async () => (await viewer.videoState()).currentTime, { message: 'the replay starts at 0:06', timeout: 30_000 })
    .toBeCloseTo(6, 1);
  await viewer.pressPlay();
  await viewer.expectVideoToPlay();

  await viewer.page.getByRole('button', { name: 'Copier le lien vers ce moment' }).click();
  const status = viewer.page.getByRole('status').filter({ hasText: 'Lien copié' });
  await expect(status).toBeVisible();
  const copied = await viewer.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(new RegExp(`/events/${ended.id}\\?t=\\d+$`));
  expect(Number(new URL(copied).searchParams.get('t'))).toBeGreaterThanOrEqual(6);
  await expect(status).toContainText(copied);
});
