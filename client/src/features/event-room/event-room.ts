import type { CaptionCue } from '#shared/domain/caption';
import type { ChatMessage } from '#shared/domain/chat';
import type { Event } from '#shared/domain/event';
import type { Question } from '#shared/domain/question';
import type { Ack } from '#shared/protocol/ack';
import type { ErrorBody } from '#shared/protocol/errors';
import type { ChatSendResult, ClientToServerEvents, JoinResult, QuestionsUpdate, ServerToClientEvents } from '#shared/protocol/events';
import type { BackstageNote, Reaction, RoomSettings, Sanction, StaffRoomState } from '#shared/domain/moderation';
import type { Poll, PollState } from '#shared/domain/poll';
import type { Role } from '#shared/domain/user';
import { systemClock, type Clock } from '../../app/clock';
import type { ConnectionStatus, RealtimeTransport, RequestPayload, RequestResult } from '../../realtime/realtime-client';
import { ChatLog } from '../chat/chat-log';

/**
 * - `joining`: waiting for the first join ack.
 * - `joined`: in the room (possibly offline for a moment: see `connection`).
 * - `denied`: the server refused the join for good (`FORBIDDEN`, `NOT_FOUND`...): see `error`.
 */
export type RoomPhase = 'joining' | 'joined' | 'denied';

export interface RoomState {
  readonly eventId: string;
  readonly phase: RoomPhase;
  readonly connection: ConnectionStatus;
  /** The event as the room last heard of it (join ack, then `event:updated`). */
  readonly event: Event | null;
  readonly messages: readonly ChatMessage[];
  readonly viewers: number | null;
  readonly error: ErrorBody | null;
  /**
   * True when a rejoin came back with `reset`: the person missed more messages than the server replays, so the chat
   * now shows the latest ones and the person should be told that some are not shown.
   */
  readonly historyTrimmed: boolean;
  /** The person's effective role in the event, from the last join (null before one): `moderator` and `admin` run it. */
  readonly role: Role | null;
  /**
   * The questions the person may see (the join ack, then `questions:updated` merged by id), in the order they were
   * asked. Their own come with them in every state.
   */
  readonly questions: readonly Question[];
  /** Ids of the questions this person asked from this page: theirs even when the author is hidden. */
  readonly askedIds: readonly string[];
  /** Slow mode, pre-moderation and the pinned announcement (join ack, then `room:settings`); null before a join. */
  readonly settings: RoomSettings | null;
  /** The polls the person may see (join ack, then `polls:updated` merged by id), oldest first. */
  readonly polls: readonly Poll[];
  /**
   * The person's own timeout while it lasts (join ack, then `moderation:sanctioned`; cleared when it ends), else null.
   * After a ban (phase `denied`, error reason `banned`) it holds the ban, for its reason.
   */
  readonly sanction: Sanction | null;
  /** Speakers, moderators, admins: the moderators' notes, oldest first (join ack, then `backstage:note`). */
  readonly backstage: readonly BackstageNote[];
  /** Moderators and admins: word filter, held messages, sanctions (join ack, then `moderation:state`); else null. */
  readonly staff: StaffRoomState | null;
  /**
   * The last `reactions:burst` with a sequence number that grows with each, so a view can animate each burst once;
   * null before the first.
   */
  readonly reactions: { readonly seq: number; readonly counts: Partial<Record<Reaction, number>> } | null;
  /**
   * The live captions held (the join ack's newest, then `captions:cue` merged by id: a correction or an end replaces
   * the cue), ordered by `startAt`. The player places them on the viewer's own clock.
   */
  readonly captions: readonly CaptionCue[];
}

/** Client → server requests that {@link EventRoom.request} may send for the room's event. */
export type RoomRequestName = Exclude<keyof ClientToServerEvents, 'event:join' | 'event:leave'>;

/** Polls a broadcast changed, in the shape of `polls:updated`. */
type PollsUpdate = Parameters<ServerToClientEvents['polls:updated']>[0];

