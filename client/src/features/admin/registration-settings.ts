import type { Event } from '#shared/domain/event';
import { FORM_LABEL_MAX_LENGTH, FORM_OPTION_MAX_LENGTH, FORM_OPTIONS_MAX, FORM_QUESTIONS_MAX } from '#shared/domain/limits';
import { RegistrationSettings, SignUpForm, type FormQuestion, type RegistrationSettingsRequest } from '#shared/domain/registration';
import type { FieldErrors, FieldMessage } from './event-form';

/*
 * The sign-up settings of a registration event as the librarian edits them: the waiting list, the private link of an
 * outside room, and up to five questions of their own. Checked with the schemas the server applies (`SignUpForm`,
 * `RegistrationSettings`, shared); each problem is named by its field (`questions.1.options`, `joinUrl`).
 */

/** One question as the editor holds it; the options one per line, as typed. */
export interface QuestionRow {
  /** Keeps rows apart while they are added and removed. */
  key: string;
  /** The question's id once saved: answers are kept under it, so it never changes. Empty for a new question. */
  id: string;
  label: string;
  type: 'text' | 'choice';
  options: string;
  required: boolean;
}

export interface RegistrationSettingsValues {
  waitlist: boolean;
  joinUrl: string;
  questions: QuestionRow[];
}

let rowSerial = 0;
export const questionRow = (question?: FormQuestion): QuestionRow => ({
  key: `question-${++rowSerial}`,
  id: question?.id ?? '',
  label: question?.label ?? '',
  type: question?.type ?? 'text',
  options: question?.options?.join('\n') ?? '',
  required: question?.required ?? false,
});

export const questionRows = (form: readonly FormQuestion[] | undefined): QuestionRow[] => (form ?? []).map((q) => questionRow(q));

export function settingsValues(event: Pick<Event, 'waitlist' | 'form'>, joinUrl: string | null): RegistrationSettingsValues {
  return { waitlist: event.waitlist !== false, joinUrl: joinUrl ?? '', questions: questionRows(event.form) };
}

/** An id for a new question, from its label: `Votre niveau de français` → `votre-niveau-de-francais`, unique in the form. */
export function questionId(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32)
      .replace(/-+$/, '') || 'question';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

const optionsOf = (text: string): string[] =>
  text
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);

export type ReadQuestions = { ok: true; form: FormQuestion[] } | { ok: false; errors: FieldErrors };

/** The questions as the API takes them, new ones given an id; or what to fix, question by question. */
export function readQuestions(rows: readonly QuestionRow[]): ReadQuestions {
  const errors: Record<string, FieldMessage> = {};
  const taken = new Set(rows.map((r) => r.id).filter(Boolean));
  const form = rows.map((row, i): FormQuestion => {
    const label = row.label.trim();
    let id = row.id;
    if (!id) {
      id = questionId(label, taken);
      taken.add(id);
    }
    if (row.type === 'text') return { id, label, type: 'text', required: row.required };
    const options = optionsOf(row.options);
    if (new Set(options).size !== options.length) errors[`questions.${i}.options`] = { key: 'admin.reg.error.optionTwice' };
    return { id, label, type: 'choice', options, required: row.required };
  });
  if (rows.length > FORM_QUESTIONS_MAX) errors.questions = { key: 'form.error.tooMany', params: { max: FORM_QUESTIONS_MAX } };
  const parsed = SignUpForm.safeParse(form);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [index, field] = issue.path;
      if (typeof index !== 'number') continue;
      const name = `questions.${index}.${field === 'options' ? 'options' : 'label'}`;
      if (field === 'options') {
        errors[name] ??= {
          key: issue.code === 'too_big' && issue.origin === 'string' ? 'form.error.tooLong' : 'admin.reg.error.options',
          params: { max: issue.code === 'too_big' && issue.origin === 'string' ? FORM_OPTION_MAX_LENGTH : FORM_OPTIONS_MAX },
        };
      } else if (field === 'label') {
        errors[name] ??= issue.code === 'too_big' ? { key: 'form.error.tooLong', params: { max: FORM_LABEL_MAX_LENGTH } } : { key: 'form.error.required' };
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, form };
}

export type ReadSettings = { ok: true; input: RegistrationSettingsRequest } | { ok: false; errors: FieldErrors };

/** The whole panel: the questions, the waiting list and the join link (empty: no outside room). */
export function readSettings(values: RegistrationSettingsValues): ReadSettings {
  const questions = readQuestions(values.questions);
  const errors: Record<string, FieldMessage> = questions.ok ? {} : { ...questions.errors };
  const joinUrl = values.joinUrl.trim() || null;
  if (!RegistrationSettings.safeParse({ joinUrl }).success) errors.joinUrl = { key: 'admin.reg.error.joinUrl' };
  if (!questions.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { joinUrl, waitlist: values.waitlist, form: questions.form } };
}

/** The id of a field's input in the editor's shadow root. */
export const settingsFieldId = (field: string): string => `reg-${field.replace(/\./g, '-')}`;
