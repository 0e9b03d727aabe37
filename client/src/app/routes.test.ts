import { describe, expect, it } from 'vitest';
import { eventHref, isServerPath, matchRoute, programmeHref } from './routes';

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
  });

  it('round-trips the links it builds', () => {
    expect(at(eventHref('a b/c'))).toEqual({ name: 'event', eventId: 'a b/c' });
    expect(at(programmeHref('workshop'))).toEqual({ name: 'programme', kind: 'workshop' });
  });

  it('answers not-found for anything else', () => {
    expect(at('/events')).toEqual({ name: 'not-found' });
    expect(at('/admin')).toEqual({ name: 'not-found' });
  });

  it('leaves server paths to the server', () => {
    expect(isServerPath('/media/demo/master.m3u8')).toBe(true);
    expect(isServerPath('/api/events')).toBe(true);
    expect(isServerPath('/events/x')).toBe(false);
  });
});
