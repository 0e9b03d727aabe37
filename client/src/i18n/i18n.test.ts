import { describe, expect, it } from 'vitest';
import { en } from './en';
import { enRoom } from './en-room';
import { enStaff } from './en-staff';
import { fr } from './fr';
import { frRoom } from './fr-room';
import { frStaff } from './fr-staff';
import { loadLang, loadMessages, loadRoomStrings, loadStaffStrings, loadTranslator } from './i18n';
import { testTranslator } from './test-translator';

describe('i18n', () => {
  it('has the same keys in English as in French, in the same two files', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    expect(Object.keys(enStaff).sort()).toEqual(Object.keys(frStaff).sort());
    expect(Object.keys(fr).filter((key) => key in frStaff)).toEqual([]);
    expect(Object.keys(enRoom).sort()).toEqual(Object.keys(frRoom).sort());
    expect(Object.keys(frRoom).filter((key) => key in fr || key in frStaff)).toEqual([]);
  });

  it('counts viewers with the plural rules of each language', () => {
    const tfr = testTranslator('fr');
    const ten = testTranslator('en');
    expect(tfr.plural('viewers', 1)).toBe('1 spectateur');
    expect(tfr.plural('viewers', 0)).toBe('0 spectateur');
    expect(tfr.plural('viewers', 12)).toBe('12 spectateurs');
    expect(ten.plural('viewers', 1)).toBe('1 viewer');
    expect(ten.plural('viewers', 0)).toBe('0 viewers');
    expect(ten.plural('viewers', 1234)).toBe('1,234 viewers');
  });

  it('fills placeholders', () => {
    expect(testTranslator('fr').t('chat.rateLimited', { seconds: 3 })).toBe('Vous envoyez trop vite : patientez 3 s.');
  });

  it('does not add a second full stop after a value that ends a sentence', () => {
    const t = testTranslator('fr');
    expect(t.t('chat.signedInAs', { name: 'Jean-Pierre D.' })).toBe('Vous discutez en tant que Jean-Pierre D.');
    expect(t.t('chat.signedInAs', { name: 'Léa !' })).toBe('Vous discutez en tant que Léa !');
    expect(t.t('chat.signedInAs', { name: 'Léa' })).toBe('Vous discutez en tant que Léa.');
    expect(testTranslator('en').t('chat.signedInAs', { name: 'Dr. Who.' })).toBe('You are chatting as Dr. Who.');
  });

  it('writes a time in the event time zone', () => {
    const t = testTranslator('fr');
    expect(t.time('2026-11-25T17:00:00.000Z', 'Europe/Paris')).toBe('18:00');
    expect(t.dateTime('2026-11-25T17:00:00.000Z', 'Europe/Paris')).toMatch(/mercredi 25 novembre 2026.*18:00.*UTC\+1/);
  });

  it('writes the day of an instant as it is in the event’s zone, without the time', () => {
    const t = testTranslator('fr');
    // 23:30 UTC on Sunday 10 January is already Monday 11 in Paris.
    expect(t.day('2027-01-10T23:30:00.000Z', 'Europe/Paris')).toBe('lundi 11 janvier 2027');
    expect(t.shortDay('2027-01-10T23:30:00.000Z', 'UTC')).toBe('10 janv. 2027');
  });

  it('adds the viewer time only when it reads differently', () => {
    const t = testTranslator('en');
    const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(t.localIfDifferent('2026-11-25T17:00:00.000Z', viewerZone)).toBeNull();
    const elsewhere = viewerZone === 'Pacific/Auckland' ? 'Europe/Paris' : 'Pacific/Auckland';
    expect(t.localIfDifferent('2026-11-25T17:00:00.000Z', elsewhere)).not.toBeNull();
  });

  it('speaks French unless English was chosen before', () => {
    expect(loadLang({ getItem: () => null })).toBe('fr');
    expect(loadLang({ getItem: () => 'en' })).toBe('en');
    expect(loadLang({ getItem: () => 'de' })).toBe('fr');
  });

  it('fetches a language’s strings when it is first asked for, once, and speaks it', async () => {
    const first = loadMessages('en');
    expect(loadMessages('en')).toBe(first);
    expect(await first).toEqual(en);
    const english = await loadTranslator('en');
    expect(english.lang).toBe('en');
    expect(english.t('app.switchLanguage')).toBe('Français');
    // The staff's strings are not there until a staff page asks for them; then a translator made before has them too.
    expect(english.has('admin.unlisted')).toBe(false);
    expect(english.t('admin.unlisted')).toBe('');
    await loadStaffStrings();
    expect(english.t('admin.unlisted')).toBe(enStaff['admin.unlisted']);
    expect((await loadTranslator('fr')).t('admin.unlisted')).toBe(frStaff['admin.unlisted']);
    // The room page's strings likewise, before the room page shows.
    expect(english.has('rooms.leave')).toBe(false);
    await loadRoomStrings();
    expect(english.t('rooms.leave')).toBe(enRoom['rooms.leave']);
  });
});
