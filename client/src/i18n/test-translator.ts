import { en } from './en';
import { enRoom } from './en-room';
import { enStaff } from './en-staff';
import { fr } from './fr';
import { frRoom } from './fr-room';
import { frStaff } from './fr-staff';
import { createTranslator, type Lang, type Translator } from './i18n';

/** For tests: a translator with all its strings at hand, where the app fetches them (`loadTranslator`). */
export const testTranslator = (lang: Lang): Translator =>
  createTranslator(lang, lang === 'fr' ? { ...fr, ...frStaff, ...frRoom } : { ...en, ...enStaff, ...enRoom });
