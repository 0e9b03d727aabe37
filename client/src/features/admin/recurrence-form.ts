import { Recurrence, Weekday, type EventAccess, type EventKind, type Series } from '#shared/domain/event';
import { TITLE_MAX_LENGTH } from '#shared/domain/limits';
import { isTimeZone, toWallTimeText } from '#shared/time/zones';
import type { FieldErrors, FieldMessage } from './event-form';
import { questionRows, readQuestions, type QuestionRow } from './registration-settings';

/*
 * A series' rule for its dates as the librarian edits it ("every Monday and Friday at 14:00 Europe/Paris from
 * 2027-01-04 until 2027-06-30, except the holidays listed"), what each date is made from, and the fair cap. Checked
 * with the schema the server applies (`Recurrence`, shared). Field names are paths: `recurrence.byDay`,
 * `recurrence.template.title`, `fairCapPerWeek`.
 */

export interface RecurrenceValues {
  /** The series has a rule that makes its dates. */
  enabled: boolean;
  byDay: Weekday[];
  time: string;
  durationMinutes: string;
  timezone: string;
  from: string;
  until: string;
  exceptions: string[];
  template: {
    kind: EventKind;
    title: string;
    summary: string;
    access: EventAccess;
    capacity: string;
    waitlist: boolean;
    language: string;
    questions: QuestionRow[];
  };
  /** At most this many dates per person per week while others wait; empty for no cap. */
  fairCap: string;
}

/** The rule of a series, or a starting point for one: Mondays at 14:00 in Paris for the next three months. */
export function recurrenceValues(series: Pick<Series, 'recurrence' | 'fairCapPerWeek'> | null, now: number): RecurrenceValues {
  const r = series?.recurrence;
  const today = toWallTimeText(now, r?.timezone ?? 'Europe/Paris').slice(0, 10);
  const inThreeMonths = toWallTimeText(now + 91 * 86_400_000, r?.timezone ?? 'Europe/Paris').slice(0, 10);
  return {
    enabled: r !== undefined,
    byDay: r?.byDay ?? ['MO'],
    time: r?.time ?? '14:00',
    durationMinutes: String(r?.durationMinutes ?? 90),
    timezone: r?.timezone ?? 'Europe/Paris',
    from: r?.from ?? today,
    until: r?.until ?? inThreeMonths,
    exceptions: [...(r?.exceptions ?? [])].sort(),
    template: {
      kind: r?.template.kind ?? 'workshop',
      title: r?.template.title ?? '',
      summary: r?.template.summary ?? '',
      access: r?.template.access ?? 'registration',
      capacity: r?.template.capacity === undefined ? '' : String(r.template.capacity),
      waitlist: r?.template.waitlist ?? true,
      language: r?.template.language ?? 'fr',
      questions: questionRows(r?.template.form),
    },
    fairCap: series?.fairCapPerWeek === undefined ? '' : String(series.fairCapPerWeek),
  };
}

/** Adds a day to the exceptions, in date order, once. */
export const addException = (exceptions: readonly string[], day: string): string[] =>
  [...new Set([...exceptions, day])].sort();

/** The weekdays in the order of the week, from the choice in any order. */
export const sortDays = (days: readonly Weekday[]): Weekday[] => Weekday.options.filter((d) => days.includes(d));

const MESSAGES: Record<string, FieldMessage> = {
  byDay: { key: 'admin.recur.error.days' },
  time: { key: 'admin.recur.error.time' },
  durationMinutes: { key: 'admin.recur.error.duration' },
  timezone: { key: 'form.error.timezone' },
  from: { key: 'admin.recur.error.date' },
  until: { key: 'admin.recur.error.date' },
  exceptions: { key: 'admin.recur.error.date' },
  'template.capacity': { key: 'form.error.capacity' },
  'template.language': { key: 'form.error.language' },
};

export type ReadRecurrence =
  | { ok: true; recurrence: Recurrence | null; fairCapPerWeek: number | null }
  | { ok: false; errors: FieldErrors };

/**
 * The rule as the API takes it (null when the series has none), and the fair cap (null: none); or what to fix.
 * `seriesTitle` names the dates when the template's own title is left empty.
 */
export function readRecurrence(values: RecurrenceValues, seriesTitle: string): ReadRecurrence {
  const errors: Record<string, FieldMessage> = {};
  let fairCapPerWeek: number | null = null;
  const cap = values.fairCap.trim();
  if (cap !== '') {
    fairCapPerWeek = Number(cap);
    if (!/^\d+$/.test(cap) || fairCapPerWeek < 1 || fairCapPerWeek > 7) errors.fairCapPerWeek = { key: 'admin.recur.error.fairCap' };
  }
  if (!values.enabled) return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, recurrence: null, fairCapPerWeek };

  const t = values.template;
  const questions = readQuestions(t.questions);
  if (!questions.ok) {
    for (const [field, message] of Object.entries(questions.errors)) errors[`recurrence.template.${field}`] = message;
  }
  const capacityText = t.capacity.trim();
  if (capacityText !== '' && !/^\d+$/.test(capacityText)) errors['recurrence.template.capacity'] = { key: 'form.error.capacity' };
  const durationText = values.durationMinutes.trim();
  if (!/^\d+$/.test(durationText)) errors['recurrence.durationMinutes'] = { key: 'admin.recur.error.duration' };
  if (!isTimeZone(values.timezone)) errors['recurrence.timezone'] = { key: 'form.error.timezone' };
  // The schema checks the order of the two days only once everything else passes: say it at once.
  if (/^\d{4}-\d{2}-\d{2}$/.test(values.from) && /^\d{4}-\d{2}-\d{2}$/.test(values.until) && values.until < values.from) {
    errors['recurrence.until'] = { key: 'admin.recur.error.until' };
  }

  const input = {
    byDay: sortDays(values.byDay),
    time: values.time.trim(),
    durationMinutes: Number(durationText),
    timezone: values.timezone,
    from: values.from,
    until: values.until,
    exceptions: values.exceptions,
    template: {
      kind: t.kind,
      title: t.title.trim() || seriesTitle.trim(),
      summary: t.summary.trim(),
      access: t.access,
      ...(capacityText !== '' ? { capacity: Number(capacityText) } : {}),
      waitlist: t.waitlist,
      language: t.language.trim(),
      form: questions.ok ? questions.form : [],
    },
  };
  const parsed = Recurrence.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      if (path[1] === 'form') continue;
      const name = path[0] === 'exceptions' ? 'exceptions' : path.join('.');
      const field = `recurrence.${name}`;
      if (name === 'template.title') {
        errors[field] ??=
          issue.code === 'too_big' ? { key: 'form.error.tooLong', params: { max: TITLE_MAX_LENGTH } } : { key: 'form.error.required' };
      } else if (name === 'until' && issue.code === 'custom') {
        errors[field] ??= { key: 'admin.recur.error.until' };
      } else {
        errors[field] ??= MESSAGES[name] ?? { key: 'form.error.invalid' };
      }
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, recurrence: parsed.success ? parsed.data : null, fairCapPerWeek };
}

/** The id of a field's input in the editor's shadow root. */
export const recurrenceFieldId = (field: string): string => `series-${field.replace(/\./g, '-')}`;
