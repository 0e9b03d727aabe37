import { en } from './en';
import { enStaff } from './en-staff';
import { fr } from './fr';
import { frStaff } from './fr-staff';
import { createTranslator, type Lang, type Translator } from './i18n';

/** For tests: a translator with all its strings at hand, where the app fetches them (`loadTranslator`). */
export const testTranslator = (lang: Lang): Translator =>
  createTranslator(lang, lang === 'fr' ? { ...fr, ...frStaff } : { ...en, ...enStaff });
