import { describe, expect, it } from 'vitest';
import type { RoomState } from './event-room';
import { roomPageView } from './room-page-view';

const event = { id: 'e1', title: 'Talk' };
const room = (patch: Partial<RoomState>): RoomState =>
  ({ phase: 'joined', event, error: null, connection: 'connected', role: 'guest', ...patch }) as unknown as RoomState;

describe('the view of a page built on a live room', () => {
  it('waits while the room joins, and says so when it is trying again', () => {
    expect(roomPageView(null)).toEqual({ kind: 'loading', retrying: false });
    expect(roomPageView(room({ phase: 'joining', event: null }))).toEqual({ kind: 'loading', retrying: false });
    expect(roomPageView(room({ phase: 'joining', event: null, connection: 'reconnecting' } as Partial<RoomState>))).toEqual({
      kind: 'loading',
      retrying: true,
    });
  });

  it('tells an unknown event, a refusal and a failure apart', () => {
    const denied = (code: string) => room({ phase: 'denied', error: { code, message: '' } } as Partial<RoomState>);
    expect(roomPageView(denied('NOT_FOUND')).kind).toBe('not-found');
    expect(roomPageView(denied('FORBIDDEN')).kind).toBe('refused');
    expect(roomPageView(denied('UNAUTHENTICATED')).kind).toBe('refused');
    expect(roomPageView(denied('UNAVAILABLE')).kind).toBe('error');
  });

  it('refuses a person the room admits but the page is not for, and shows the room to the others', () => {
    const staffOnly = (role: RoomState['role']) => role === 'moderator';
    expect(roomPageView(room({ role: 'guest' }), staffOnly).kind).toBe('refused');
    expect(roomPageView(room({ role: 'moderator' }), staffOnly)).toMatchObject({ kind: 'ready', event });
  });
});
