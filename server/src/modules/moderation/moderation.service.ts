import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '#shared/domain/chat';
import type { Event } from '#shared/domain/event';
import type { BackstageNote, HeldMessage, RoomSettings, Sanction, StaffRoomState } from '#shared/domain/moderation';
import { isEventStaff, isRoomStaff } from '#shared/domain/staff';
import type { Role, User } from '#shared/domain/user';
import type { JoinResult } from '#shared/protocol/events';
import { ErrorCode } from '#shared/protocol/errors';
import type { RoomConfigurePayload, SanctionPayload } from '#shared/protocol/payloads';
import type { NewHeldMessage, PriorSend, RoomSettingsPatch, StoredRoomSettings } from '../../store/moderation-store';
import type { Store } from '../../store/store';
import type { AccessPolicy } from '../access/policy';
import { AuditAction, type AuditLog } from '../../core/audit';
import { DomainError } from '../../core/errors';
import { cleanWordFilter } from './word-filter';

/** What the moderation module adds to a join ack. */
export type ModerationJoinState = Pick<JoinResult, 'settings' | 'sanction' | 'backstage' | 'staff'>;

/** How many backstage notes a join ack carries (the newest). */
export const BACKSTAGE_HISTORY_LIMIT = 100;

/** Kinds of event whose questions wait for a moderator, until a moderator sets pre-moderation for the event. */
const PRE_MODERATED_KINDS = new Set<Event['kind']>(['lecture', 'cine_conference']);

/** Where the moderation module's news goes; the socket implementation is `socketModerationNotifier`. */
export interface ModerationNotifier {
  /** `chat:deleted` to the event's room. */
  chatDeleted(eventId: string, messageIds: string[]): void;
  /** `room:settings` to the event's room. */
  roomSettings(eventId: string, settings: RoomSettings): void;
  /** `moderation:state` to the event's staff room. */
  staffState(eventId: string, staff: StaffRoomState): void;
  /** `moderation:sanctioned` to every socket of the person. */
  sanctioned(userId: string, eventId: string, sanction: Sanction | null): void;
  /** Disconnects every socket of the person, on every process. */
  dropSockets(userId: string): void;
  /** `backstage:note` to the event's backstage room. */
  backstageNote(note: BackstageNote): void;
}

const silent: ModerationNotifier = {
  chatDeleted: () => {},
  roomSettings: () => {},
  staffState: () => {},
  sanctioned: () => {},
  dropSockets: () => {},
  backstageNote: () => {},
};

export interface ModerationServiceDeps {
  store: Store;
  policy: AccessPolicy;
  audit: AuditLog;
  notifier?: ModerationNotifier;
  /** Broadcasts an approved held message like any other chat message (the chat fanout). */
  publishChat?: (message: ChatMessage) => void;
  now?: () => Date;
}

function banned(): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, 'You have been banned from this event', undefined, 'banned');
}

/** Chat moderation, room settings, sanctions and the backstage channel (issue 5). */
export class ModerationService {
  private readonly notify: ModerationNotifier;
  private readonly now: () => Date;

  constructor(private readonly deps: ModerationServiceDeps) {
    this.notify = deps.notifier ?? silent;
    this.now = deps.now ?? (() => new Date());
  }

  private get store() {
    return this.deps.store.moderation;
  }

  /**
   * Throws FORBIDDEN (reason `banned`) when this person is banned from the event. For the other modules' requests
   * (polls, reactions) that do not go through a join.
   */
  async assertNotBanned(user: User | null, eventId: string): Promise<void> {
    if (!user) return;
    const sanction = await this.store.sanctionOf(eventId, user.id, this.now().getTime());
    if (sanction?.kind === 'ban') throw banned();
  }

