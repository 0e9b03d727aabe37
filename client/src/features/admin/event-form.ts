import type { Event, EventAccess, EventKind } from '#shared/domain/event';
import { EventCreateRequest } from '#shared/protocol/admin';
import { fromWallTimeText, isTimeZone, toWallTimeText } from '#shared/time/zones';
import type { EventInput, EventPatch } from '../../app/api-client';
import type { Params, StringKey } from '../../i18n/i18n';

/** One row of the speakers' list; `key` keeps rows apart while they are added and removed. */
export interface SpeakerRow {
  key: string;
  name: string;
  title: string;
}

/** The event form as the admin edits it: every field a string (or list of strings), as the inputs hold them. */
export interface EventFormValues {
  /** The event's address, chosen on creation only; empty: the server makes one. */
  slug: string;
  title: string;
  summary: string;
  kind: EventKind;
  /** `datetime-local` values, in `timezone`. */
  startsAt: string;
  endsAt: string;
  timezone: string;
  access: EventAccess;
  /** Left out of the public programme, reachable by its link. */
  unlisted: boolean;
  capacity: string;
  seriesId: string;
  speakers: SpeakerRow[];
  language: string;
  streamUrl: string;
  replayUrl: string;
}

/** The name of a field, as in server `fields` and in the ids of the inputs: `title`, `speakers.0.name`... */
export type FieldName = string;

/** A message for one field: a catalogue key (translated when shown) or the server's own words. */
export type FieldMessage = { key: StringKey; params?: Params } | { text: string };

export type FieldErrors = Readonly<Record<FieldName, FieldMessage>>;

export const DEFAULT_TIMEZONE = 'Europe/Paris';

let rowSerial = 0;
export const speakerRow = (name = '', title = ''): SpeakerRow => ({ key: `speaker-${++rowSerial}`, name, title });

/** A blank form: tomorrow from 18:00 to 19:30 in the event's zone, open to all, in French. */
export function newEventForm(now: number, timezone = DEFAULT_TIMEZONE): EventFormValues {
  const tomorrow = toWallTimeText(now + 86_400_000, timezone).slice(0, 10);
  return {
    slug: '',
    title: '',
    summary: '',
    kind: 'lecture',
    startsAt: `${tomorrow}T18:00`,
    endsAt: `${tomorrow}T19:30`,
    timezone,
    access: 'open',
    unlisted: false,
    capacity: '',
    seriesId: '',
    speakers: [],
    language: 'fr',
    streamUrl: '',
    replayUrl: '',
  };
}

export function eventToForm(event: Event): EventFormValues {
  return {
    slug: event.id,
    title: event.title,
    summary: event.summary,
    kind: event.kind,
    startsAt: toWallTimeText(event.startsAt, event.timezone),
    endsAt: toWallTimeText(event.endsAt, event.timezone),
    timezone: event.timezone,
    access: event.access,
    unlisted: event.unlisted === true,
    capacity: event.capacity === undefined ? '' : String(event.capacity),
    seriesId: event.seriesId ?? '',
    speakers: event.speakers.map((s) => speakerRow(s.name, s.title ?? '')),
    language: event.language,
    streamUrl: event.streamUrl ?? '',
    replayUrl: event.replayUrl ?? '',
  };
}

/** The message a field gets when the shared schema refuses it, whatever the schema's own (English) words. */
const SCHEMA_MESSAGES: Partial<Record<string, StringKey>> = {
  id: 'form.error.slug',
  timezone: 'form.error.timezone',
  capacity: 'form.error.capacity',
  language: 'form.error.language',
  streamUrl: 'form.error.url',
  replayUrl: 'form.error.url',
  endsAt: 'form.error.endBeforeStart',
};

export type ReadResult = { ok: true; input: EventInput } | { ok: false; errors: FieldErrors };

/**
 * Checks the form with the schema the server applies (`EventCreateRequest`, shared) and turns it into what the API
 * takes: times read in the event's zone and sent in UTC, empty optional fields left out, blank speaker rows dropped.
 * `creating` adds the optional address slug. The messages are the form's own, in the page's language.
 */
