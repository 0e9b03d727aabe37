import { expect, test } from '../fixtures';

test('shows an upcoming event as starting soon, with a countdown that runs', async ({ newViewer, programme }) => {
  const next = await programme.nextScheduledEvent();
  const viewer = await newViewer();
  await viewer.openEvent(next.id, next.title);

  await expect(viewer.page.getByText('Commence bientôt', { exact: true }).first()).toBeVisible();
  const countdown = viewer.page.getByRole('timer');
  await expect(countdown).toHaveText(/\d/);
  const first = await countdown.innerText();
  await expect(countdown).not.toHaveText(first);
});
