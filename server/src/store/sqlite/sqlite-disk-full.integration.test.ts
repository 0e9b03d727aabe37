import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '#shared/protocol/ack';
import type { ChatMessage } from '#shared/domain/chat';
import { CHAT_MAX_LENGTH } from '#shared/domain/limits';
import type { JoinResult } from '#shared/protocol/events';
import {
  connectViewer,
  eventually,
  guestToken,
  LIVE_EVENT_ID,
  ok,
  request,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../../test/harness';
import { openSqliteStore } from './sqlite-store';

/*
 * A full disk, for real: the server's own connection to its SQLite file gets a `max_page_count` equal to the file's
 * size, so the next write that needs a new page fails inside SQLite with SQLITE_FULL, as it would on a full disk.
 */

let dir: string;
let db: Database.Database;
let server: TestServer;
const open: TestClient[] = [];

async function viewer(name: string): Promise<TestClient> {
  const socket = await connectViewer(server.url, await guestToken(server.url, name));
  open.push(socket);
  return socket;
}

const enter = (socket: TestClient) => ok(request<JoinResult>(socket, 'event:join', { eventId: LIVE_EVENT_ID }));
const send = (socket: TestClient, text: string, clientId: string) =>
  request<{ message: ChatMessage }>(socket, 'chat:send', { eventId: LIVE_EVENT_ID, text, clientId });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parvis-disk-full-'));
  db = new Database(join(dir, 'parvis.sqlite'));
  server = await startTestServer({}, undefined, { store: openSqliteStore(db) });
});
afterAll(async () => {
  for (const socket of open) socket.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a server whose SQLite disk is full', () => {
  it('answers chat:send with UNAVAILABLE, keeps serving the room and the programme, and takes the retry once there is room', async () => {
    const ana = await viewer('Ana');
    const bob = await viewer('Bob');
    const toBob: ChatMessage[] = [];
    bob.on('chat:messages', ({ messages }) => toBob.push(...messages));
    const before = (await enter(ana)).chat.lastOffset;
    await enter(bob);

    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    // Long messages fill the free room of the last pages within a few sends; the bound only stops a broken test.
    const sent: ChatMessage[] = [];
    let refused: { ack: Ack<{ message: ChatMessage }>; clientId: string; text: string } | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const text = `${i} `.padEnd(CHAT_MAX_LENGTH, 'x');
      const clientId = `full-${i}`;
      const ack = await send(ana, text, clientId);
      if (ack.ok) sent.push(ack.data.message);
      else refused = { ack, clientId, text };
    }
    expect(refused?.ack).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });

    // Reading still works: someone else joins and gets the history, the programme answers.
    const carla = await viewer('Carla');
    const joined = await enter(carla);
    expect(joined.chat.lastOffset).toBe(before + sent.length);
    expect(joined.chat.messages.filter((m) => m.offset > before)).toEqual(sent);
    const programme = await fetch(`${server.url}/api/events/${LIVE_EVENT_ID}`);
    expect(programme.status).toBe(200);

    // Room again: the same send, retried, is stored once, right after the others, and reaches Bob.
    db.pragma('max_page_count = 1073741823');
    const retried = await ok(send(ana, refused!.text, refused!.clientId));
    expect(retried.message.offset).toBe(before + sent.length + 1);
    await eventually(() => toBob.some((m) => m.id === retried.message.id), 5000, 'the retried message at Bob');
    expect(toBob.map((m) => m.offset)).toEqual([...sent, retried.message].map((m) => m.offset));
  });
});
