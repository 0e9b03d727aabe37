import type { CaptionCue } from '#shared/domain/caption';
import type { ChatMessage } from '#shared/domain/chat';
import type { Event } from '#shared/domain/event';
import type { BackstageNote, RoomSettings, Sanction, StaffRoomState } from '#shared/domain/moderation';
import type { Poll } from '#shared/domain/poll';
import type { Question } from '#shared/domain/question';
import { isRoomStaff } from '#shared/domain/staff';
import type { Ack } from '#shared/protocol/ack';
import type { ErrorBody } from '#shared/protocol/errors';
import type { JoinResult, ServerToClientEvents } from '#shared/protocol/events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  BroadcastName,
  ConnectionStatus,
  RealtimeTransport,
  RequestName,
  RequestPayload,
  RequestResult,
} from '../../realtime/realtime-client';
import { ManualClock } from '../../app/manual-clock';
import { EventRoom } from './event-room';

interface SentRequest {
  event: RequestName;
  payload: unknown;
  respond(ack: Ack<unknown>): void;
}

/** A connection under the test's control: requests wait until the test answers them. */
class FakeTransport implements RealtimeTransport {
  status: ConnectionStatus = 'idle';
  requests: SentRequest[] = [];
  #handlers = new Map<string, Set<(payload: never) => void>>();
  #statusHandlers = new Set<(status: ConnectionStatus) => void>();

  ensureConnected(): void {
    if (this.status === 'idle') this.setStatus('connecting');
  }

  request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<Ack<RequestResult<E>>> {
    if (this.status !== 'connected') return Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'offline' } });
    return new Promise((resolve) => {
      this.requests.push({ event, payload, respond: (ack) => resolve(ack as Ack<RequestResult<E>>) });
    });
  }

  on<E extends BroadcastName>(event: E, handler: ServerToClientEvents[E]): () => void {
    const set = this.#handlers.get(event) ?? new Set();
    set.add(handler as (payload: never) => void);
    this.#handlers.set(event, set);
    return () => set.delete(handler as (payload: never) => void);
  }

  onStatus(handler: (status: ConnectionStatus) => void): () => void {
    this.#statusHandlers.add(handler);
    return () => this.#statusHandlers.delete(handler);
  }

  setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const handler of this.#statusHandlers) handler(status);
  }

  broadcast<E extends BroadcastName>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    for (const handler of this.#handlers.get(event) ?? []) (handler as (p: typeof payload) => void)(payload);
  }

  /** The oldest unanswered request of this kind. */
  take(event: RequestName): SentRequest {
    const index = this.requests.findIndex((r) => r.event === event);
    if (index < 0) throw new Error(`no pending ${event}`);
    return this.requests.splice(index, 1)[0]!;
  }
}

const EVENT: Event = {
  id: 'e1',
  kind: 'lecture',
  title: 'Une rencontre',
  summary: '',
  startsAt: '2026-11-25T18:00:00.000Z',
  endsAt: '2026-11-25T19:00:00.000Z',
  timezone: 'Europe/Paris',
  status: 'live',
  access: 'open',
  speakers: [],
  language: 'fr',
  streamUrl: '/media/live/demo/master.m3u8',
};

function message(offset: number, authorId = 'u1'): ChatMessage {
  return {
    id: `m${offset}`,
    eventId: 'e1',
    offset,
    author: { id: authorId, displayName: authorId, role: 'guest' },
    text: `message ${offset}`,
    sentAt: new Date(Date.UTC(2026, 10, 25, 18, 0, offset)).toISOString(),
    clientId: `c${offset}`,
  };
}

function joinAck(messages: ChatMessage[], lastOffset: number, extra: Partial<JoinResult> = {}, reset = false) {
  return {
    ok: true as const,
    data: { event: EVENT, chat: { messages, lastOffset, reset }, questions: [], viewers: 3, ...extra },
  };
}