/** Cues kept per language: enough for the player's buffer and a long pause; older ones are in the replay's VTT. */
const CAPTIONS_KEPT = 300;

const POLL_STATE_ORDER: Record<PollState, number> = { draft: 0, open: 1, closed: 2 };

/**
 * Whether `incoming` may replace `held`, two copies of one poll: it is not behind it. Several server processes
 * broadcast a poll's changes, so copies can arrive out of order, and a late one must not roll the poll back. A later state (draft < open
 * < closed) wins; in the same state, a copy with fewer voters is stale. Votes are never taken back, so the voter count
 * only grows while a poll is open. A null count is unknown (results hidden from this person): in the same state a
 * known count replaces it, and it never replaces a known one, so results once shown do not blink out.
 */
function isNotBehind(incoming: Poll, held: Poll): boolean {
  const order = POLL_STATE_ORDER[incoming.state] - POLL_STATE_ORDER[held.state];
  if (order !== 0) return order > 0;
  if (incoming.voters === null) return held.voters === null;
  return held.voters === null || incoming.voters >= held.voters;
}

/** Errors after which joining again cannot help until something changes (a new connection, a new token). */
const FINAL_JOIN_ERRORS = new Set<string>(['FORBIDDEN', 'NOT_FOUND', 'INVALID_PAYLOAD', 'UNAUTHENTICATED']);
const MAX_RETRY_DELAY_MS = 15_000;
/** How long a message typed before the room is (re)joined waits for the join before failing as UNAVAILABLE. */
const SEND_WAIT_FOR_JOIN_MS = 8_000;
/**
 * Offsets of an event have no holes, so a hole means a broadcast was lost (a server process died between storing a
 * message and relaying it) or is still on its way through another process. Wait this long for it, then rejoin with
 * `since` to fetch it.
 */
const GAP_WAIT_MS = 1_000;

export interface EventRoomOptions {
  /** First delay before joining again after a transient error; doubles up to 15 s. */
  retryDelayMs?: number;
  /** What the room's waits (a retry, a missing message, the end of a timeout) are timed by: the system's by default. */
  clock?: Clock;
}

/**
 * One person's presence in the live room of one event, over the realtime connection: joins, keeps the chat in a
 * {@link ChatLog}, follows viewers and event updates, and rejoins with `since` after every reconnection so nothing is
 * lost or doubled. Free of DOM and Lit so it can be tested with a fake transport; `EventRoomController` binds it to an
 * element.
 */
export class EventRoom {
  readonly eventId: string;
  readonly #transport: RealtimeTransport;
  readonly #log = new ChatLog();
  readonly #listeners = new Set<(state: RoomState) => void>();
  readonly #retryBase: number;
  readonly #clock: Clock;
  #unsubscribe: Array<() => void> = [];
  #state: RoomState;
  #open = false;
  /** True between a successful join ack and the next disconnection: broadcasts can be merged directly. */
  #inRoom = false;
  /** Whether a join ever succeeded: rejoins then ask only for what was missed. */
  #hasJoined = false;
  /** Broadcasts received while a join is in flight; merged after its ack. */
  #pending: ChatMessage[] = [];
  #joinSeq = 0;
  /** Every offset up to this one is held (or scrolled out of memory): what to rejoin with. */
  #syncedOffset = 0;
  /** Each timer field holds the function that cancels it, while it is set. */
  #gapTimer: (() => void) | undefined;
  #retryDelay: number;
  #retryTimer: (() => void) | undefined;
  #joinWaiters = new Set<() => void>();
  readonly #questions = new Map<string, Question>();
  /** `questions:updated` received while a join is in flight; applied after its ack, in order. */
  #pendingQuestions: QuestionsUpdate[] = [];
  readonly #polls = new Map<string, Poll>();
  /**
   * Ids of polls deleted (drafts) since this page opened: a copy sent before the deletion by another server process
   * may arrive after it, and must not bring the poll back. Poll ids are never reused.
   */
  readonly #deletedPolls = new Set<string>();
  /**
   * The other room broadcasts (settings, polls, deletions, sanctions, staff state, backstage notes) received while a
   * join is in flight: the ack replaces what they change, so they are applied after it, in order.
   */
  #pendingRoom: Array<() => void> = [];
  /** Banned from the event: the room stays out, whatever the connection does. */
  #banned = false;
  #sanctionTimer: (() => void) | undefined;
  readonly #captions = new Map<string, CaptionCue>();

