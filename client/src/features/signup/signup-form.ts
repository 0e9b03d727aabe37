import { displayNameProblem, normaliseDisplayName, type DisplayNameProblem } from '#shared/domain/display-name';
import { EMAIL_MAX_LENGTH, FORM_ANSWER_MAX_LENGTH, PERSON_NAME_MAX_LENGTH } from '#shared/domain/limits';
import type { Answers, FormQuestion, MailLanguage, RegistrationRequest } from '#shared/domain/registration';
import { answerProblems, isMailLanguage } from '#shared/domain/registration-rules';
import type { Lang, StringKey } from '../../i18n/i18n';
import type { FieldErrors, FieldMessage } from '../admin/event-form';

/*
 * The sign-up form as a person fills it in: their name, their email, the language of the emails, the event's own
 * questions and the consent box. It is checked by hand with the rules of the schema the server applies
 * (`RegistrationRequest`, shared), so that the page never loads zod, and each problem gets a message of its own next to
 * its field, in the page's language. The server has the last word: its answer is placed field by field the same way.
 */

export type { FieldErrors, FieldMessage };

export interface SignUpValues {
  name: string;
  email: string;
  /** The language of the emails: the page's, unless the person picks the other. */
  language: MailLanguage;
  /** By question id, as typed or picked; blank answers are left out when sent. */
  answers: Record<string, string>;
  consent: boolean;
}

/** An empty form, its emails in the language the page is shown in. */
export const newSignUpValues = (lang: Lang): SignUpValues => ({
  name: '',
  email: '',
  language: isMailLanguage(lang) ? lang : 'fr',
  answers: {},
  consent: false,
});

const NAME_MESSAGES: Record<DisplayNameProblem, StringKey> = {
  empty: 'signup.error.name',
  'too-long': 'guest.name.tooLong',
  control: 'guest.name.control',
  invisible: 'guest.name.invisible',
  direction: 'guest.name.direction',
};

const nameMessage = (name: string): FieldMessage => {
  const problem = displayNameProblem(normaliseDisplayName(name), { maxLength: PERSON_NAME_MAX_LENGTH }) ?? 'empty';
  return { key: NAME_MESSAGES[problem], params: { max: PERSON_NAME_MAX_LENGTH } };
};

const answerMessage = (problem: string): FieldMessage =>
  /option/.test(problem)
    ? { key: 'signup.error.answerChoice' }
    : /answered|empty|required/.test(problem)
      ? { key: 'signup.error.answerRequired' }
      : /at most|too long|too_big/.test(problem)
        ? { key: 'form.error.tooLong', params: { max: FORM_ANSWER_MAX_LENGTH } }
        : { key: 'form.error.invalid' };

/** The message a field gets, from what the schema (or the server, in its words) said about it. */
function messageFor(field: string, values: SignUpValues, problem: string): FieldMessage | null {
  if (field === 'name') return nameMessage(values.name);
  if (field === 'email') return { key: 'form.error.email' };
  if (field === 'consent') return { key: 'signup.error.consent' };
  if (field === 'language') return { key: 'form.error.invalid' };
  if (field.startsWith('answers.')) return answerMessage(problem);
  return null;
}

/** The answers worth sending: trimmed, blank ones left out (an optional question left blank is not an answer). */
function answersOf(values: SignUpValues, form: readonly FormQuestion[]): Answers {
  const answers: Answers = {};
  for (const question of form) {
    const value = values.answers[question.id]?.trim() ?? '';
    if (value) answers[question.id] = value;
  }
  return answers;
}

/**
 * An email address as far as a form can tell: one `@`, no spaces, a dot in the domain and a top-level name of two
 * letters or more. The server's `Email` is stricter; what it refuses comes back as a field error all the same.
 */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;

/**
 * What the server's `RegistrationRequest` would refuse in `request`, by field (`answers.level`), in its words: the
 * name (the display-name rules, at most {@link PERSON_NAME_MAX_LENGTH} characters), the email, the language, each
 * answer's length and the consent. The form's own questions are checked apart (`answerProblems`).
 */
export function requestProblems(request: RegistrationRequest): Record<string, string> {
  const problems: Record<string, string> = {};
  if (displayNameProblem(normaliseDisplayName(request.name), { maxLength: PERSON_NAME_MAX_LENGTH })) problems.name = 'invalid';
  const email = request.email.trim();
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) problems.email = 'must be an email address';
  if (!isMailLanguage(request.language)) problems.language = 'invalid';
  for (const [id, answer] of Object.entries(request.answers ?? {})) {
    if (answer.trim().length > FORM_ANSWER_MAX_LENGTH) problems[`answers.${id}`] = 'too long';
  }
  if (request.consent !== true) problems.consent = 'must be given to sign up';
  return problems;
}

export type ReadSignUp<R> = { ok: true; request: R } | { ok: false; errors: FieldErrors };

/** Checks the form as the server will, and makes the request; or says what to fix, field by field. */
export function readSignUp(values: SignUpValues, form: readonly FormQuestion[]): ReadSignUp<RegistrationRequest> {
  const answers = answersOf(values, form);
  const request: RegistrationRequest = {
    name: values.name,
    email: values.email,
    language: values.language,
    ...(form.length > 0 ? { answers } : {}),
    consent: values.consent as true,
  };
  const errors: Record<string, FieldMessage> = {};
  for (const [field, problem] of Object.entries(requestProblems(request))) {
    const message = messageFor(field, values, problem);
    if (message) errors[field] ??= message;
  }
  for (const [field, problem] of Object.entries(answerProblems(form, answers) ?? {})) errors[field] ??= answerMessage(problem);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The request as typed: the server trims and normalises it itself, with the same schema.
  return { ok: true, request: { ...request, name: normaliseDisplayName(values.name), email: values.email.trim() } };
}

/** The fields in the order the form shows them: the error summary lists them so, and focus goes to the first. */
export const signUpFieldOrder = (form: readonly FormQuestion[]): string[] => [
  'name',
  'email',
  'language',
  ...form.map((q) => `answers.${q.id}`),
  'consent',
];

/**
 * Sorts the server's per-field messages into those shown next to a field (in the page's words) and the rest, shown
 * above the form in the server's.
 */
export function placeSignUpFields(
  fields: Readonly<Record<string, string>>,
  values: SignUpValues,
  form: readonly FormQuestion[],
): { errors: FieldErrors; elsewhere: string[] } {
  const known = new Set(signUpFieldOrder(form));
  const errors: Record<string, FieldMessage> = {};
  const elsewhere: string[] = [];
  for (const [field, text] of Object.entries(fields)) {
    const message = known.has(field) ? messageFor(field, values, text) : null;
    if (message) errors[field] ??= message;
    else elsewhere.push(`${field}: ${text}`);
  }
  return { errors, elsewhere };
}

/** The id of a field's input in the form's shadow root. */
export const signUpFieldId = (field: string): string => `signup-${field.replace(/[^a-z0-9-]/gi, '-')}`;
