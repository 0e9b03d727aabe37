import type { Event, Series } from '#shared/domain/event';
import type { AuditEntry, Invite, RoleGrant } from '#shared/domain/account';
import type { QuestionState } from '#shared/domain/question';
import type { AccountRecord, SessionRecord } from './account-store';
import type { NewChatMessage } from './chat-store';
import type { NewQuestion } from './question-store';

/*
 * Records the contract suites build their cases from. Each returns a complete record; `extra` overrides fields.
 */

export const series: Series[] = [{ id: 's1', title: 'Cycle Chili', summary: 'Documentaires' }];

export function event(id: string, startsAt: string, endsAt: string, extra: Partial<Event> = {}): Event {
  return {
    id,
    kind: 'lecture',
    title: `Event ${id}`,
    summary: '',
    startsAt,
    endsAt,
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'open',
    speakers: [],
    language: 'fr',
    ...extra,
  };
}

export const events: Event[] = [
  event('b', '2026-12-02T18:00:00.000Z', '2026-12-02T19:00:00.000Z', { kind: 'webinar', capacity: 100 }),
  event('a', '2026-12-01T18:00:00.000Z', '2026-12-01T20:00:00.000Z', {
    kind: 'cine_conference',
    seriesId: 's1',
    speakers: [{ name: 'Camila Fuentes', title: 'historienne' }],
    replayUrl: '/media/demo/master.m3u8',
    thumbnailUrl: '/media/events/a/thumbs/754.jpg',
    status: 'ended',
  }),
  event('c', '2026-12-05T09:00:00.000Z', '2026-12-05T10:30:00.000Z', { kind: 'workshop', streamUrl: 'https://x/y.m3u8' }),
];

export function chat(eventId: string, authorId: string, clientId: string, text = 'bonjour'): NewChatMessage {
  return {
    eventId,
    author: { id: authorId, displayName: authorId.toUpperCase(), role: 'guest' },
    text,
    clientId,
    sentAt: '2026-11-25T10:00:00.000Z',
  };
}

export function account(id: string, email: string | null, extra: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    email,
    displayName: `Person ${id}`,
    passwordHash: email === null ? null : `scrypt$${id}`,
    isAdmin: false,
    createdAt: '2026-11-25T09:00:00.000Z',
    ...extra,
  };
}

export function grant(eventId: string, userId: string, role: RoleGrant['role'], grantedAt = '2026-11-25T09:00:00.000Z'): RoleGrant {
  return { eventId, userId, displayName: `Person ${userId}`, role, grantedAt };
}

export function session(id: string, userId: string, extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId,
    tokenHash: `hash-${id}-0`,
    createdAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-12-25T09:00:00.000Z',
    ...extra,
  };
}

export function invite(id: string, eventId: string, extra: Partial<Invite> = {}): Invite {
  return {
    id,
    eventId,
    role: 'speaker',
    createdBy: 'admin',
    createdAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-12-02T09:00:00.000Z',
    revokedAt: null,
    usedBy: null,
    usedAt: null,
    ...extra,
  };
}

export function audit(id: string, at: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at,
    actor: { id: 'admin', displayName: 'Admin' },
    action: 'event.create',
    target: `event:${id}`,
    details: {},
    ...extra,
  };
}

export function newQuestion(eventId: string, authorId: string, clientId: string, extra: Partial<NewQuestion> = {}): NewQuestion {
  return {
    eventId,
    text: `Question de ${authorId} (${clientId})`,
    anonymous: false,
    author: { id: authorId, displayName: authorId.toUpperCase() },
    clientId,
    state: 'approved',
    createdAt: '2026-11-25T10:00:00.000Z',
    ...extra,
  };
}

export const ANY_STATE: readonly QuestionState[] = ['pending', 'approved', 'live', 'answered', 'rejected', 'merged'];

/** Whole seconds from now, as in a JWT: revocations are kept by the wall clock, whatever instants a test uses. */
export const secondsFromNow = (s: number) => Math.floor(Date.now() / 1000) + s;