export function readEventForm(values: EventFormValues, { creating }: { creating: boolean }): ReadResult {
  const errors: Record<FieldName, FieldMessage> = {};
  const fail = (field: FieldName, key: StringKey, params?: Params): void => {
    errors[field] ??= params ? { key, params } : { key };
  };

  // What only the form can tell: wall-clock times in a zone, and numbers typed as text.
  const timezone = values.timezone.trim();
  const zoneOk = isTimeZone(timezone);
  if (!zoneOk) fail('timezone', 'form.error.timezone');
  const readTime = (field: 'startsAt' | 'endsAt'): string | null => {
    if (values[field].trim() === '') {
      fail(field, 'form.error.dateRequired');
      return null;
    }
    if (!zoneOk) return null;
    const parsed = fromWallTimeText(values[field], timezone);
    if (parsed.ok) return parsed.instant.toISOString();
    fail(field, parsed.reason === 'nonexistent' ? 'form.error.nonexistentTime' : 'form.error.dateRequired');
    return null;
  };
  const startsAt = readTime('startsAt');
  const endsAt = readTime('endsAt');

  let capacity: number | undefined;
  const capacityText = values.capacity.trim();
  if (capacityText !== '') {
    capacity = Number(capacityText);
    if (!/^\d+$/.test(capacityText)) fail('capacity', 'form.error.capacity');
  }

  const speakers = values.speakers
    .map((row, index) => ({ index, name: row.name.trim(), title: row.title.trim() }))
    .filter((row) => row.name !== '' || row.title !== '');
  for (const row of speakers) if (row.name === '') fail(`speakers.${row.index}.name`, 'form.error.speakerName');

  const slug = values.slug.trim();
  const streamUrl = values.streamUrl.trim();
  const replayUrl = values.replayUrl.trim();
  const input: EventInput = {
    kind: values.kind,
    title: values.title.trim(),
    summary: values.summary.trim(),
    startsAt: startsAt ?? '',
    endsAt: endsAt ?? '',
    timezone,
    access: values.access,
    speakers: speakers.map((row) => (row.title ? { name: row.name, title: row.title } : { name: row.name })),
    language: values.language.trim(),
    ...(capacity !== undefined ? { capacity } : {}),
    ...(values.seriesId ? { seriesId: values.seriesId } : {}),
    ...(streamUrl ? { streamUrl } : {}),
    ...(replayUrl ? { replayUrl } : {}),
    ...(creating && slug ? { id: slug } : {}),
    ...(values.unlisted ? { unlisted: true } : {}),
  };

  const parsed = EventCreateRequest.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      // Speakers' rows are numbered as the form shows them, blank rows included.
      if (path[0] === 'speakers' && path.length > 1) path[1] = String(speakers[Number(path[1])]?.index ?? path[1]);
      const name = path.join('.');
      const field = name === 'id' ? 'slug' : name || 'title';
      // A time the form could not read is already named; the schema would only repeat it.
      if ((field === 'startsAt' || field === 'endsAt') && (!startsAt || !endsAt)) continue;
      const known = SCHEMA_MESSAGES[name];
      if (known) fail(field, known);
      else if (issue.code === 'too_big' && typeof issue.maximum === 'number') {
        fail(field, issue.origin === 'array' ? 'form.error.tooMany' : 'form.error.tooLong', { max: Number(issue.maximum) });
      } else if (issue.code === 'too_small') fail(field, 'form.error.required');
      else fail(field, 'form.error.invalid');
    }
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}

const OPTIONAL_FIELDS = ['capacity', 'seriesId', 'streamUrl', 'replayUrl'] as const;
const PLAIN_FIELDS = ['kind', 'title', 'summary', 'startsAt', 'endsAt', 'timezone', 'access', 'language'] as const;

/** The fields of `input` that differ from `before`, for a PATCH; an optional field emptied in the form is `null`. */
export function eventPatch(before: Event, input: EventInput): EventPatch {
  const patch: Record<string, unknown> = {};
  for (const field of PLAIN_FIELDS) if (input[field] !== undefined && input[field] !== before[field]) patch[field] = input[field];
  for (const field of OPTIONAL_FIELDS) {
    const next = input[field];
    if (next === before[field]) continue;
    patch[field] = next === undefined ? null : next;
  }
  if (JSON.stringify(input.speakers ?? []) !== JSON.stringify(before.speakers)) patch.speakers = input.speakers ?? [];
  if (Boolean(input.unlisted) !== Boolean(before.unlisted)) patch.unlisted = Boolean(input.unlisted);
  return patch as EventPatch;
}

/** The fields the form shows, in order: where the server's `fields` go, and which field to focus first. */
export function formFieldOrder(values: EventFormValues): FieldName[] {
  return [
    'slug',
    'title',
    'summary',
    'kind',
    'startsAt',
    'endsAt',
    'timezone',
    'access',
    'unlisted',
    'capacity',
    'seriesId',
    ...values.speakers.flatMap((_row, i) => [`speakers.${i}.name`, `speakers.${i}.title`]),
    'language',
    'streamUrl',
    'replayUrl',
  ];
}

/**
 * Sorts the server's per-field messages into those the form can show next to a field and the rest (shown above the
 * form). The server names the slug `id`; a message about the speakers as a whole goes to the first row.
 */
export function placeServerFields(
  fields: Readonly<Record<string, string>>,
  values: EventFormValues,
): { errors: FieldErrors; elsewhere: string[] } {
  const known = new Set(formFieldOrder(values));
  const errors: Record<FieldName, FieldMessage> = {};
  const elsewhere: string[] = [];
  for (const [name, text] of Object.entries(fields)) {
    let field = name === 'id' ? 'slug' : name;
    if (!known.has(field) && /^speakers(\.\d+)?$/.test(field) && values.speakers.length > 0) {
      const index = Number(field.split('.')[1] ?? 0);
      field = `speakers.${index}.name`;
    }
    if (known.has(field)) errors[field] ??= { text };
    else elsewhere.push(`${name}: ${text}`);
  }
  return { errors, elsewhere };
}

/** The id of the input of a field, in the form's shadow root. */
export const fieldId = (field: FieldName): string => `event-${field.replace(/\./g, '-')}`;