  /**
   * For chat messages, questions and votes: refuses a banned person (FORBIDDEN, `banned`) and a timed-out one
   * (FORBIDDEN, `timed-out`, with `retryAfterMs` until the timeout ends). Moderators and admins pass.
   */
  async assertMayTakePart(user: User, role: Role, eventId: string): Promise<void> {
    if (isRoomStaff(role)) return;
    const now = this.now().getTime();
    const sanction = await this.store.sanctionOf(eventId, user.id, now);
    if (!sanction) return;
    if (sanction.kind === 'ban') throw banned();
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      'A moderator has timed you out: you cannot write for a while',
      Math.max(1, Date.parse(sanction.until!) - now),
      'timed-out',
    );
  }

  /**
   * What a person joining gets from this module; throws FORBIDDEN (reason `banned`) when they are banned from the
   * event.
   */
  async joinState(user: User | null, role: Role, event: Event): Promise<ModerationJoinState> {
    const staff = isRoomStaff(role);
    const [sanction, stored, backstage, staffState] = await Promise.all([
      user && !staff ? this.store.sanctionOf(event.id, user.id, this.now().getTime()) : undefined,
      this.store.getSettings(event.id),
      isEventStaff(role) ? this.store.listBackstageNotes(event.id, BACKSTAGE_HISTORY_LIMIT) : undefined,
      staff ? this.staffState(event.id) : undefined,
    ]);
    if (sanction?.kind === 'ban') throw banned();
    const state: ModerationJoinState = { settings: effectiveSettings(event, stored), sanction: sanction ?? null };
    if (backstage) state.backstage = backstage;
    if (staffState) state.staff = staffState;
    return state;
  }

  /** The room's settings as everyone sees them. */
  async settingsOf(event: Event): Promise<RoomSettings> {
    return effectiveSettings(event, await this.store.getSettings(event.id));
  }

  /** The rules a chat message must pass: slow mode and the word filter. */
  async chatRules(eventId: string): Promise<Pick<StoredRoomSettings, 'slowModeSeconds' | 'wordFilter'>> {
    const { slowModeSeconds, wordFilter } = await this.store.getSettings(eventId);
    return { slowModeSeconds, wordFilter };
  }

  /** Whether new questions of this event wait for a moderator. */
  async preModeration(event: Event): Promise<boolean> {
    return (await this.settingsOf(event)).preModeration;
  }

  /** Slow mode: RATE_LIMITED (reason `slow-mode`, `retryAfterMs`) when this person sent another message too recently. */
  async takeSlowModeTurn(eventId: string, userId: string, clientId: string, seconds: number): Promise<void> {
    if (seconds <= 0) return;
    const wait = await this.store.takeSlowModeTurn(eventId, userId, clientId, seconds * 1000, this.now().getTime());
    if (wait > 0) {
      throw new DomainError(
        ErrorCode.RATE_LIMITED,
        `Slow mode: one message every ${seconds} seconds`,
        Math.max(1, Math.ceil(wait)),
        'slow-mode',
      );
    }
  }

  /** What this author already sent with this clientId, for a retry to get the same answer. */
  findSent(eventId: string, authorId: string, clientId: string): Promise<PriorSend | undefined> {
    return this.store.findSent(eventId, authorId, clientId);
  }

  /** Keeps a message that matched the word filter for review, and tells the moderators. Stored before it returns. */
  async hold(message: NewHeldMessage): Promise<{ held: HeldMessage; created: boolean }> {
    const result = await this.store.holdMessage(message);
    if (result.created) await this.publishStaffState(message.eventId);
    return result;
  }

  /** `chat:delete`: the message becomes a tombstone for everyone. */
  async deleteMessage(user: User | null, event: Event, messageId: string): Promise<void> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const result = await this.store.deleteChatMessage(event.id, messageId);
    if (!result) throw new DomainError(ErrorCode.NOT_FOUND, 'No such message in this event');
    if (!result.changed) return;
    this.notify.chatDeleted(event.id, [messageId]);
    const { message } = result;
    await this.deps.audit.record(user!, AuditAction.CHAT_DELETE, `event:${event.id}`, {
      messageId,
      offset: message.offset,
      author: { id: message.author.id, displayName: message.author.displayName },
      text: message.text,
    });
  }

  /**
   * `chat:review`: takes a held message off the list (of two moderators, one wins; the other gets NOT_FOUND), then
   * shows it (`approve`: appended to the chat and broadcast) or drops it.
   */
  async review(user: User | null, event: Event, heldId: string, approve: boolean): Promise<{ message?: ChatMessage }> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const held = await this.store.takeHeld(event.id, heldId);
    if (!held) throw new DomainError(ErrorCode.NOT_FOUND, 'No such held message: it may have been reviewed already');
    let message: ChatMessage | undefined;
    if (approve) {
      // Under the author's clientId: a retry of their send then finds the message it became.
      const appended = await this.deps.store.chat.append({
        eventId: event.id,
        author: held.author,
        text: held.text,
        clientId: held.clientId,
        sentAt: this.now().toISOString(),
      });
      message = appended.message;
      if (appended.created) this.deps.publishChat?.(message);
    }
    await this.publishStaffState(event.id);
    await this.deps.audit.record(user!, AuditAction.CHAT_REVIEW, `event:${event.id}`, {
      heldId,
      approve,
      author: { id: held.author.id, displayName: held.author.displayName },
      text: held.text,
      matched: held.matched,
      ...(message && { messageId: message.id }),
    });
    return message ? { message } : {};
  }

  /**
   * `moderation:sanction`. A timeout refuses the person's messages, questions and votes until it ends; a ban drops
   * their sockets and keeps them out of the event; `lift` ends either. Moderators and admins cannot be sanctioned.
   */
  async sanction(user: User | null, event: Event, payload: SanctionPayload): Promise<Sanction | null> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const { userId } = payload;
    const [account, role] = await Promise.all([
      this.deps.store.accounts.getAccount(userId),
      this.deps.store.accounts.roleIn(event.id, userId),
    ]);
    if (isRoomStaff(account?.isAdmin ? 'admin' : role)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Moderators and admins cannot be sanctioned');
    }
    const now = this.now();

    if (payload.action === 'lift') {
      const lifted = await this.store.removeSanction(event.id, userId, now.getTime());
      if (lifted) {
        this.notify.sanctioned(userId, event.id, null);
        await this.publishStaffState(event.id);
        await this.deps.audit.record(user!, AuditAction.SANCTION_LIFT, `event:${event.id}`, {
          userId,
          displayName: lifted.displayName,
          kind: lifted.kind,
        });
      }
      return null;
    }

    const sanction: Sanction = {
      eventId: event.id,
      userId,
      displayName: account?.displayName ?? (await this.displayNameOf(event.id, userId)),
      kind: payload.action,
      until: payload.action === 'timeout' ? new Date(now.getTime() + payload.minutes! * 60_000).toISOString() : null,
      reason: payload.reason ?? null,
      by: user!.displayName,
      at: now.toISOString(),
    };
    await this.store.putSanction(sanction);
    this.notify.sanctioned(userId, event.id, sanction);
    if (sanction.kind === 'ban') this.notify.dropSockets(userId);
    await this.publishStaffState(event.id);
    await this.deps.audit.record(
      user!,
      sanction.kind === 'ban' ? AuditAction.SANCTION_BAN : AuditAction.SANCTION_TIMEOUT,
      `event:${event.id}`,
      {
        userId,
        displayName: sanction.displayName,
        ...(payload.minutes !== undefined && sanction.kind === 'timeout' && { minutes: payload.minutes }),
        reason: sanction.reason,
      },
    );
    return sanction;
  }

  /**
   * `room:configure`: only the fields sent change. The room hears of slow mode, pre-moderation and the pinned
   * announcement (`room:settings`), the moderators of the word filter (`moderation:state`).
   */
  async configure(user: User | null, event: Event, payload: RoomConfigurePayload): Promise<{ settings: RoomSettings; wordFilter: string[] }> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const patch: RoomSettingsPatch = {};
    if (payload.slowModeSeconds !== undefined) patch.slowModeSeconds = payload.slowModeSeconds;
    if (payload.preModeration !== undefined) patch.preModeration = payload.preModeration;
    if (payload.pinned !== undefined) {
      patch.pinned = payload.pinned === null ? null : { text: payload.pinned, by: user!.displayName, at: this.now().toISOString() };
    }
    if (payload.wordFilter !== undefined) patch.wordFilter = cleanWordFilter(payload.wordFilter);

    const { before, after } = await this.store.updateSettings(event.id, patch);
    const settings = effectiveSettings(event, after);
    if (JSON.stringify(effectiveSettings(event, before)) !== JSON.stringify(settings)) {
      this.notify.roomSettings(event.id, settings);
    }
    if (JSON.stringify(before.wordFilter) !== JSON.stringify(after.wordFilter)) await this.publishStaffState(event.id);
    const { eventId: _id, ...changed } = payload;
    if (Object.keys(changed).length > 0) {
      await this.deps.audit.record(user!, AuditAction.ROOM_CONFIGURE, `event:${event.id}`, {
        ...changed,
        ...(patch.wordFilter && { wordFilter: patch.wordFilter }),
      });
    }
    return { settings, wordFilter: after.wordFilter };
  }

  /** `backstage:note`: a moderator's note to the speakers, stored, then sent to the backstage room. */
  async backstageNote(user: User | null, event: Event, text: string): Promise<BackstageNote> {
    await this.deps.policy.assertCanModerate(user, event.id);
    const note: BackstageNote = { id: randomUUID(), eventId: event.id, text, by: user!.displayName, at: this.now().toISOString() };
    await this.store.addBackstageNote(note);
    this.notify.backstageNote(note);
    await this.deps.audit.record(user!, AuditAction.BACKSTAGE_NOTE, `event:${event.id}`, { noteId: note.id, text });
    return note;
  }

  /** The word filter, the held messages and the sanctions in force: what the moderators see. */
  async staffState(eventId: string): Promise<StaffRoomState> {
    const [{ wordFilter }, held, sanctions] = await Promise.all([
      this.store.getSettings(eventId),
      this.store.listHeld(eventId),
      this.store.listSanctions(eventId, this.now().getTime()),
    ]);
    return { wordFilter, held, sanctions };
  }

  private async publishStaffState(eventId: string): Promise<void> {
    this.notify.staffState(eventId, await this.staffState(eventId));
  }

  /**
   * A guest has no account: their name is found where they wrote it (the chat, held messages, questions), or the
   * sanction they already have. Falls back to the id.
   */
  private async displayNameOf(eventId: string, userId: string): Promise<string> {
    const current = await this.store.sanctionOf(eventId, userId, 0);
    if (current) return current.displayName;
    const chat = await this.deps.store.chat.tail(eventId, 500);
    const fromChat = chat.findLast((m) => m.author.id === userId);
    if (fromChat) return fromChat.author.displayName;
    const held = (await this.store.listHeld(eventId)).find((m) => m.author.id === userId);
    if (held) return held.author.displayName;
    const question = (await this.deps.store.questions.list(eventId)).find((q) => q.author.id === userId);
    return question?.author.displayName ?? userId;
  }
}

/** Settings as everyone sees them: pre-moderation falls back to the kind of event until a moderator sets it. */
export function effectiveSettings(event: Event, stored: StoredRoomSettings): RoomSettings {
  return {
    slowModeSeconds: stored.slowModeSeconds,
    preModeration: stored.preModeration ?? PRE_MODERATED_KINDS.has(event.kind),
    pinned: stored.pinned,
  };
}