  constructor(transport: RealtimeTransport, eventId: string, options: EventRoomOptions = {}) {
    this.#transport = transport;
    this.eventId = eventId;
    this.#retryBase = options.retryDelayMs ?? 1_000;
    this.#clock = options.clock ?? systemClock;
    this.#retryDelay = this.#retryBase;
    this.#state = {
      eventId,
      phase: 'joining',
      connection: transport.status,
      event: null,
      messages: [],
      viewers: null,
      error: null,
      historyTrimmed: false,
      role: null,
      questions: [],
      askedIds: [],
      settings: null,
      polls: [],
      sanction: null,
      backstage: [],
      staff: null,
      reactions: null,
      captions: [],
    };
  }

  get state(): RoomState {
    return this.#state;
  }

  /**
   * The offset to rejoin with: the end of the unbroken run of offsets held. One's own acked message past a hole does
   * not move it: the broadcasts before it may still be on their way, and a rejoin from its offset would skip them.
   */
  get lastOffset(): number {
    return this.#syncedOffset;
  }

  subscribe(listener: (state: RoomState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  open(): void {
    if (this.#open) return;
    this.#open = true;
    const t = this.#transport;
    this.#unsubscribe = [
      t.onStatus((status) => this.#onStatus(status)),
      t.on('chat:messages', ({ eventId, messages }) => {
        if (eventId !== this.eventId) return;
        if (!this.#inRoom) {
          this.#pending.push(...messages);
          return;
        }
        this.#mergeMessages(messages);
        this.#advance();
      }),
      t.on('questions:updated', (update) => {
        if (update.eventId !== this.eventId) return;
        if (!this.#inRoom) {
          this.#pendingQuestions.push(update);
          return;
        }
        this.#applyQuestions(update);
      }),
      t.on('chat:deleted', ({ eventId, messageIds }) => {
        if (eventId === this.eventId) this.#whenInRoom(() => this.#deleteMessages(messageIds));
      }),
      t.on('room:settings', ({ eventId, settings }) => {
        if (eventId === this.eventId) this.#whenInRoom(() => this.#update({ settings }));
      }),
      t.on('polls:updated', (update) => {
        if (update.eventId === this.eventId) this.#whenInRoom(() => this.#applyPolls(update));
      }),
      t.on('moderation:state', ({ eventId, staff }) => {
        if (eventId === this.eventId) this.#whenInRoom(() => this.#update({ staff }));
      }),
      t.on('moderation:sanctioned', ({ eventId, sanction }) => {
        if (eventId !== this.eventId) return;
        // A ban is final and the disconnection follows at once: no join ack could make it stale, so it applies now.
        if (sanction?.kind === 'ban') this.#applyBan(sanction);
        else this.#whenInRoom(() => this.#applySanction(sanction));
      }),
      t.on('backstage:note', ({ note }) => {
        if (note.eventId === this.eventId) this.#whenInRoom(() => this.#appendNotes([note]));
      }),
      t.on('reactions:burst', ({ eventId, counts }) => {
        // Passing applause: nothing in a join ack replaces it, so it is shown at once, never held back.
        if (eventId !== this.eventId) return;
        this.#update({ reactions: { seq: (this.#state.reactions?.seq ?? 0) + 1, counts } });
      }),
      t.on('captions:cue', ({ eventId, cue }) => {
        if (eventId === this.eventId) this.#whenInRoom(() => this.#applyCaptions([cue]));
      }),
      t.on('presence:viewers', ({ eventId, viewers }) => {
        if (eventId === this.eventId) this.#update({ viewers });
      }),
      t.on('event:updated', ({ event }) => {
        if (event.id === this.eventId) this.#update({ event });
      }),
    ];
    this.#update({ connection: t.status });
    t.ensureConnected();
    if (t.status === 'connected') void this.#join();
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#retryTimer?.();
    this.#gapTimer?.();
    this.#sanctionTimer?.();
    this.#gapTimer = undefined;
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#inRoom) void this.#transport.request('event:leave', { eventId: this.eventId });
    this.#inRoom = false;
    this.#pending = [];
    this.#pendingQuestions = [];
    this.#pendingRoom = [];
    this.#joinSeq++;
    this.#releaseJoinWaiters();
  }

  #waitForJoin(timeoutMs: number): Promise<void> {
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        cancel();
        this.#joinWaiters.delete(done);
        resolve();
      };
      const cancel = this.#clock.after(timeoutMs, done);
      this.#joinWaiters.add(done);
    });
  }

  #releaseJoinWaiters(): void {
    for (const done of [...this.#joinWaiters]) done();
  }

  /**
   * Sends a chat message. `clientId` is the idempotency key: reuse it when retrying the same message. On success the
   * message is in `state.messages` right away; the broadcast copy that follows is recognised and dropped. When the
   * word filter held it, the ack says `held` and nothing is shown: it reaches the log only if a moderator approves it.
   */
  async sendChat(text: string, clientId: string): Promise<Ack<ChatSendResult>> {
    // Sent right after signing in (the connection renews) or while reconnecting: #ready waits for the room rather
    // than fail, so the message lands after the history it answers.
    const ready = await this.#ready();
    if (!ready.ok) return ready;
    const ack = this.#noteRefusal(await this.#transport.request('chat:send', { eventId: this.eventId, text, clientId }));
    if (ack.ok && 'message' in ack.data && this.#open) {
      this.#mergeMessages([ack.data.message]);
      this.#advance();
    }
    return ack;
  }

  /**
   * Asks a question. `clientId` is the idempotency key: reuse it when retrying the same question. On success the
   * question is in `state.questions` at once, whatever its state: the asker always sees their own. `origin: 'room'`
   * marks a question asked in the auditorium (the phone page).
   */
  async askQuestion(text: string, anonymous: boolean, clientId: string, origin?: 'room'): Promise<Ack<{ question: Question }>> {
    const ready = await this.#ready();
    if (!ready.ok) return ready;
    const ack = this.#noteRefusal(
      await this.#transport.request('question:ask', { eventId: this.eventId, text, anonymous, clientId, ...(origin && { origin }) }),
    );
    if (ack.ok && this.#open) {
      const { id } = ack.data.question;
      const askedIds = this.#state.askedIds.includes(id) ? this.#state.askedIds : [...this.#state.askedIds, id];
      this.#applyQuestions({ eventId: this.eventId, questions: [ack.data.question] }, { askedIds });
    }
    return ack;
  }

  /** Upvotes a question (`up`), or withdraws the vote; the ack's copy, with `voted`, replaces the one held. */
  async vote(questionId: string, up: boolean): Promise<Ack<{ question: Question }>> {
    const ready = await this.#ready();
    if (!ready.ok) return ready;
    const ack = await this.#transport.request('question:vote', { eventId: this.eventId, questionId, up });
    if (ack.ok && this.#open) this.#applyQuestions({ eventId: this.eventId, questions: [ack.data.question] });
    return ack;
  }

  /**
   * Sends any other request of the room (moderation, polls, reactions) once the room is joined, and answers its ack.
   * What the request changes arrives as broadcasts, which update `state`.
   */
  async request<E extends RoomRequestName>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<Ack<RequestResult<E>>> {
    const ready = await this.#ready();
    if (!ready.ok) return ready;
    // The transport's types name each request; this generic passthrough cannot narrow to one.
    const send = this.#transport.request as (e: string, p: unknown) => Promise<Ack<never>>;
    return this.#noteRefusal(await send.call(this.#transport, event, payload));
  }

  /**
   * Votes in a poll: one option, or several when the poll is `multiple`. The ack's copy of the poll, with `myChoice`,
   * replaces the one held, so the person's choice shows at once (and the results, when they are visible).
   */
  async votePoll(pollId: string, optionIds: readonly string[]): Promise<Ack<{ poll: Poll }>> {
    const ack = await this.request('poll:vote', { eventId: this.eventId, pollId, optionIds: [...optionIds] });
    if (ack.ok && this.#open) this.#applyPolls({ eventId: this.eventId, polls: [ack.data.poll] });
    return ack;
  }

  /** Sends one reaction; it comes back, summed with everyone's, in a later `reactions:burst`. */
  react(reaction: Reaction): Promise<Ack<Record<string, never>>> {
    return this.request('reaction:send', { eventId: this.eventId, reaction });
  }

  /** A refusal because the person was banned meanwhile (the broadcast may have been lost) puts the room out too. */
  #noteRefusal<T>(ack: Ack<T>): Ack<T> {
    if (!ack.ok && ack.error.reason === 'banned' && this.#open) this.#applyBan(null);
    return ack;
  }

  /** Runs a broadcast's change now when in the room, else after the join ack in flight. */
  #whenInRoom(apply: () => void): void {
    if (this.#inRoom) apply();
    else this.#pendingRoom.push(apply);
  }

  #deleteMessages(ids: readonly string[]): void {
    // The deleted offsets stay held (as tombstones): no hole opens, so no rejoin is triggered.
    if (this.#log.remove(ids)) this.#update({ messages: this.#log.messages });
  }

  /**
   * Merges changed polls by id, keeping the copy that is further along (see {@link isNotBehind}) and the last known
   * `myChoice` when a copy leaves it out (broadcasts do).
   */
  #applyPolls(update: PollsUpdate): void {
    this.#mergePolls(update);
    this.#update({ polls: this.#sortedPolls() });
  }

  #mergePolls(update: PollsUpdate): void {
    for (const id of update.removed ?? []) this.#deletedPolls.add(id);
    for (const poll of update.polls) {
      if (this.#deletedPolls.has(poll.id)) continue;
      const held = this.#polls.get(poll.id);
      const kept = held && !isNotBehind(poll, held) ? held : poll;
      // A stale copy can still bring news of the person's own vote (a vote ack read before a later broadcast).
      const myChoice = poll.myChoice ?? held?.myChoice;
      this.#polls.set(poll.id, myChoice === undefined || kept.myChoice === myChoice ? kept : { ...kept, myChoice });
    }
    for (const id of update.removed ?? []) this.#polls.delete(id);
  }

  #sortedPolls(): Poll[] {
    return [...this.#polls.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  #applyCaptions(cues: readonly CaptionCue[]): void {
    this.#mergeCaptions(cues);
    this.#update({ captions: this.#sortedCaptions() });
  }

  #mergeCaptions(cues: readonly CaptionCue[]): void {
    for (const cue of cues) this.#captions.set(cue.id, cue);
  }

  /** By `startAt`, keeping the newest {@link CAPTIONS_KEPT} of each language. */
  #sortedCaptions(): CaptionCue[] {
    const sorted = [...this.#captions.values()].sort((a, b) => a.startAt.localeCompare(b.startAt) || a.seq - b.seq);
    const perLang = new Map<string, number>();
    const kept: CaptionCue[] = [];
    for (let i = sorted.length - 1; i >= 0; i--) {
      const cue = sorted[i]!;
      const count = (perLang.get(cue.lang) ?? 0) + 1;
      perLang.set(cue.lang, count);
      if (count <= CAPTIONS_KEPT) kept.push(cue);
      else this.#captions.delete(cue.id);
    }
    return kept.reverse();
  }

  #appendNotes(notes: readonly BackstageNote[]): void {
    const held = new Set(this.#state.backstage.map((n) => n.id));
    const fresh = notes.filter((n) => !held.has(n.id));
    if (fresh.length > 0) this.#update({ backstage: [...this.#state.backstage, ...fresh] });
  }

  /** A timeout (shown until it ends), or null when it was lifted. */
  #applySanction(sanction: Sanction | null): void {
    this.#sanctionTimer?.();
    this.#sanctionTimer = undefined;
    if (sanction?.kind === 'ban') {
      this.#applyBan(sanction);
      return;
    }
    const left = sanction?.until ? Date.parse(sanction.until) - this.#clock.now() : 0;
    if (!sanction || left <= 0) {
      if (this.#state.sanction !== null) this.#update({ sanction: null });
      return;
    }
    this.#update({ sanction });
    this.#sanctionTimer = this.#clock.after(left, () => {
      this.#sanctionTimer = undefined;
      if (this.#state.sanction === sanction) this.#update({ sanction: null });
    });
  }

  /** Out of the event for good: no more broadcasts, no rejoin on the next connection. */
  #applyBan(sanction: Sanction | null): void {
    if (!this.#open) return;
    this.#banned = true;
    this.#inRoom = false;
    this.#joinSeq++;
    this.#retryTimer?.();
    this.#gapTimer?.();
    this.#sanctionTimer?.();
    this.#gapTimer = undefined;
    this.#sanctionTimer = undefined;
    this.#pending = [];
    this.#pendingQuestions = [];
    this.#pendingRoom = [];
    this.#update({
      phase: 'denied',
      error: { code: 'FORBIDDEN', message: 'You were banned from this event', reason: 'banned' },
      role: null,
      sanction: sanction ?? this.#state.sanction,
    });
    this.#releaseJoinWaiters();
  }

  async #ready(): Promise<{ ok: true } | { ok: false; error: ErrorBody }> {
    if (this.#state.phase === 'denied' && this.#state.error) return { ok: false, error: this.#state.error };
    if (!this.#inRoom) await this.#waitForJoin(SEND_WAIT_FOR_JOIN_MS);
    if (this.#state.phase === 'denied' && this.#state.error) return { ok: false, error: this.#state.error };
    if (!this.#inRoom) return { ok: false, error: { code: 'UNAVAILABLE', message: 'not in the room' } };
    return { ok: true };
  }

  /** Merges changed questions by id, keeping the last known `voted` when a copy leaves it out (broadcasts do). */
  #applyQuestions(update: QuestionsUpdate, extra: Partial<RoomState> = {}): void {
    this.#mergeQuestions(update);
    this.#update({ ...extra, questions: this.#sortedQuestions() });
  }

  #mergeQuestions(update: QuestionsUpdate): void {
    for (const question of update.questions) {
      const voted = question.voted ?? this.#questions.get(question.id)?.voted;
      this.#questions.set(question.id, voted === undefined ? question : { ...question, voted });
    }
    for (const id of update.removed ?? []) this.#questions.delete(id);
  }

  #sortedQuestions(): Question[] {
    return [...this.#questions.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  #onStatus(status: ConnectionStatus): void {
    if (this.#banned) {
      this.#update({ connection: status });
      return;
    }
    if (status !== 'connected') {
      // The server forgets our room membership with the connection; broadcasts wait for the rejoin from now on.
      this.#inRoom = false;
      this.#joinSeq++;
      this.#retryTimer?.();
      this.#update({ connection: status });
      return;
    }
    this.#update({ connection: status });
    this.#retryDelay = this.#retryBase;
    void this.#join();
  }

  async #join(): Promise<void> {
    if (!this.#open || this.#banned) return;
    this.#retryTimer?.();
    const seq = ++this.#joinSeq;
    this.#inRoom = false;
    this.#pending = [];
    this.#pendingQuestions = [];
    this.#pendingRoom = [];
    const since = this.#hasJoined ? this.#syncedOffset : undefined;
    const ack = await this.#transport.request('event:join', since === undefined ? { eventId: this.eventId } : { eventId: this.eventId, since });
    if (seq !== this.#joinSeq || !this.#open) return;
    if (ack.ok) {
      this.#applyJoin(ack.data);
      return;
    }
    if (FINAL_JOIN_ERRORS.has(ack.error.code)) {
      this.#pending = [];
      this.#pendingQuestions = [];
      this.#pendingRoom = [];
      if (ack.error.reason === 'banned') this.#banned = true;
      this.#update({ phase: 'denied', error: ack.error, role: null });
      this.#releaseJoinWaiters();
      return;
    }
    // Transient (UNAVAILABLE, RATE_LIMITED, INTERNAL, a timeout): try again while the connection lasts.
    const delay = ack.error.retryAfterMs ?? this.#retryDelay;
    this.#retryDelay = Math.min(this.#retryDelay * 2, MAX_RETRY_DELAY_MS);
    if (!this.#hasJoined) this.#update({ error: ack.error });
    this.#retryTimer = this.#clock.after(delay, () => {
      if (seq === this.#joinSeq && this.#transport.status === 'connected') void this.#join();
    });
  }

  #applyJoin(result: JoinResult): void {
    const { chat } = result;
    const trimmed = chat.reset && this.#hasJoined && chat.lastOffset >= this.#syncedOffset;
    // A lastOffset below ours means the event's chat started over on the server (a reset demo): start over too.
    // The ack holds everything up to its lastOffset: the latest history on a reset, else all that came after `since`.
    if (chat.reset || chat.lastOffset < this.#syncedOffset) {
      this.#log.replace(chat.messages, chat.lastOffset);
      this.#syncedOffset = chat.lastOffset;
    } else {
      this.#log.merge(chat.messages);
      this.#log.noteOffset(chat.lastOffset);
      this.#syncedOffset = Math.max(this.#syncedOffset, chat.lastOffset);
    }
    this.#log.merge(this.#pending);
    this.#pending = [];
    // The ack is what the person may see now: it replaces what was held (questions hidden meanwhile go away).
    this.#questions.clear();
    for (const question of result.questions ?? []) this.#questions.set(question.id, question);
    const updates = this.#pendingQuestions;
    this.#pendingQuestions = [];
    for (const update of updates) this.#mergeQuestions(update);
    this.#polls.clear();
    for (const poll of result.polls ?? []) if (!this.#deletedPolls.has(poll.id)) this.#polls.set(poll.id, poll);
    // Cues already held stay (a rejoin's ack carries only the newest): the ack's copies are as new as any.
    this.#mergeCaptions(result.captions ?? []);
    this.#inRoom = true;
    this.#hasJoined = true;
    this.#retryDelay = this.#retryBase;
    this.#update({
      phase: 'joined',
      error: null,
      historyTrimmed: trimmed || (this.#state.historyTrimmed && !chat.reset),
      event: result.event,
      viewers: result.viewers,
      messages: this.#log.messages,
      // An older server leaves it out: nobody gets the tools rather than everybody.
      role: result.role ?? null,
      questions: this.#sortedQuestions(),
      settings: result.settings ?? null,
      polls: this.#sortedPolls(),
      backstage: result.backstage ?? [],
      staff: result.staff ?? null,
      captions: this.#sortedCaptions(),
    });
    this.#applySanction(result.sanction ?? null);
    // What changed while the ack travelled, in the order it happened.
    const changes = this.#pendingRoom;
    this.#pendingRoom = [];
    for (const apply of changes) apply();
    this.#releaseJoinWaiters();
    this.#advance();
  }

  /** Moves the synced offset over the messages now held, and watches for a hole after it. */
  #advance(): void {
    while (this.#log.has(this.#syncedOffset + 1)) this.#syncedOffset++;
    if (this.#log.lastOffset <= this.#syncedOffset || this.#gapTimer !== undefined) return;
    this.#gapTimer = this.#clock.after(GAP_WAIT_MS, () => {
      this.#gapTimer = undefined;
      if (this.#inRoom && this.#log.lastOffset > this.#syncedOffset) void this.#join();
    });
  }

  #mergeMessages(messages: readonly ChatMessage[]): void {
    if (this.#log.merge(messages)) this.#update({ messages: this.#log.messages });
  }

  #update(patch: Partial<RoomState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener(this.#state);
  }
}
