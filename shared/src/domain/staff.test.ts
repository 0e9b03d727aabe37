import { describe, expect, it } from 'vitest';
import { Role } from './user';
import { isEventStaff, isRoomStaff } from './staff';

describe('who is staff of an event', () => {
  it('lets only moderators and admins run the room', () => {
    expect(Role.options.filter(isRoomStaff)).toEqual(['moderator', 'admin']);
  });

  it('counts speakers and captioners as staff, with those who run the room', () => {
    expect(Role.options.filter(isEventStaff)).toEqual(['speaker', 'moderator', 'admin', 'captioner']);
  });

  it('never counts a staff account without a role in this event, nor nobody', () => {
    // `staff` is a token's global role: it says nothing about this event.
    expect(isRoomStaff('staff')).toBe(false);
    expect(isEventStaff('staff')).toBe(false);
    expect(isEventStaff(null)).toBe(false);
    expect(isRoomStaff(undefined)).toBe(false);
  });
});
