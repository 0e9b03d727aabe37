import type { FormQuestion } from '#shared/domain/registration';
import { describe, expect, it } from 'vitest';
import { newSignUpValues, placeSignUpFields, readSignUp, requestProblems, signUpFieldOrder, type SignUpValues } from './signup-form';

const FORM: FormQuestion[] = [
  { id: 'library', label: 'Votre bibliothèque', type: 'text', required: false },
  { id: 'level', label: 'Votre niveau de français', type: 'choice', options: ['Débutant', 'Intermédiaire', 'Avancé'], required: true },
];

const filled = (overrides: Partial<SignUpValues> = {}): SignUpValues => ({
  ...newSignUpValues('fr'),
  name: 'Amina Diallo',
  email: 'Amina@Example.org ',
  answers: { level: 'Intermédiaire' },
  consent: true,
  ...overrides,
});

describe('the sign-up form', () => {
  it('writes the emails in the language the page is shown in, until the person picks the other', () => {
    expect(newSignUpValues('en').language).toBe('en');
    expect(newSignUpValues('fr').language).toBe('fr');
  });

  it('sends what the person typed, with blank optional answers left out', () => {
    const read = readSignUp(filled({ answers: { library: '   ', level: 'Intermédiaire' } }), FORM);
    expect(read).toEqual({
      ok: true,
      request: { name: 'Amina Diallo', email: 'Amina@Example.org', language: 'fr', answers: { level: 'Intermédiaire' }, consent: true },
    });
  });

  it('sends no answers at all for an event without questions', () => {
    const read = readSignUp(filled({ answers: {} }), []);
    expect(read.ok && read.request).not.toHaveProperty('answers');
  });

  it('names each field to fix: the name, the email, a required question, the consent box', () => {
    const read = readSignUp(filled({ name: '  ', email: 'amina@', answers: {}, consent: false }), FORM);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors).toEqual({
      name: { key: 'signup.error.name', params: { max: 80 } },
      email: { key: 'form.error.email' },
      'answers.level': { key: 'signup.error.answerRequired' },
      consent: { key: 'signup.error.consent' },
    });
  });

  it('tells a name too long or with hidden characters apart from an empty one', () => {
    const long = readSignUp(filled({ name: 'A'.repeat(81) }), FORM);
    expect(!long.ok && long.errors.name).toEqual({ key: 'guest.name.tooLong', params: { max: 80 } });
    const hidden = readSignUp(filled({ name: 'Amina\u200bDiallo' }), FORM);
    expect(!hidden.ok && hidden.errors.name).toEqual({ key: 'guest.name.invisible', params: { max: 80 } });
  });

  it('refuses a choice that is not one of the options', () => {
    const read = readSignUp(filled({ answers: { level: 'Expert' } }), FORM);
    expect(!read.ok && read.errors).toEqual({ 'answers.level': { key: 'signup.error.answerChoice' } });
  });

  it('places the server’s messages next to their fields, in the page’s words, and keeps the rest for above the form', () => {
    const { errors, elsewhere } = placeSignUpFields(
      { email: 'must be an email address', 'answers.level': 'must be one of the options', eventIds: 'pick at least one date' },
      filled(),
      FORM,
    );
    expect(errors).toEqual({ email: { key: 'form.error.email' }, 'answers.level': { key: 'signup.error.answerChoice' } });
    expect(elsewhere).toEqual(['eventIds: pick at least one date']);
  });

  it('lists the fields in the order the form shows them', () => {
    expect(signUpFieldOrder(FORM)).toEqual(['name', 'email', 'language', 'answers.library', 'answers.level', 'consent']);
  });
});

describe('the sign-up check made without zod', () => {
  const request = { name: 'Amina Diallo', email: 'amina@example.org', language: 'fr' as const, consent: true as const };

  it('finds nothing wrong in a good request', () => {
    expect(requestProblems(request)).toEqual({});
  });

  it('names each field the server would refuse: an unreadable name, a mangled or overlong email, an unknown language, an overlong answer, no consent', () => {
    const problems = requestProblems({
      name: '\u200b',
      email: `${'a'.repeat(300)}@example.org`,
      language: 'de' as 'fr',
      answers: { library: 'x'.repeat(501), level: 'Avancé' },
      consent: false as true,
    });
    expect(Object.keys(problems).sort()).toEqual(['answers.library', 'consent', 'email', 'language', 'name']);
    for (const email of ['amina', 'amina@', 'amina@example', 'ami na@example.org', 'amina@example.o']) {
      expect(requestProblems({ ...request, email }), email).toHaveProperty('email');
    }
  });

  it('gives each refused field its message in the page’s words', () => {
    const read = readSignUp(filled({ language: 'de' as 'fr', answers: { level: 'Avancé', library: 'x'.repeat(501) } }), FORM);
    expect(read).toEqual({
      ok: false,
      errors: { language: { key: 'form.error.invalid' }, 'answers.library': { key: 'form.error.tooLong', params: { max: 500 } } },
    });
  });
});