/** What the room's clock reads when a test starts: the day of EVENT, before it starts. */
const NOW = Date.parse('2026-11-25T18:00:00.000Z');
const offsets = (room: EventRoom): number[] => room.state.messages.map((m) => m.offset);
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('EventRoom', () => {
  let transport: FakeTransport;
  let clock: ManualClock;
  let room: EventRoom;

  beforeEach(() => {
    transport = new FakeTransport();
    clock = new ManualClock(NOW);
    room = new EventRoom(transport, 'e1', { retryDelayMs: 10, clock });
  });

  afterEach(() => room.close());

  async function joinWith(messages: ChatMessage[], lastOffset: number): Promise<void> {
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond(joinAck(messages, lastOffset));
    await flush();
  }

  it('knows the role the server gives the person in the event, and follows it across rejoins', async () => {
    room.open();
    transport.setStatus('connected');
    expect(room.state.role).toBeNull();
    transport.take('event:join').respond(joinAck([], 0, { role: 'moderator' }));
    await flush();
    expect(room.state.role).toBe('moderator');
    expect(isRoomStaff(room.state.role)).toBe(true);
    // The role was taken back: the server dropped the socket, and the rejoin says so.
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    transport.take('event:join').respond(joinAck([], 0, { role: 'guest' }));
    await flush();
    expect(room.state.role).toBe('guest');
    expect(isRoomStaff(room.state.role)).toBe(false);
  });

  it('holds the live captions of the join ack, then each cue broadcast, replacing a corrected one by id', async () => {
    const cue = (id: string, second: number, text: string, lang = 'fr'): CaptionCue => ({
      id,
      eventId: 'e1',
      lang,
      seq: second,
      startAt: new Date(NOW + second * 1000).toISOString(),
      endAt: null,
      text,
      source: 'desk',
      editedAt: null,
    });
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond(joinAck([], 0, { captions: [cue('c2', 2, 'Bonsoir'), cue('c1', 1, 'Hello', 'en')] }));
    await flush();
    expect(room.state.captions.map((c) => c.text)).toEqual(['Hello', 'Bonsoir']);
    transport.broadcast('captions:cue', { eventId: 'e1', cue: cue('c3', 3, 'à toutes et à tous') });
    transport.broadcast('captions:cue', { eventId: 'e1', cue: { ...cue('c2', 2, 'Bonsoir à tous'), editedAt: new Date(NOW).toISOString() } });
    transport.broadcast('captions:cue', { eventId: 'other', cue: cue('x', 4, 'ailleurs') });
    expect(room.state.captions.map((c) => c.text)).toEqual(['Hello', 'Bonsoir à tous', 'à toutes et à tous']);
  });

  it('gives no role when the join is refused', async () => {
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond({ ok: false, error: { code: 'FORBIDDEN', message: 'This event is for invited people only' } });
    await flush();
    expect(room.state.phase).toBe('denied');
    expect(room.state.role).toBeNull();
  });

  it('joins without since the first time and shows the history, the event and the viewers', async () => {
    room.open();
    transport.setStatus('connected');
    const join = transport.take('event:join');
    expect(join.payload).toEqual({ eventId: 'e1' });
    join.respond(joinAck([message(1), message(2)], 2));
    await flush();
    expect(room.state.phase).toBe('joined');
    expect(offsets(room)).toEqual([1, 2]);
    expect(room.state.event?.title).toBe('Une rencontre');
    expect(room.state.viewers).toBe(3);
  });

  it('merges broadcasts that arrive before the join ack once the ack is in', async () => {
    room.open();
    transport.setStatus('connected');
    const join = transport.take('event:join');
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(3)] });
    expect(room.state.messages).toEqual([]);
    join.respond(joinAck([message(1), message(2), message(3)], 3));
    await flush();
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(4)] });
    expect(offsets(room)).toEqual([1, 2, 3, 4]);
  });

  it('ignores broadcasts of other events', async () => {
    await joinWith([], 0);
    transport.broadcast('chat:messages', { eventId: 'other', messages: [{ ...message(1), eventId: 'other' }] });
    transport.broadcast('presence:viewers', { eventId: 'other', viewers: 99 });
    expect(room.state.messages).toEqual([]);
    expect(room.state.viewers).toBe(3);
  });

  it('shows one own message once although it comes back in the ack and in the broadcast', async () => {
    await joinWith([message(1)], 1);
    const sending = room.sendChat('hello', 'client-1');
    await flush();
    const send = transport.take('chat:send');
    expect(send.payload).toEqual({ eventId: 'e1', text: 'hello', clientId: 'client-1' });
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(2)] });
    send.respond({ ok: true, data: { message: message(2) } });
    const ack = await sending;
    expect(ack.ok).toBe(true);
    expect(offsets(room)).toEqual([1, 2]);
  });

  it('rejoins after a reconnection with since = the last offset and loses nothing, doubles nothing', async () => {
    await joinWith([message(1), message(2)], 2);
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(3)] });
    transport.setStatus('reconnecting');
    expect(room.state.connection).toBe('reconnecting');
    transport.setStatus('connected');
    const rejoin = transport.take('event:join');
    expect(rejoin.payload).toEqual({ eventId: 'e1', since: 3 });
    // A broadcast before the ack, and the ack overlapping it.
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(6)] });
    rejoin.respond(joinAck([message(4), message(5), message(6)], 6));
    await flush();
    expect(offsets(room)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(room.lastOffset).toBe(6);
  });

  it('does not count its own acked message as received when choosing since', async () => {
    await joinWith([message(1)], 1);
    const sending = room.sendChat('hello', 'client-1');
    await flush();
    // Message 2 from someone else is still on its way when our message 3 is acked.
    transport.take('chat:send').respond({ ok: true, data: { message: message(3) } });
    await sending;
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    const rejoin = transport.take('event:join');
    expect(rejoin.payload).toEqual({ eventId: 'e1', since: 1 });
    rejoin.respond(joinAck([message(2, 'u2'), message(3)], 3));
    await flush();
    expect(offsets(room)).toEqual([1, 2, 3]);
  });

  it('fetches a message whose broadcast never came, by rejoining with since after a short wait', async () => {
    await joinWith([message(1)], 1);
    // Message 2's broadcast was lost with the process that stored it; 3 arrives through another.
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(3)] });
    expect(offsets(room)).toEqual([1, 3]);
    clock.advance(999);
    expect(transport.requests).toEqual([]);
    clock.advance(1);
    const rejoin = transport.take('event:join');
    expect(rejoin.payload).toEqual({ eventId: 'e1', since: 1 });
    rejoin.respond(joinAck([message(2), message(3)], 3));
    await flush();
    expect(offsets(room)).toEqual([1, 2, 3]);
    expect(room.lastOffset).toBe(3);
  });

  it('does not rejoin when a late broadcast fills the hole in time', async () => {
    await joinWith([message(1)], 1);
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(3)] });
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(2)] });
    clock.advance(60_000);
    expect(transport.requests).toEqual([]);
    expect(room.lastOffset).toBe(3);
  });

  it('replaces its messages when the rejoin ack says reset', async () => {
    await joinWith([message(1), message(2)], 2);
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    expect(room.state.historyTrimmed).toBe(false);
    transport.take('event:join').respond(joinAck([message(300), message(301)], 301, {}, true));
    await flush();
    expect(offsets(room)).toEqual([300, 301]);
    // Told that the messages in between are not shown.
    expect(room.state.historyTrimmed).toBe(true);
  });

  it('reports a refused join (registration required) and stops trying', async () => {
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond({ ok: false, error: { code: 'FORBIDDEN', message: 'registration required' } });
    await flush();
    expect(room.state.phase).toBe('denied');
    expect(room.state.error?.code).toBe('FORBIDDEN');
    // No retry is even set: however long the page stays open, the room does not ask again.
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    expect(transport.requests).toEqual([]);
  });

  it('tries again after a transient join error', async () => {
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond({ ok: false, error: { code: 'UNAVAILABLE', message: 'busy' } });
    await flush();
    expect(room.state.phase).toBe('joining');
    // After the retry delay (10 ms here), not before.
    clock.advance(9);
    expect(transport.requests).toEqual([]);
    clock.advance(1);
    transport.take('event:join').respond(joinAck([message(1)], 1));
    await flush();
    expect(room.state.phase).toBe('joined');
  });

  it('waits twice as long after each transient join error, or as long as the server asks', async () => {
    room.open();
    transport.setStatus('connected');
    /** Refuses the pending join, and tells how long the room waits before it asks again (a minute means never). */
    const failAndWait = async (error: ErrorBody) => {
      transport.take('event:join').respond({ ok: false, error });
      await flush();
      const before = clock.now();
      while (transport.requests.length === 0 && clock.now() - before < 60_000) clock.advance(1);
      return clock.now() - before;
    };
    expect(await failAndWait({ code: 'UNAVAILABLE', message: 'busy' })).toBe(10);
    expect(await failAndWait({ code: 'UNAVAILABLE', message: 'busy' })).toBe(20);
    expect(await failAndWait({ code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 3_000 })).toBe(3_000);
    expect(await failAndWait({ code: 'UNAVAILABLE', message: 'busy' })).toBe(80);
    transport.take('event:join').respond(joinAck([], 0));
    await flush();
    expect(room.state.phase).toBe('joined');
  });

  it('follows viewer counts and event updates', async () => {
    await joinWith([], 0);
    transport.broadcast('presence:viewers', { eventId: 'e1', viewers: 12 });
    transport.broadcast('event:updated', { event: { ...EVENT, status: 'ended' } });
    expect(room.state.viewers).toBe(12);
    expect(room.state.event?.status).toBe('ended');
  });

  it('waits for the join before sending a message typed while connecting', async () => {
    room.open();
    transport.setStatus('connected');
    const join = transport.take('event:join');
    const sending = room.sendChat('early', 'client-1');
    await flush();
    expect(transport.requests.some((r) => r.event === 'chat:send')).toBe(false);
    join.respond(joinAck([], 0));
    await flush();
    transport.take('chat:send').respond({ ok: true, data: { message: message(1) } });
    expect((await sending).ok).toBe(true);
    expect(offsets(room)).toEqual([1]);
  });

  it('leaves the room when closed and stops listening', async () => {
    await joinWith([], 0);
    room.close();
    expect(transport.take('event:leave').payload).toEqual({ eventId: 'e1' });
    const listener = vi.fn();
    room.subscribe(listener);
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(1)] });
    expect(listener).not.toHaveBeenCalled();
  });
});

