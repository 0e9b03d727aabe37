import { expect, test } from '../fixtures';

test('plays the live event that a viewer opens from the programme', async ({ newViewer, programme }) => {
  const live = await programme.liveEvent();
  const viewer = await newViewer();

  await viewer.openProgramme();
  await viewer.programmeSection('En direct').getByRole('link', { name: live.title, exact: true }).click();

  await expect(viewer.page).toHaveURL(new RegExp(`/events/${live.id}$`));
  await expect(viewer.page.getByRole('heading', { level: 1 })).toHaveText(live.title);
  await expect(viewer.page.getByRole('button', { name: 'Revenir au direct' })).toBeVisible();
  await viewer.expectVideoToPlay();
});
