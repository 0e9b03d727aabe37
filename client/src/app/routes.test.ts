import { describe, expect, it } from 'vitest';
import {
  adminEventHref,
  adminEventFiguresHref,
  adminFiguresHref,
  adminRegistrationsHref,
  eventHref,
  isServerPath,
  loginHref,
  matchRoute,
  programmeHref,
  safeNext,
  seriesHref,
} from './routes';

const at = (path: string) => matchRoute(new URL(path, 'http://parvis.test'));

describe('matchRoute', () => {
  it('shows the programme at the root, with the kind from the query', () => {
    expect(at('/')).toEqual({ name: 'programme', kind: null });
    expect(at('/?kind=webinar')).toEqual({ name: 'programme', kind: 'webinar' });
  });

  it('shows every kind when the query names an unknown one', () => {
    expect(at('/?kind=opera')).toEqual({ name: 'programme', kind: null });
  });

  it('shows an event page for /events/:id, trailing slash or not', () => {
    expect(at('/events/rencontre-bd')).toEqual({ name: 'event', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/')).toEqual({ name: 'event', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/moderate')).toEqual({ name: 'event-moderate', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/stage/')).toEqual({ name: 'event-stage', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/ask')).toEqual({ name: 'event-ask', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/display')).toEqual({ name: 'event-display', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/room')).toEqual({ name: 'event-room', eventId: 'rencontre-bd' });
    expect(at('/events/rencontre-bd/other').name).toBe('not-found');
  });

  it('round-trips the links it builds', () => {
    expect(at(eventHref('a b/c'))).toEqual({ name: 'event', eventId: 'a b/c' });
    expect(at(programmeHref('workshop'))).toEqual({ name: 'programme', kind: 'workshop' });
    expect(at(adminEventHref('a b/c'))).toEqual({ name: 'admin-event', eventId: 'a b/c' });
    expect(at(loginHref('/admin/audit'))).toEqual({ name: 'login', next: '/admin/audit' });
    expect(at(seriesHref('atelier conversation'))).toEqual({ name: 'series', seriesId: 'atelier conversation' });
    expect(at(adminRegistrationsHref('a b/c'))).toEqual({ name: 'admin-registrations', eventId: 'a b/c' });
    expect(at(adminEventFiguresHref('a b/c'))).toEqual({ name: 'admin-event-figures', eventId: 'a b/c' });
    expect(at(adminFiguresHref)).toEqual({ name: 'admin-figures' });
  });

  it('knows the sign-up pages: a series, and the personal page whatever its fragment', () => {
    expect(at('/series/atelier-conversation')).toEqual({ name: 'series', seriesId: 'atelier-conversation' });
    expect(at('/me#eyJhbGciOi.x.y&not-me=r1')).toEqual({ name: 'me' });
    expect(at('/me/')).toEqual({ name: 'me' });
    expect(at('/admin/events/atelier--2027-01-04/registrations')).toEqual({
      name: 'admin-registrations',
      eventId: 'atelier--2027-01-04',
    });
    expect(at('/admin/outbox')).toEqual({ name: 'admin-outbox' });
  });

  it('knows the admin pages, the sign-in, the first-admin setup and the invitation', () => {
    expect(at('/admin')).toEqual({ name: 'admin-programme' });
    expect(at('/admin/')).toEqual({ name: 'admin-programme' });
    expect(at('/admin/events/new')).toEqual({ name: 'admin-event', eventId: null });
    expect(at('/admin/events/rencontre-bd')).toEqual({ name: 'admin-event', eventId: 'rencontre-bd' });
    expect(at('/admin/audit')).toEqual({ name: 'admin-audit' });
    expect(at('/admin/help-desks')).toEqual({ name: 'admin-help-desks', helpDeskId: null });
    expect(at('/admin/help-desks/aide-juridique')).toEqual({ name: 'admin-help-desks', helpDeskId: 'aide-juridique' });
    expect(at('/admin/help-desks/a/b')).toEqual({ name: 'not-found' });
    expect(at('/admin/login')).toEqual({ name: 'login', next: null });
    expect(at('/admin/setup#abc')).toEqual({ name: 'setup' });
    expect(at('/invite#abc')).toEqual({ name: 'invite' });
  });

  it('answers not-found for anything else', () => {
    expect(at('/events')).toEqual({ name: 'not-found' });
    expect(at('/admin/nope')).toEqual({ name: 'not-found' });
    expect(at('/events/%E0%A4%A')).toEqual({ name: 'not-found' });
  });

  it('leaves server paths to the server', () => {
    expect(isServerPath('/media/demo/master.m3u8')).toBe(true);
    expect(isServerPath('/api/events')).toBe(true);
    expect(isServerPath('/readyz')).toBe(true);
    expect(isServerPath('/events/x')).toBe(false);
  });
});

describe('safeNext', () => {
  it('keeps a page of this site, with its query', () => {
    expect(safeNext('/admin/events/rencontre-bd')).toBe('/admin/events/rencontre-bd');
    expect(safeNext('/?kind=webinar')).toBe('/?kind=webinar');
  });

  it('refuses other origins, however they are written', () => {
    for (const next of ['https://evil.example/', '//evil.example/admin', '/\\evil.example', 'javascript:alert(1)', 'admin']) {
      expect(safeNext(next)).toBeNull();
    }
  });

  it('refuses the sign-in page itself, server paths and unknown pages', () => {
    expect(safeNext('/admin/login?next=/admin')).toBeNull();
    expect(safeNext('/api/auth/logout')).toBeNull();
    expect(safeNext('/nowhere')).toBeNull();
    expect(safeNext('/me')).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});
