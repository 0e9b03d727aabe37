import { expect, test } from '../fixtures';

test('plays the replay of an ended event', async ({ newViewer, programme }) => {
  const ended = await programme.replayEvent();
  const viewer = await newViewer();

  await viewer.openProgramme();
  await viewer.programmeSection('Replays').getByRole('link', { name: ended.title, exact: true }).click();

  await expect(viewer.page).toHaveURL(new RegExp(`/events/${ended.id}$`));
  await expect(viewer.page.getByRole('heading', { level: 1 })).toHaveText(ended.title);
  await expect(viewer.page.getByText(/Terminé/).first()).toBeVisible();
  await viewer.pressPlay();
  await viewer.expectVideoToPlay();
});
