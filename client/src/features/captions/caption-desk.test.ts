import type { CaptionCue } from '#shared/domain/caption';
import type { Ack } from '#shared/protocol/ack';
import type { ServerToClientEvents } from '#shared/protocol/events';
import { describe, expect, it } from 'vitest';
import type { BroadcastName, ConnectionStatus, RealtimeTransport, RequestName, RequestPayload, RequestResult } from '../../realtime/realtime-client';
import { CaptionDesk } from './caption-desk';

/** A connection whose broadcasts the test emits, and whose join ack it sets. */
class FakeTransport implements RealtimeTransport {
  status: ConnectionStatus = 'connected';
  joinAck: Ack<unknown> = { ok: false, error: { code: 'UNAVAILABLE', message: 'x' } };
  #handlers = new Map<string, Set<(payload: never) => void>>();
  ensureConnected(): void {}
  async request<E extends RequestName>(_event: E, _payload: RequestPayload<E>): Promise<Ack<RequestResult<E>>> {
    return this.joinAck as Ack<RequestResult<E>>;
  }
  on<E extends BroadcastName>(event: E, handler: ServerToClientEvents[E]): () => void {
    const set = this.#handlers.get(event) ?? new Set();
    set.add(handler as (payload: never) => void);
    this.#handlers.set(event, set);
    return () => set.delete(handler as (payload: never) => void);
  }
  onStatus(): () => void {
    return () => {};
  }
  emit<E extends BroadcastName>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    for (const handler of this.#handlers.get(event) ?? []) (handler as (p: typeof payload) => void)(payload);
  }
}

const cue = (id: string, s: number, text: string, extra: Partial<CaptionCue> = {}): CaptionCue => ({
  id,
  eventId: 'e1',
  lang: 'fr',
  seq: s,
  startAt: new Date(Date.UTC(2026, 11, 1, 18, 0, s)).toISOString(),
  endAt: null,
  text,
  source: 'desk',
  editedAt: null,
  ...extra,
});

describe('the caption desk', () => {
  it('reads the join ack’s lines and the room’s cues, merged by id and kept in the order they were said', async () => {
    const transport = new FakeTransport();
    const desk = new CaptionDesk('e1');
    const tapped = desk.tap(transport);
    transport.joinAck = { ok: true, data: { event: { id: 'e1' }, captions: [cue('a', 1, 'un'), cue('en', 1, 'one', { lang: 'en' })] } };
    await tapped.request('event:join', { eventId: 'e1' });
    transport.emit('captions:cue', { eventId: 'e1', cue: cue('c', 3, 'trois') });
    transport.emit('captions:cue', { eventId: 'e1', cue: cue('b', 2, 'deux') });
    transport.emit('captions:cue', { eventId: 'e1', cue: cue('a', 1, 'Un.', { editedAt: '2026-12-01T18:01:00.000Z' }) });
    transport.emit('captions:cue', { eventId: 'other', cue: cue('z', 0, 'ailleurs') });
    expect(desk.linesOf('fr').map((c) => c.text)).toEqual(['Un.', 'deux', 'trois']);
    expect(desk.linesOf('en').map((c) => c.text)).toEqual(['one']);
    desk.close();
    transport.emit('captions:cue', { eventId: 'e1', cue: cue('d', 4, 'quatre') });
    expect(desk.linesOf('fr')).toHaveLength(3);
  });

  it('corrects its own last line of the language, and nothing before it sent one', async () => {
    const desk = new CaptionDesk('e1');
    const sent: unknown[] = [];
    const sender = async (payload: { eventId: string; lang: string; text: string; replaces?: string }): Promise<Ack<{ cue: CaptionCue }>> => {
      sent.push(payload);
      return { ok: true, data: { cue: cue(payload.replaces ?? `n${sent.length}`, sent.length, payload.text) } };
    };
    expect(await desk.correctLast(sender, 'fr', 'x')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(sent).toEqual([]);
    await desk.send(sender, 'fr', 'La médiatèque');
    await desk.correctLast(sender, 'fr', 'La médiathèque');
    expect(sent.at(-1)).toEqual({ eventId: 'e1', lang: 'fr', text: 'La médiathèque', replaces: 'n1' });
    expect(desk.state.lastSent.get('fr')?.text).toBe('La médiathèque');
    expect(desk.linesOf('fr').map((c) => c.text)).toEqual(['La médiathèque']);
  });
});
