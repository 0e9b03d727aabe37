import type { Event } from '#shared/domain/event';
import { describe, expect, it } from 'vitest';
import {
  eventPatch,
  eventToForm,
  newEventForm,
  placeServerFields,
  readEventForm,
  speakerRow,
  type EventFormValues,
} from './event-form';

const EVENT: Event = {
  id: 'rencontre-bd',
  kind: 'lecture',
  title: 'Rencontre avec Marie Lenoir',
  summary: 'Vingt ans de bande dessinée.',
  startsAt: '2026-11-25T17:00:00.000Z',
  endsAt: '2026-11-25T18:30:00.000Z',
  timezone: 'Europe/Paris',
  status: 'scheduled',
  access: 'open',
  capacity: 80,
  seriesId: 'cycle-bd',
  speakers: [{ name: 'Marie Lenoir', title: 'autrice de bande dessinée' }, { name: 'Paul Durand' }],
  language: 'fr',
  streamUrl: '/media/live/demo/master.m3u8',
};

function form(patch: Partial<EventFormValues>): EventFormValues {
  return { ...eventToForm(EVENT), ...patch };
}

const errorsOf = (values: EventFormValues, creating = false) => {
  const result = readEventForm(values, { creating });
  return result.ok ? {} : result.errors;
};

describe('eventToForm and readEventForm', () => {
  it('shows the times in the event zone and sends them back in UTC', () => {
    const values = eventToForm(EVENT);
    expect(values.startsAt).toBe('2026-11-25T18:00');
    expect(values.endsAt).toBe('2026-11-25T19:30');
    const result = readEventForm(values, { creating: false });
    expect(result).toEqual({
      ok: true,
      input: {
        kind: 'lecture',
        title: EVENT.title,
        summary: EVENT.summary,
        startsAt: EVENT.startsAt,
        endsAt: EVENT.endsAt,
        timezone: 'Europe/Paris',
        access: 'open',
        capacity: 80,
        seriesId: 'cycle-bd',
        speakers: EVENT.speakers,
        language: 'fr',
        streamUrl: EVENT.streamUrl,
      },
    });
  });

  it('reads the same wall-clock time in another zone as another instant', () => {
    const result = readEventForm(form({ timezone: 'America/Toronto' }), { creating: false });
    expect(result.ok && [result.input.startsAt, result.input.endsAt]).toEqual([
      '2026-11-25T23:00:00.000Z',
      '2026-11-26T00:30:00.000Z',
    ]);
  });

  it('leaves out the optional fields left empty and the blank speaker rows', () => {
    const result = readEventForm(
      form({ capacity: ' ', seriesId: '', streamUrl: '', replayUrl: '', speakers: [speakerRow(' ', ''), speakerRow('Ada', '')] }),
      { creating: false },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).not.toHaveProperty('capacity');
    expect(result.input).not.toHaveProperty('seriesId');
    expect(result.input).not.toHaveProperty('streamUrl');
    expect(result.input.speakers).toEqual([{ name: 'Ada' }]);
  });

  it('sends the address slug only when creating, and only when one is given', () => {
    const creating = readEventForm(form({ slug: 'rencontre-bd-2' }), { creating: true });
    expect(creating.ok && creating.input.id).toBe('rencontre-bd-2');
    const editing = readEventForm(form({ slug: 'rencontre-bd' }), { creating: false });
    expect(editing.ok && 'id' in editing.input).toBe(false);
    const blank = readEventForm(form({ slug: '' }), { creating: true });
    expect(blank.ok && 'id' in blank.input).toBe(false);
  });

  it('starts a new form tomorrow evening in Paris, open to all, in French', () => {
    const values = newEventForm(Date.parse('2026-11-25T12:00:00.000Z'));
    expect(values).toMatchObject({ startsAt: '2026-11-26T18:00', endsAt: '2026-11-26T19:30', timezone: 'Europe/Paris', access: 'open', language: 'fr' });
  });
});