function question(id: string, patch: Partial<Question> = {}): Question {
  return {
    id,
    eventId: 'e1',
    text: `question ${id}`,
    anonymous: false,
    author: { id: 'u2', displayName: 'Bob' },
    state: 'approved',
    votes: 0,
    starred: false,
    position: null,
    createdAt: new Date(Date.UTC(2026, 10, 25, 18, 0, Number(id.replace(/\D/g, '')) || 0)).toISOString(),
    liveAt: null,
    answeredAt: null,
    rejectedReason: null,
    mergedInto: null,
    origin: 'online',
    ...patch,
  };
}

describe('EventRoom questions', () => {
  let transport: FakeTransport;
  let clock: ManualClock;
  let room: EventRoom;

  beforeEach(() => {
    transport = new FakeTransport();
    clock = new ManualClock(NOW);
    room = new EventRoom(transport, 'e1', { retryDelayMs: 10, clock });
  });

  afterEach(() => room.close());

  async function joinWithQuestions(questions: Question[]): Promise<void> {
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond(joinAck([], 0, { questions }));
    await flush();
  }

  const byId = (id: string): Question | undefined => room.state.questions.find((q) => q.id === id);

  it('shows the questions of the join ack and merges the changed ones of each broadcast by id', async () => {
    await joinWithQuestions([question('q1', { votes: 2 }), question('q2')]);
    expect(room.state.questions.map((q) => q.id)).toEqual(['q1', 'q2']);
    transport.broadcast('questions:updated', { eventId: 'e1', questions: [question('q2', { votes: 5 }), question('q3')] });
    expect(room.state.questions.map((q) => [q.id, q.votes])).toEqual([
      ['q1', 2],
      ['q2', 5],
      ['q3', 0],
    ]);
  });

  it('drops the questions a broadcast lists as removed', async () => {
    await joinWithQuestions([question('q1'), question('q2')]);
    transport.broadcast('questions:updated', { eventId: 'e1', questions: [], removed: ['q1'] });
    expect(room.state.questions.map((q) => q.id)).toEqual(['q2']);
  });

  it('ignores question broadcasts of other events', async () => {
    await joinWithQuestions([]);
    transport.broadcast('questions:updated', { eventId: 'other', questions: [question('q9', { eventId: 'other' })] });
    expect(room.state.questions).toEqual([]);
  });

  it('keeps knowing the person voted when broadcasts leave `voted` out', async () => {
    await joinWithQuestions([question('q1', { votes: 1, voted: true }), question('q2')]);
    transport.broadcast('questions:updated', { eventId: 'e1', questions: [question('q1', { votes: 4 })] });
    expect(byId('q1')).toMatchObject({ votes: 4, voted: true });

    const voting = room.vote('q2', true);
    await flush();
    const vote = transport.take('question:vote');
    expect(vote.payload).toEqual({ eventId: 'e1', questionId: 'q2', up: true });
    vote.respond({ ok: true, data: { question: question('q2', { votes: 1, voted: true }) } });
    await voting;
    transport.broadcast('questions:updated', { eventId: 'e1', questions: [question('q2', { votes: 2 })] });
    expect(byId('q2')).toMatchObject({ votes: 2, voted: true });
  });

  it('shows the asker their own pending question at once, and follows its state', async () => {
    await joinWithQuestions([]);
    const asking = room.askQuestion('Why?', true, 'client-1');
    await flush();
    const ask = transport.take('question:ask');
    expect(ask.payload).toEqual({ eventId: 'e1', text: 'Why?', anonymous: true, clientId: 'client-1' });
    ask.respond({ ok: true, data: { question: question('q1', { text: 'Why?', anonymous: true, state: 'pending' }) } });
    expect((await asking).ok).toBe(true);
    expect(byId('q1')?.state).toBe('pending');
    expect(room.state.askedIds).toEqual(['q1']);
    transport.broadcast('questions:updated', {
      eventId: 'e1',
      questions: [question('q1', { state: 'rejected', rejectedReason: 'Hors sujet' })],
    });
    expect(byId('q1')).toMatchObject({ state: 'rejected', rejectedReason: 'Hors sujet' });
  });

  it('applies question broadcasts that arrive before the join ack after it', async () => {
    room.open();
    transport.setStatus('connected');
    const join = transport.take('event:join');
    transport.broadcast('questions:updated', { eventId: 'e1', questions: [question('q2')] });
    expect(room.state.questions).toEqual([]);
    join.respond(joinAck([], 0, { questions: [question('q1')] }));
    await flush();
    expect(room.state.questions.map((q) => q.id)).toEqual(['q1', 'q2']);
  });

  it('says a question comes from the room when the phone page asks it, and says nothing otherwise', async () => {
    await joinWithQuestions([]);
    const asking = room.askQuestion('Depuis la salle ?', false, 'client-room', 'room');
    await flush();
    const ask = transport.take('question:ask');
    expect(ask.payload).toEqual({ eventId: 'e1', text: 'Depuis la salle ?', anonymous: false, clientId: 'client-room', origin: 'room' });
    ask.respond({ ok: true, data: { question: question('q1', { text: 'Depuis la salle ?', origin: 'room' }) } });
    expect((await asking).ok).toBe(true);
    expect(byId('q1')?.origin).toBe('room');
  });

  it('answers an error, and changes nothing, when asking fails', async () => {
    await joinWithQuestions([]);
    const asking = room.askQuestion('Why?', false, 'client-1');
    await flush();
    transport.take('question:ask').respond({ ok: false, error: { code: 'FORBIDDEN', message: 'ended' } });
    const ack = await asking;
    expect(ack.ok).toBe(false);
    expect(room.state.questions).toEqual([]);
  });
});

