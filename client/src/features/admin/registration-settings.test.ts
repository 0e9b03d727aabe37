import type { FormQuestion } from '#shared/domain/registration';
import { describe, expect, it } from 'vitest';
import { questionId, questionRow, readQuestions, readSettings, settingsValues } from './registration-settings';

const LEVEL: FormQuestion = { id: 'niveau', label: 'Votre niveau', type: 'choice', options: ['A2', 'B1', 'B2'], required: true };

describe('the sign-up settings of an event', () => {
  it('starts from the event: its questions, its waiting list (on unless turned off), and the join link', () => {
    const values = settingsValues({ form: [LEVEL] }, 'https://visio.example/atelier');
    expect(values.waitlist).toBe(true);
    expect(values.joinUrl).toBe('https://visio.example/atelier');
    expect(values.questions.map((q) => [q.id, q.label, q.type, q.options, q.required])).toEqual([
      ['niveau', 'Votre niveau', 'choice', 'A2\nB1\nB2', true],
    ]);
    expect(settingsValues({ waitlist: false }, null)).toMatchObject({ waitlist: false, joinUrl: '', questions: [] });
  });

  it('gives a new question an id from its label, unique in the form, and keeps the ids of saved ones', () => {
    expect(questionId('Votre niveau de français ?', new Set())).toBe('votre-niveau-de-francais');
    expect(questionId('Niveau', new Set(['niveau']))).toBe('niveau-2');
    expect(questionId('???', new Set())).toBe('question');
    const read = readQuestions([
      questionRow(LEVEL),
      { ...questionRow(), label: 'Votre bibliothèque', required: false },
      { ...questionRow(), label: 'Niveau', type: 'text' },
    ]);
    expect(read.ok && read.form.map((q) => q.id)).toEqual(['niveau', 'votre-bibliotheque', 'niveau-2']);
  });

  it('reads a choice’s options one per line, blank lines left out', () => {
    const read = readQuestions([{ ...questionRow(), label: 'Jour', type: 'choice', options: ' Lundi \n\nVendredi\n' }]);
    expect(read.ok && read.form[0]).toEqual({ id: 'jour', label: 'Jour', type: 'choice', options: ['Lundi', 'Vendredi'], required: false });
  });

  it('names what to fix: an empty label, a choice with fewer than two options or the same one twice', () => {
    const read = readQuestions([
      { ...questionRow(), label: '  ' },
      { ...questionRow(), label: 'Jour', type: 'choice', options: 'Lundi' },
      { ...questionRow(), label: 'Salle', type: 'choice', options: 'A\nA' },
    ]);
    expect(!read.ok && read.errors).toEqual({
      'questions.0.label': { key: 'form.error.required' },
      'questions.1.options': { key: 'admin.reg.error.options', params: { max: 12 } },
      'questions.2.options': { key: 'admin.reg.error.optionTwice' },
    });
  });

  it('takes at most five questions', () => {
    const rows = Array.from({ length: 6 }, (_, i) => ({ ...questionRow(), label: `Question ${i}` }));
    const read = readQuestions(rows);
    expect(!read.ok && read.errors.questions).toEqual({ key: 'form.error.tooMany', params: { max: 5 } });
  });

  it('sends the join link only as https, and no link when the field is empty', () => {
    const values = settingsValues({ form: [LEVEL] }, null);
    expect(readSettings(values)).toEqual({ ok: true, input: { joinUrl: null, waitlist: true, form: [LEVEL] } });
    const http = readSettings({ ...values, joinUrl: 'http://visio.example/x' });
    expect(!http.ok && http.errors).toEqual({ joinUrl: { key: 'admin.reg.error.joinUrl' } });
    const https = readSettings({ ...values, joinUrl: ' https://visio.example/x ' });
    expect(https.ok && https.input.joinUrl).toBe('https://visio.example/x');
  });
});