describe('readEventForm refuses', () => {
  it('an end before the start, on the end field', () => {
    expect(errorsOf(form({ endsAt: '2026-11-25T17:00' }))).toEqual({ endsAt: { key: 'form.error.endBeforeStart' } });
    expect(errorsOf(form({ endsAt: '2026-11-25T18:00' }))).toEqual({ endsAt: { key: 'form.error.endBeforeStart' } });
  });

  it('a missing title, missing dates and a time the clocks skip', () => {
    expect(errorsOf(form({ title: '  ', startsAt: '', endsAt: '2026-03-29T02:30' }))).toEqual({
      title: { key: 'form.error.required' },
      startsAt: { key: 'form.error.dateRequired' },
      endsAt: { key: 'form.error.nonexistentTime' },
    });
  });

  it('a title longer than the shared schema allows', () => {
    expect(errorsOf(form({ title: 'x'.repeat(201) }))).toEqual({ title: { key: 'form.error.tooLong', params: { max: 200 } } });
  });

  it('an unknown zone, a capacity that is not a whole positive number, a bad language', () => {
    expect(errorsOf(form({ timezone: 'Europe/Lutece', capacity: '2.5', language: 'pas une langue' }))).toEqual({
      timezone: { key: 'form.error.timezone' },
      capacity: { key: 'form.error.capacity' },
      language: { key: 'form.error.language' },
    });
    expect(errorsOf(form({ capacity: '0' }))).toEqual({ capacity: { key: 'form.error.capacity' } });
  });

  it('video addresses that are neither web addresses nor paths of this server', () => {
    expect(errorsOf(form({ streamUrl: 'javascript:alert(1)', replayUrl: '//elsewhere.example/x.m3u8' }))).toEqual({
      streamUrl: { key: 'form.error.url' },
      replayUrl: { key: 'form.error.url' },
    });
    expect(errorsOf(form({ streamUrl: 'https://video.example.org/live/master.m3u8' }))).toEqual({});
  });

  it('a speaker row with a title but no name, on that row', () => {
    expect(errorsOf(form({ speakers: [speakerRow('Ada', ''), speakerRow('', 'épidémiologiste')] }))).toEqual({
      'speakers.1.name': { key: 'form.error.speakerName' },
    });
  });

  it('a slug with capitals or accents', () => {
    expect(errorsOf(form({ slug: 'Rencontre-été' }), true)).toEqual({ slug: { key: 'form.error.slug' } });
  });
});

describe('eventPatch', () => {
  it('holds only what changed', () => {
    const result = readEventForm(form({ title: 'Rencontre avec Marie Lenoir (complet)' }), { creating: false });
    expect(result.ok && eventPatch(EVENT, result.input)).toEqual({ title: 'Rencontre avec Marie Lenoir (complet)' });
  });

  it('removes an optional field emptied in the form with null', () => {
    const result = readEventForm(form({ capacity: '', seriesId: '', replayUrl: '/media/demo/master.m3u8' }), { creating: false });
    expect(result.ok && eventPatch(EVENT, result.input)).toEqual({
      capacity: null,
      seriesId: null,
      replayUrl: '/media/demo/master.m3u8',
    });
  });

  it('sends the whole list of speakers when one changed', () => {
    const values = form({});
    values.speakers = values.speakers.slice(0, 1);
    const result = readEventForm(values, { creating: false });
    expect(result.ok && eventPatch(EVENT, result.input)).toEqual({ speakers: [EVENT.speakers[0]] });
  });

  it('takes an event out of the public programme, and puts it back', () => {
    const unlisting = readEventForm(form({ unlisted: true }), { creating: false });
    expect(unlisting.ok && unlisting.input.unlisted).toBe(true);
    expect(unlisting.ok && eventPatch(EVENT, unlisting.input)).toEqual({ unlisted: true });
    const unlisted: Event = { ...EVENT, unlisted: true };
    expect(eventToForm(unlisted).unlisted).toBe(true);
    const relisting = readEventForm({ ...eventToForm(unlisted), unlisted: false }, { creating: false });
    expect(relisting.ok && eventPatch(unlisted, relisting.input)).toEqual({ unlisted: false });
  });
});

describe('placeServerFields', () => {
  it('puts the server messages next to their fields, and the others above the form', () => {
    const values = form({});
    expect(placeServerFields({ endsAt: 'must be after startsAt', id: 'is taken', 'speakers.1.title': 'too long', owner: 'unknown' }, values)).toEqual({
      errors: {
        endsAt: { text: 'must be after startsAt' },
        slug: { text: 'is taken' },
        'speakers.1.title': { text: 'too long' },
      },
      elsewhere: ['owner: unknown'],
    });
  });
});
