import type { Account } from '#shared/domain/account';
import { describe, expect, it } from 'vitest';
import { guardRoute } from './route-guard';
import { matchRoute } from './routes';
import type { Session } from './session-store';

const account = (isAdmin: boolean): Account => ({
  id: 's1',
  email: isAdmin ? 'camille@bibliotheque.example' : null,
  displayName: 'Camille',
  isAdmin,
  createdAt: '2026-11-01T09:00:00.000Z',
});
const admin: Session = { kind: 'staff', token: 't', user: { id: 's1', displayName: 'Camille', role: 'admin' }, account: account(true) };
const moderator: Session = { kind: 'staff', token: 't', user: { id: 's1', displayName: 'Camille', role: 'staff' }, account: account(false) };
const guest: Session = { kind: 'guest', token: 't', user: { id: 'g1', displayName: 'Ada', role: 'guest' } };

const guard = (href: string, session: Session | null) => {
  const url = new URL(href, 'http://parvis.test');
  return guardRoute(matchRoute(url), session, url);
};

describe('guardRoute', () => {
  it('sends someone not signed in from an admin page to the sign-in, to come back after', () => {
    expect(guard('/admin/events/rencontre-bd', null)).toEqual({
      action: 'redirect',
      href: '/admin/login?next=%2Fadmin%2Fevents%2Frencontre-bd',
    });
    expect(guard('/admin', guest)).toEqual({ action: 'redirect', href: '/admin/login?next=%2Fadmin' });
  });

  it('tells staff who are not admins that the admin pages are for admins', () => {
    expect(guard('/admin', moderator)).toEqual({ action: 'forbidden' });
    expect(guard('/admin/audit', moderator)).toEqual({ action: 'forbidden' });
  });

  it('shows the admin pages to admins', () => {
    for (const href of ['/admin', '/admin/events/new', '/admin/events/x', '/admin/audit']) {
      expect(guard(href, admin)).toEqual({ action: 'show' });
    }
  });

  it('sends an admin who opens the sign-in page on to where it leads', () => {
    expect(guard('/admin/login?next=%2Fadmin%2Faudit', admin)).toEqual({ action: 'redirect', href: '/admin/audit' });
    expect(guard('/admin/login?next=https%3A%2F%2Fevil.example', admin)).toEqual({ action: 'redirect', href: '/admin' });
    expect(guard('/admin/login', moderator)).toEqual({ action: 'show' });
  });

  it('shows the public pages to everyone', () => {
    for (const session of [null, guest, moderator, admin]) {
      expect(guard('/', session)).toEqual({ action: 'show' });
      expect(guard('/events/x', session)).toEqual({ action: 'show' });
      expect(guard('/invite', session)).toEqual({ action: 'show' });
    }
  });
});
