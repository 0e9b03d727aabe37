import { describe, expect, it } from 'vitest';
import { calendarLinks } from './calendar-links';
import { workshop } from './test-fixtures';

const ORIGIN = 'https://parvis.example';
const params = (url: string) => new URL(url).searchParams;

describe('add to calendar', () => {
  it('links the event’s own .ics file', () => {
    expect(calendarLinks(workshop('2027-03-29'), ORIGIN).ics).toBe('/api/events/atelier--2027-03-29/calendar.ics');
  });

  it('fills in Google Calendar with the title, the UTC times, the summary and the event’s page as the place', () => {
    const link = calendarLinks(workshop('2027-01-04'), ORIGIN).google;
    expect(link.startsWith('https://calendar.google.com/calendar/render?')).toBe(true);
    const p = params(link);
    expect(p.get('action')).toBe('TEMPLATE');
    expect(p.get('text')).toBe('Atelier de conversation');
    // 14:00 in Paris in winter is 13:00 UTC.
    expect(p.get('dates')).toBe('20270104T130000Z/20270104T143000Z');
    expect(p.get('location')).toBe('https://parvis.example/events/atelier--2027-01-04');
    expect(p.get('details')).toBe('Pratiquer le français en petit groupe.\n\nhttps://parvis.example/events/atelier--2027-01-04');
  });

  it('keeps 14:00 in Paris on either side of the change to summer time (28 March 2027)', () => {
    const friday = params(calendarLinks(workshop('2027-03-26'), ORIGIN).google);
    const monday = params(calendarLinks(workshop('2027-03-29'), ORIGIN).google);
    expect(friday.get('dates')).toBe('20270326T130000Z/20270326T143000Z');
    expect(monday.get('dates')).toBe('20270329T120000Z/20270329T133000Z');
    const outlook = params(calendarLinks(workshop('2027-03-29'), ORIGIN).outlook);
    expect(outlook.get('startdt')).toBe('2027-03-29T12:00:00Z');
    expect(outlook.get('enddt')).toBe('2027-03-29T13:30:00Z');
  });

  it('fills in Outlook on the web with the same event', () => {
    const link = calendarLinks(workshop('2027-01-04'), ORIGIN).outlook;
    expect(link.startsWith('https://outlook.live.com/calendar/0/deeplink/compose?')).toBe(true);
    const p = params(link);
    expect(p.get('rru')).toBe('addevent');
    expect(p.get('subject')).toBe('Atelier de conversation');
    expect(p.get('startdt')).toBe('2027-01-04T13:00:00Z');
    expect(p.get('location')).toBe('https://parvis.example/events/atelier--2027-01-04');
    expect(p.get('body')).toContain('Pratiquer le français');
  });

  it('cuts a long summary so that the link stays short enough to open', () => {
    const event = workshop('2027-01-04', { summary: 'Mot '.repeat(1000) });
    const link = calendarLinks(event, ORIGIN).google;
    expect(link.length).toBeLessThan(3000);
    expect(params(link).get('details')).toMatch(/…\n\nhttps:\/\/parvis\.example\/events\/atelier--2027-01-04$/);
  });

  it('keeps an event with no summary to its link', () => {
    const p = params(calendarLinks(workshop('2027-01-04', { summary: '  ' }), ORIGIN).google);
    expect(p.get('details')).toBe('https://parvis.example/events/atelier--2027-01-04');
  });
});
