import { ROOM_REFUSALS, type RoomRefusal } from '#shared/domain/room';
import { ApiError } from '../../app/api-client';
import type { Translator } from '../../i18n/i18n';

/** Why the server refused the room, when its error body says so in words the page knows (`reason` in ROOM_REFUSALS). */
export function roomRefusal(error: unknown): RoomRefusal | null {
  if (!(error instanceof ApiError)) return null;
  const reason = error.reason as string | undefined;
  return reason !== undefined && (ROOM_REFUSALS as readonly string[]).includes(reason) ? (reason as RoomRefusal) : null;
}

/**
 * The room page's words for a refusal: a heading and a sentence. `opensAt`, for `too-early`, is when the room opens
 * (now plus the server's `retryAfterMs`), written in the person's time.
 */
export function refusalText(i18n: Translator, reason: RoomRefusal, opensAt?: number): { title: string; body: string } {
  const { t } = i18n;
  switch (reason) {
    case 'too-early':
      return {
        title: t('rooms.refused.too-early.title'),
        body: t('rooms.refused.too-early.body', { time: opensAt === undefined ? '—' : i18n.time(new Date(opensAt).toISOString()) }),
      };
    case 'not-registered':
    case 'waitlisted':
    case 'room-ended':
    case 'not-a-room':
    case 'by-phone':
    case 'rooms-unavailable':
      return { title: t(`rooms.refused.${reason}.title`), body: t(`rooms.refused.${reason}.body`) };
    case 'removed':
      // The host took this person out earlier: coming back says the same as being taken out.
      return { title: t('rooms.removed.title'), body: t('rooms.removed.body') };
  }
}