const SETTINGS: RoomSettings = { slowModeSeconds: 0, preModeration: true, pinned: null };

function poll(id: string, patch: Partial<Poll> = {}): Poll {
  return {
    id,
    eventId: 'e1',
    question: `poll ${id}`,
    options: [
      { id: 'a', text: 'Oui' },
      { id: 'b', text: 'Non' },
    ],
    multiple: false,
    results: 'live',
    state: 'open',
    createdAt: new Date(Date.UTC(2026, 10, 25, 18, 0, Number(id.replace(/\D/g, '')) || 0)).toISOString(),
    openedAt: '2026-11-25T18:10:00.000Z',
    closedAt: null,
    counts: [0, 0],
    voters: 0,
    ...patch,
  };
}

function sanction(kind: 'timeout' | 'ban', until: string | null, patch: Partial<Sanction> = {}): Sanction {
  return {
    eventId: 'e1',
    userId: 'u1',
    displayName: 'Ada',
    kind,
    until,
    reason: null,
    by: 'Modé',
    at: '2026-11-25T18:00:00.000Z',
    ...patch,
  };
}

function note(id: string, text = `note ${id}`): BackstageNote {
  return { id, eventId: 'e1', text, by: 'Modé', at: '2026-11-25T18:00:00.000Z' };
}

