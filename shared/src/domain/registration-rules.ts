import type { Answers, FormQuestion, MailLanguage, RegistrationStatus } from './registration';

/*
 * The rules of registrations the client applies, without zod (the client never loads it): statuses, mail languages,
 * a form's answers. registration.ts builds its schemas on these and re-exports them for the server.
 */

export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'offered', 'cancelled', 'expired'] as const;

/** Statuses that hold or wait for a seat: one of these per person per event at most. */
export const ACTIVE_STATUSES = ['confirmed', 'waitlisted', 'offered'] as const satisfies readonly RegistrationStatus[];
export const isActive = (status: RegistrationStatus): boolean => (ACTIVE_STATUSES as readonly string[]).includes(status);
/** Statuses that hold a seat (an offer holds it until it is accepted or runs out). */
export const holdsSeat = (status: RegistrationStatus): boolean => status === 'confirmed' || status === 'offered';

export const MAIL_LANGUAGES = ['fr', 'en'] as const;

export const isMailLanguage = (value: unknown): value is MailLanguage => (MAIL_LANGUAGES as readonly unknown[]).includes(value);

/**
 * The answers' problems against a form, by field path (`answers.level`), or undefined when they are fine: a required
 * question left blank, a choice that is not one of the options, an answer to a question the form does not ask.
 */
export function answerProblems(form: readonly FormQuestion[], answers: Answers | undefined): Record<string, string> | undefined {
  const problems: Record<string, string> = {};
  const given = answers ?? {};
  for (const question of form) {
    const value = given[question.id]?.trim() ?? '';
    if (!value) {
      if (question.required) problems[`answers.${question.id}`] = 'must be answered';
    } else if (question.type === 'choice' && !question.options?.includes(value)) {
      problems[`answers.${question.id}`] = 'must be one of the options';
    }
  }
  for (const id of Object.keys(given)) {
    if (!form.some((q) => q.id === id)) problems[`answers.${id}`] = 'is not a question of this form';
  }
  return Object.keys(problems).length > 0 ? problems : undefined;
}

/**
 * The answers one form asks for, out of answers given for several forms at once: the form of a series asks the
 * questions of every date picked once, and each date keeps (and checks) the answers to its own questions only.
 */
export function answersFor(form: readonly FormQuestion[], answers: Answers | undefined): Answers {
  const asked = new Set(form.map((q) => q.id));
  return Object.fromEntries(Object.entries(answers ?? {}).filter(([id]) => asked.has(id)));
}
