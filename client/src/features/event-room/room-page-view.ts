import type { Event } from '#shared/domain/event';
import type { RoomState } from './event-room';

/**
 * What a page built on one event's live room shows (the stage view, the caption desk, the auditorium's phone page and
 * display): the room while it joins, a refusal told apart from an unknown event and from a failure, or the room itself.
 */
export type RoomPageView =
  | { kind: 'loading'; retrying: boolean }
  | { kind: 'not-found' }
  | { kind: 'refused' }
  | { kind: 'error' }
  | { kind: 'ready'; state: RoomState; event: Event };

/**
 * The view of `state`. `mayUse` says whether the role the room gave this person opens the page (the stage and the
 * caption desk are for staff): a person the room admits but the page does not is `refused`, like one the room refused.
 */
export function roomPageView(state: RoomState | null | undefined, mayUse: (role: RoomState['role']) => boolean = () => true): RoomPageView {
  if (!state) return { kind: 'loading', retrying: false };
  if (state.phase === 'denied') {
    const code = state.error?.code;
    if (code === 'NOT_FOUND') return { kind: 'not-found' };
    if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') return { kind: 'refused' };
    return { kind: 'error' };
  }
  if (state.phase === 'joining' || !state.event) {
    return { kind: 'loading', retrying: state.error !== null || state.connection === 'reconnecting' };
  }
  if (!mayUse(state.role)) return { kind: 'refused' };
  return { kind: 'ready', state, event: state.event };
}
