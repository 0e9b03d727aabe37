import { en } from './en';
import { fr } from './fr';
import { createTranslator, type Lang, type Translator } from './i18n';

/** For tests: a translator with its dictionary at hand, where the app fetches it (`loadTranslator`). */
export const testTranslator = (lang: Lang): Translator => createTranslator(lang, lang === 'fr' ? fr : en);
