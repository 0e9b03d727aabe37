import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestInfo, ReplayInfo } from '#shared/domain/broadcast';
import { addTalk, publish, startIngestServer, type IngestTestServer, type Publisher } from '../../test/ingest';
import { api, createAccount, login } from '../../test/staff';
import { probe, streamStarts } from './test-recording';

/*
 * The whole path with the real programs: ffmpeg publishes a test pattern with sound to Parvis's nginx-rtmp as OBS
 * would, the ingest records it, the reconnect window runs out (the sweeper is run at an instant past it, not waited
 * for), and the replay is there.
 */

const SECONDS = 8;
let server: IngestTestServer | undefined;
let publisher: Publisher | undefined;

afterEach(async () => {
  await publisher?.stop();
  await server?.stop();
  server = undefined;
});

describe('from OBS to a replay, through nginx-rtmp', { timeout: 180_000 }, () => {
  it('ends the broadcast after the reconnect window with a VOD replay as long as what was published', async () => {
    server = await startIngestServer();
    await addTalk(server.store, 'talk');
    await createAccount(server.store, { email: 'admin@bibliotheque.example', password: 'a-long-password', isAdmin: true });
    const { token } = await login(server.url, 'admin@bibliotheque.example', 'a-long-password');
    const ingest = async () => (await api<IngestInfo>(server!.url, 'GET', '/api/events/talk/ingest', { token })).body;

    publisher = publish(server.rtmpPort, (await ingest()).streamKey, SECONDS);
    expect(await publisher.exited).toBe(0);
    await expect.poll(async () => (await ingest()).state, { timeout: 30_000 }).toBe('reconnecting');
    await expect.poll(async () => (await server!.store.ingest.getBroadcast('talk'))?.currentSession, { timeout: 30_000 }).toBe(1);

    const deadline = Date.parse((await ingest()).reconnectDeadline!);
    await server.ingest.sweeper!.runOnce(new Date(deadline + 1000));
    expect(server.ended).toEqual(['talk']);

    const replayOf = async () => (await api<ReplayInfo>(server!.url, 'GET', '/api/events/talk/replay')).body;
    await expect.poll(async () => (await replayOf()).state, { timeout: 30_000 }).toBe('ready');
    const replay = await replayOf();
    expect(replay).toMatchObject({ published: true, url: '/media/events/talk/replay/master.m3u8' });
    expect(replay.map.spans).toHaveLength(1);
    expect(Math.abs(replay.durationSeconds - SECONDS)).toBeLessThanOrEqual(2);

    const probed = await probe(`${server.url}${replay.url}`);
    expect(probed.codecs).toEqual(expect.arrayContaining(['h264', 'aac']));
    expect(Math.abs(probed.duration - SECONDS)).toBeLessThanOrEqual(2);
    const playlist = await (await fetch(`${server.url}/media/events/talk/replay/source.m3u8`)).text();
    expect(playlist.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);

    // The copied source starts with its first picture, not with sound ahead of it: a player paused at the start has
    // a frame to show (Chromium stays at HAVE_METADATA over a hole before the video). nginx's wait_key/wait_video.
    const first = /^[^#\s].*$/m.exec(playlist)![0];
    const starts = await streamStarts(`${server.url}/media/events/talk/replay/${first}`);
    expect(starts.video).toBeLessThanOrEqual(starts.audio + 0.1);

    expect((await server.store.programme.getEvent('talk'))?.replayUrl).toBe(replay.url);
    expect(await readdir(join(server.dataDir, 'media', 'talk'))).not.toContain('sessions');
  });
});