describe('EventRoom room settings, moderation, polls and reactions', () => {
  let transport: FakeTransport;
  let clock: ManualClock;
  let room: EventRoom;

  beforeEach(() => {
    transport = new FakeTransport();
    clock = new ManualClock(NOW);
    room = new EventRoom(transport, 'e1', { retryDelayMs: 10, clock });
  });

  afterEach(() => room.close());

  async function join(extra: Partial<JoinResult> = {}, messages: ChatMessage[] = [], lastOffset = messages.length): Promise<void> {
    room.open();
    transport.setStatus('connected');
    transport.take('event:join').respond(joinAck(messages, lastOffset, { settings: SETTINGS, polls: [], sanction: null, ...extra }));
    await flush();
  }

  const pollById = (id: string): Poll | undefined => room.state.polls.find((p) => p.id === id);

  it('takes the settings, polls, backstage notes and staff state of the join ack', async () => {
    const staff: StaffRoomState = { wordFilter: ['spam'], held: [], sanctions: [] };
    await join({
      role: 'moderator',
      settings: { ...SETTINGS, slowModeSeconds: 10 },
      polls: [poll('p2'), poll('p1', { state: 'draft' })],
      backstage: [note('n1')],
      staff,
    });
    expect(room.state.settings?.slowModeSeconds).toBe(10);
    // Oldest first.
    expect(room.state.polls.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(room.state.backstage.map((n) => n.id)).toEqual(['n1']);
    expect(room.state.staff).toEqual(staff);
  });

  it('leaves backstage and staff empty for a viewer', async () => {
    await join();
    expect(room.state.backstage).toEqual([]);
    expect(room.state.staff).toBeNull();
    expect(room.state.settings).toEqual(SETTINGS);
  });

  it('follows slow mode and the pinned announcement as moderators change them', async () => {
    await join();
    const pinned = { text: 'Pause à 19 h', by: 'Modé', at: '2026-11-25T18:30:00.000Z' };
    transport.broadcast('room:settings', { eventId: 'e1', settings: { ...SETTINGS, slowModeSeconds: 30, pinned } });
    expect(room.state.settings).toMatchObject({ slowModeSeconds: 30, pinned: { text: 'Pause à 19 h' } });
    transport.broadcast('room:settings', { eventId: 'other', settings: { ...SETTINGS, slowModeSeconds: 5 } });
    expect(room.state.settings?.slowModeSeconds).toBe(30);
  });

  it('removes a deleted message from the chat live, without taking the hole for a lost message', async () => {
    await join({}, [message(1), message(2), message(3)], 3);
    transport.broadcast('chat:deleted', { eventId: 'e1', messageIds: ['m2'] });
    expect(offsets(room)).toEqual([1, 3]);
    transport.broadcast('chat:messages', { eventId: 'e1', messages: [message(4)] });
    clock.advance(60_000);
    // No rejoin: every offset is accounted for.
    expect(transport.requests).toEqual([]);
    expect(room.lastOffset).toBe(4);
    expect(offsets(room)).toEqual([1, 3, 4]);
  });

  it('never shows the tombstones of a history, and rejoins from past them', async () => {
    await join({}, [message(1), { ...message(2), text: '', deleted: true }, message(3)], 3);
    expect(offsets(room)).toEqual([1, 3]);
    expect(room.lastOffset).toBe(3);
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    expect(transport.take('event:join').payload).toEqual({ eventId: 'e1', since: 3 });
  });

  it('applies a deletion that arrives while a rejoin is in flight once the ack is in', async () => {
    await join({}, [message(1), message(2)], 2);
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    const rejoin = transport.take('event:join');
    transport.broadcast('chat:deleted', { eventId: 'e1', messageIds: ['m3'] });
    // The ack was read before the deletion: it still carries the message.
    rejoin.respond(joinAck([message(3), message(4)], 4, { settings: SETTINGS, polls: [], sanction: null }));
    await flush();
    expect(offsets(room)).toEqual([1, 2, 4]);
    expect(room.lastOffset).toBe(4);
  });

  it('merges poll broadcasts by id, keeping the person\'s choice when a broadcast leaves it out', async () => {
    await join({ polls: [poll('p1', { myChoice: ['a'], counts: [1, 0], voters: 1 })] });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [3, 2], voters: 5 }), poll('p2')] });
    expect(pollById('p1')).toMatchObject({ counts: [3, 2], voters: 5, myChoice: ['a'] });
    expect(room.state.polls.map((p) => p.id)).toEqual(['p1', 'p2']);
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [], removed: ['p2'] });
    expect(room.state.polls.map((p) => p.id)).toEqual(['p1']);
    // A copy another process sent before the deletion, arriving after it, does not bring the draft back.
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p2')] });
    expect(room.state.polls.map((p) => p.id)).toEqual(['p1']);
  });

  it('shows final results when a hidden poll closes', async () => {
    await join({ polls: [poll('p1', { results: 'after-close', counts: null, voters: null, myChoice: [] })] });
    expect(pollById('p1')?.counts).toBeNull();
    transport.broadcast('polls:updated', {
      eventId: 'e1',
      polls: [poll('p1', { results: 'after-close', state: 'closed', counts: [4, 6], voters: 10, closedAt: '2026-11-25T18:20:00.000Z' })],
    });
    expect(pollById('p1')).toMatchObject({ state: 'closed', counts: [4, 6], voters: 10, myChoice: [] });
  });

  it('votes in a poll and remembers the choice from the ack', async () => {
    await join({ polls: [poll('p1', { myChoice: [] })] });
    const voting = room.votePoll('p1', ['b']);
    await flush();
    const vote = transport.take('poll:vote');
    expect(vote.payload).toEqual({ eventId: 'e1', pollId: 'p1', optionIds: ['b'] });
    vote.respond({ ok: true, data: { poll: poll('p1', { counts: [0, 1], voters: 1, myChoice: ['b'] }) } });
    expect((await voting).ok).toBe(true);
    expect(pollById('p1')).toMatchObject({ myChoice: ['b'], voters: 1 });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [2, 1], voters: 3 })] });
    expect(pollById('p1')).toMatchObject({ myChoice: ['b'], voters: 3 });
  });

  it('keeps the latest results when an older copy of a poll arrives late from another server process', async () => {
    await join({ polls: [poll('p1', { myChoice: [] })] });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [3, 2], voters: 5 })] });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [2, 2], voters: 4 })] });
    expect(pollById('p1')).toMatchObject({ state: 'open', counts: [3, 2], voters: 5, myChoice: [] });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [3, 3], voters: 6 })] });
    expect(pollById('p1')).toMatchObject({ counts: [3, 3], voters: 6 });
  });

  it('never takes a poll back to an earlier state when a late copy arrives', async () => {
    await join({ role: 'moderator', polls: [poll('p1', { state: 'draft', openedAt: null }), poll('p2')] });
    const closed = { state: 'closed' as const, closedAt: '2026-11-25T18:20:00.000Z', counts: [4, 6], voters: 10 };
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1'), poll('p2', closed)] });
    // Copies sent before the open and the close, relayed late by other processes, with more votes than the close saw.
    transport.broadcast('polls:updated', {
      eventId: 'e1',
      polls: [poll('p1', { state: 'draft', openedAt: null }), poll('p2', { counts: [6, 6], voters: 12 })],
    });
    expect(pollById('p1')?.state).toBe('open');
    expect(pollById('p2')).toMatchObject({ state: 'closed', counts: [4, 6], voters: 10 });
    expect(room.state.polls.filter((p) => p.state === 'open').map((p) => p.id)).toEqual(['p1']);
  });

  it('does not hide results again when a late copy without them arrives after the poll closed', async () => {
    const hidden = { results: 'after-close' as const, counts: null, voters: null };
    await join({ polls: [poll('p1', { ...hidden, myChoice: ['a'] })] });
    const closed = { results: 'after-close' as const, state: 'closed' as const, closedAt: '2026-11-25T18:20:00.000Z' };
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { ...closed, counts: [4, 6], voters: 10 })] });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', hidden)] });
    expect(pollById('p1')).toMatchObject({ state: 'closed', counts: [4, 6], voters: 10, myChoice: ['a'] });
  });

  it('takes known results over unknown ones in the same state, and never the reverse', async () => {
    await join({ polls: [poll('p1', { counts: null, voters: null })] });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [1, 1], voters: 2 })] });
    expect(pollById('p1')).toMatchObject({ counts: [1, 1], voters: 2 });
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: null, voters: null })] });
    expect(pollById('p1')).toMatchObject({ counts: [1, 1], voters: 2 });
  });

  it('shows the person their vote from an ack that arrives after a broadcast further along, without its older counts', async () => {
    await join({ polls: [poll('p1', { myChoice: [] })] });
    const voting = room.votePoll('p1', ['b']);
    await flush();
    const vote = transport.take('poll:vote');
    // Another process relays the count with this vote and two more before this process answers the vote.
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [2, 1], voters: 3 })] });
    vote.respond({ ok: true, data: { poll: poll('p1', { counts: [0, 1], voters: 1, myChoice: ['b'] }) } });
    expect((await voting).ok).toBe(true);
    expect(pollById('p1')).toMatchObject({ counts: [2, 1], voters: 3, myChoice: ['b'] });
  });

  it('does not let a poll broadcast held back during a rejoin roll back the results of the join ack', async () => {
    await join({ polls: [poll('p1', { counts: [1, 0], voters: 1, myChoice: ['a'] })] });
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    const rejoin = transport.take('event:join');
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p1', { counts: [2, 1], voters: 3 })] });
    rejoin.respond(joinAck([], 0, { settings: SETTINGS, polls: [poll('p1', { counts: [3, 1], voters: 4, myChoice: ['a'] })], sanction: null }));
    await flush();
    expect(pollById('p1')).toMatchObject({ counts: [3, 1], voters: 4, myChoice: ['a'] });
  });

  it('changes nothing when a vote is refused', async () => {
    await join({ polls: [poll('p1', { myChoice: [] })] });
    const voting = room.votePoll('p1', ['a']);
    await flush();
    transport.take('poll:vote').respond({ ok: false, error: { code: 'CONFLICT', message: 'poll closed' } });
    expect((await voting).ok).toBe(false);
    expect(pollById('p1')?.myChoice).toEqual([]);
  });

  it('applies poll and settings broadcasts that arrive before the join ack after it', async () => {
    room.open();
    transport.setStatus('connected');
    const pending = transport.take('event:join');
    transport.broadcast('polls:updated', { eventId: 'e1', polls: [poll('p2')] });
    transport.broadcast('room:settings', { eventId: 'e1', settings: { ...SETTINGS, slowModeSeconds: 20 } });
    expect(room.state.polls).toEqual([]);
    expect(room.state.settings).toBeNull();
    pending.respond(joinAck([], 0, { settings: SETTINGS, polls: [poll('p1')], sanction: null }));
    await flush();
    expect(room.state.polls.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(room.state.settings?.slowModeSeconds).toBe(20);
  });

  it('shows the person their timeout until it ends, then lets it go', async () => {
    await join();
    transport.broadcast('moderation:sanctioned', { eventId: 'e1', sanction: sanction('timeout', '2026-11-25T18:05:00.000Z') });
    expect(room.state.sanction?.until).toBe('2026-11-25T18:05:00.000Z');
    expect(room.state.phase).toBe('joined');
    clock.advance(5 * 60_000 - 1);
    expect(room.state.sanction).not.toBeNull();
    clock.advance(1);
    expect(room.state.sanction).toBeNull();
  });

  it('takes a timeout from the join ack, and drops it when a moderator lifts it', async () => {
    const timeout = sanction('timeout', '2026-11-25T18:30:00.000Z');
    await join({ sanction: timeout });
    expect(room.state.sanction).toEqual(timeout);
    transport.broadcast('moderation:sanctioned', { eventId: 'e1', sanction: null });
    expect(room.state.sanction).toBeNull();
  });

  it('puts a banned person out of the room for good, without joining again', async () => {
    await join({}, [message(1)], 1);
    const ban = sanction('ban', null, { reason: 'Insultes' });
    transport.broadcast('moderation:sanctioned', { eventId: 'e1', sanction: ban });
    expect(room.state.phase).toBe('denied');
    expect(room.state.error).toMatchObject({ code: 'FORBIDDEN', reason: 'banned' });
    expect(room.state.sanction?.reason).toBe('Insultes');
    // The server drops the socket; the connection comes back for the rest of the page, the room does not rejoin.
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    clock.advance(60_000);
    expect(transport.requests).toEqual([]);
    expect(room.state.phase).toBe('denied');
    const sent = await room.sendChat('encore', 'c-1');
    expect(sent.ok).toBe(false);
    expect(transport.requests).toEqual([]);
  });

  it('stays out when the ban broadcast was lost and the rejoin is refused as banned', async () => {
    await join();
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    transport.take('event:join').respond({ ok: false, error: { code: 'FORBIDDEN', message: 'banned', reason: 'banned' } });
    await flush();
    expect(room.state.phase).toBe('denied');
    expect(room.state.error?.reason).toBe('banned');
    transport.setStatus('reconnecting');
    transport.setStatus('connected');
    expect(transport.requests).toEqual([]);
  });

  it('goes out of the room when a message is refused because the person was banned', async () => {
    await join();
    const sending = room.sendChat('bonjour', 'c-1');
    await flush();
    transport.take('chat:send').respond({ ok: false, error: { code: 'FORBIDDEN', message: 'banned', reason: 'banned' } });
    await sending;
    expect(room.state.phase).toBe('denied');
    expect(room.state.error?.reason).toBe('banned');
  });

  it('answers a held message without showing it in the chat', async () => {
    await join({}, [message(1)], 1);
    const sending = room.sendChat('un gros mot', 'c-held');
    await flush();
    const held = {
      id: 'h1',
      eventId: 'e1',
      author: { id: 'u1', displayName: 'Ada', role: 'guest' as const },
      text: 'un gros mot',
      clientId: 'c-held',
      sentAt: '2026-11-25T18:01:00.000Z',
      matched: ['gros'],
    };
    transport.take('chat:send').respond({ ok: true, data: { held } });
    const ack = await sending;
    expect(ack.ok && 'held' in ack.data).toBe(true);
    expect(offsets(room)).toEqual([1]);
  });

  it('follows the staff state and appends backstage notes once each', async () => {
    await join({ role: 'moderator', backstage: [note('n1')], staff: { wordFilter: [], held: [], sanctions: [] } });
    transport.broadcast('moderation:state', { eventId: 'e1', staff: { wordFilter: ['spam'], held: [], sanctions: [] } });
    expect(room.state.staff?.wordFilter).toEqual(['spam']);
    transport.broadcast('backstage:note', { note: note('n2', 'Plus que 5 minutes') });
    transport.broadcast('backstage:note', { note: note('n2', 'Plus que 5 minutes') });
    transport.broadcast('backstage:note', { note: { ...note('n3'), eventId: 'other' } });
    expect(room.state.backstage.map((n) => n.text)).toEqual(['note n1', 'Plus que 5 minutes']);
  });

  it('numbers each reaction burst so a view can show each once', async () => {
    await join();
    expect(room.state.reactions).toBeNull();
    transport.broadcast('reactions:burst', { eventId: 'e1', counts: { '👏': 3 } });
    expect(room.state.reactions).toEqual({ seq: 1, counts: { '👏': 3 } });
    transport.broadcast('reactions:burst', { eventId: 'e1', counts: { '👏': 3 } });
    transport.broadcast('reactions:burst', { eventId: 'other', counts: { '❤️': 9 } });
    expect(room.state.reactions).toEqual({ seq: 2, counts: { '👏': 3 } });
  });

  it('sends a reaction for the room\'s event', async () => {
    await join();
    const reacting = room.react('❤️');
    await flush();
    const sent = transport.take('reaction:send');
    expect(sent.payload).toEqual({ eventId: 'e1', reaction: '❤️' });
    sent.respond({ ok: true, data: {} });
    expect((await reacting).ok).toBe(true);
  });
});
