import { randomUUID } from 'node:crypto';
import { expect, test, type Viewer } from '../fixtures';

/** A tag that makes this run's messages unique in a chat that other tests also write to. */
const tag = (): string => randomUUID().slice(0, 8);

/** Asserts that every text shows exactly once in the viewer's chat log, and in the given order. */
async function expectLogToHoldOnceInOrder(viewer: Viewer, texts: string[]): Promise<void> {
  for (const text of texts) await expect(viewer.messagesWith(text)).toHaveCount(1);
  await expect
    .poll(
      async () => {
        const shown = await viewer.chatTexts();
        return shown.flatMap((line) => texts.filter((text) => line.includes(text)));
      },
      { message: `${viewer.name} sees each message once, in the order it was sent` },
    )
    .toEqual(texts);
}

test.describe('chat of the live event', () => {
  test('carries messages both ways between two viewers, each one once', async ({ newViewer, programme }) => {
    const live = await programme.liveEvent();
    const t = tag();
    const alice = await newViewer({ name: `Alice ${t}`, video: false });
    const bob = await newViewer({ name: `Bob ${t}`, video: false });
    await alice.openEvent(live.id, live.title);
    await bob.openEvent(live.id, live.title);
    await expect(alice.viewerCount(2)).toBeVisible();
    await expect(bob.viewerCount(2)).toBeVisible();

    await alice.joinChat();
    await bob.joinChat();

    const hello = `Bonjour, la séance a commencé ? ${t}`;
    await alice.say(hello, 'enter');
    await expect(bob.messagesWith(hello)).toHaveCount(1);
    await expect(bob.messagesWith(hello)).toContainText(alice.name);
    await expect(alice.messagesWith(hello)).toHaveCount(1);

    const reply = `Oui, depuis cinq minutes. ${t}`;
    await bob.say(reply, 'button');
    await expect(alice.messagesWith(reply)).toHaveCount(1);
    await expect(alice.messagesWith(reply)).toContainText(bob.name);
    await expect(bob.messagesWith(reply)).toHaveCount(1);

    // Messages reach one socket in order, so once this one is in, any late duplicate of the earlier ones would be too.
    const thanks = `Merci ! ${t}`;
    await alice.say(thanks);
    await expect(bob.messagesWith(thanks)).toHaveCount(1);
    await expect(alice.messagesWith(thanks)).toHaveCount(1);

    await expectLogToHoldOnceInOrder(alice, [hello, reply, thanks]);
    await expectLogToHoldOnceInOrder(bob, [hello, reply, thanks]);
  });

  test('gives a viewer who lost the connection every message they missed, once and in order', async ({
    newViewer,
    programme,
  }) => {
    const live = await programme.liveEvent();
    const t = tag();
    const alice = await newViewer({ name: `Alice ${t}`, video: false });
    const bob = await newViewer({ name: `Bob ${t}`, video: false });
    await alice.openEvent(live.id, live.title);
    await bob.openEvent(live.id, live.title);
    await alice.joinChat();
    await bob.joinChat();
    await expect(alice.viewerCount(2)).toBeVisible();

    const before = `Avant la coupure ${t}`;
    await alice.say(before);
    await expect(bob.messagesWith(before)).toHaveCount(1);

    await bob.goOffline();
    // The server has seen Bob go: Alice's count drops.
    await expect(alice.viewerCount(1)).toBeVisible();

    const missed = [1, 2, 3].map((n) => `Pendant la coupure, message ${n} ${t}`);
    for (const text of missed) await alice.say(text);
    for (const text of missed) await expect(alice.messagesWith(text)).toHaveCount(1);
    // Bob's screen cannot have them yet: he is offline.
    for (const text of missed) await expect(bob.messagesWith(text)).toHaveCount(0);

    await bob.goOnline();
    await expect(alice.viewerCount(2)).toBeVisible();
    await expectLogToHoldOnceInOrder(bob, [before, ...missed]);

    // Bob is live again, both ways.
    const after = `Après la coupure ${t}`;
    await alice.say(after);
    await expect(bob.messagesWith(after)).toHaveCount(1);
    const back = `Me revoilà ${t}`;
    await bob.say(back);
    await expect(alice.messagesWith(back)).toHaveCount(1);

    await expectLogToHoldOnceInOrder(bob, [before, ...missed, after]);
    await expectLogToHoldOnceInOrder(alice, [before, ...missed, after, back]);
  });
});
