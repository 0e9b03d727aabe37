import type { CoreMessages, Messages, PluralForms, PluralKey, RoomMessages, StaffMessages, StringKey } from './fr';

export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * Each language's strings are a chunk of their own, fetched when that language is first shown: a visitor downloads
 * one dictionary, not all of them. The staff's pages have their strings apart (fr-staff.ts…), fetched with them
 * (`loadStaffStrings`), so that the audience never downloads them.
 */
const DICTIONARIES: Record<Lang, () => Promise<CoreMessages>> = {
  fr: () => import('./fr').then((m) => m.fr),
  en: () => import('./en').then((m) => m.en),
};
const STAFF_DICTIONARIES: Record<Lang, () => Promise<StaffMessages>> = {
  fr: () => import('./fr-staff').then((m) => m.frStaff),
  en: () => import('./en-staff').then((m) => m.enStaff),
};
/** The strings of the video room page (issue 14), apart too: few people open it, and never on their way to a talk. */
const ROOM_DICTIONARIES: Record<Lang, () => Promise<RoomMessages>> = {
  fr: () => import('./fr-room').then((m) => m.frRoom),
  en: () => import('./en-room').then((m) => m.enRoom),
};
/**
 * Each language's strings as loaded so far: one object per language, which the staff's strings join in place, so that
 * the translators already made see them. Typed whole; a staff string is absent until `loadStaffStrings` has run, and
 * only staff pages, which wait for it, ask for one.
 */
const dictionaries = new Map<Lang, Promise<Messages>>();
/** Whether a staff page (the room page) was shown: every language loaded from then on comes with its strings. */
let withStaff = false;
let withRoom = false;
const LANG_STORAGE_KEY = 'parvis.lang';

export type Params = Record<string, string | number>;

/**
 * Everything a component needs to speak the current language. A new translator is made on every language switch, so
 * components that consume it through context re-render.
 */
export interface Translator {
  readonly lang: Lang;
  t(key: StringKey, params?: Params): string;
  /** Whether the catalogue has a string for `key` (for keys made from server data, such as audit actions). */
  has(key: string): key is StringKey;
  /** Picks the plural form for `count` and fills `{count}` (formatted for the locale) and any other params. */
  plural(key: PluralKey, count: number, params?: Params): string;
  /** Day, date and time of an instant in the given IANA zone, e.g. "mardi 25 novembre 2026 à 18:00 UTC+1". */
  dateTime(iso: string, timeZone?: string): string;
  /** Date and time in few words, for tables, e.g. "25 nov. 2026, 18:00". The viewer's zone when omitted. */
  shortDateTime(iso: string, timeZone?: string): string;
  /** The day of an instant in the given zone, without the time, e.g. "lundi 4 janvier 2027". */
  day(iso: string, timeZone?: string): string;
  /** The same in few words, for tables, e.g. "4 janv. 2027". */
  shortDay(iso: string, timeZone?: string): string;
  /** The name of a language in the current language, e.g. "français" for `fr`; the code itself when unknown. */
  languageName(code: string): string;
  /** Short time of day in the given zone (the viewer's when omitted), e.g. "18:00". */
  time(iso: string, timeZone?: string): string;
  /**
   * The same instant written in the viewer's zone, or null when it reads the same as in `eventZone` (so the UI only
   * adds "your time" when it helps).
   */
  localIfDifferent(iso: string, eventZone: string): string | null;
  list(items: string[]): string;
}

/** A value that already closes a sentence: the full stop after it in a message would be a second one. */
const ENDS_SENTENCE = /[.!?…]$/;

function fill(template: string, params: Params | undefined, lang: Lang): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, stop: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    const text = typeof value === 'number' ? value.toLocaleString(lang) : value;
    // "Vous discutez en tant que J.-P." and not "J.-P..": people's names and texts may end a sentence themselves.
    return stop && ENDS_SENTENCE.test(text) ? text : text + stop;
  });
}

const viewerZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The strings of `lang`, fetched once. A failure (offline, or a deploy replaced the chunk) is forgotten, so that the
 * next attempt fetches again, and rejects for the caller to keep the language it has.
 */
export function loadMessages(lang: Lang): Promise<Messages> {
  let p = dictionaries.get(lang);
  if (!p) {
    p = DICTIONARIES[lang]().then(
      // A copy: the staff's strings join it in place.
      (core) => ({ ...core }) as Messages,
      (error: unknown) => {
        dictionaries.delete(lang);
        throw error;
      },
    );
    dictionaries.set(lang, p);
  }
  const messages = p;
  const extras = [withStaff && addStaffStrings(lang, messages), withRoom && addRoomStrings(lang, messages)].filter((x) => x !== false);
  return extras.length ? Promise.all(extras).then(() => messages) : messages;
}

const staffStrings = new Map<Lang, Promise<void>>();
const roomStrings = new Map<Lang, Promise<void>>();

const addStaffStrings = (lang: Lang, messages: Promise<Messages>): Promise<void> =>
  addStrings(staffStrings, STAFF_DICTIONARIES, lang, messages);
const addRoomStrings = (lang: Lang, messages: Promise<Messages>): Promise<void> => addStrings(roomStrings, ROOM_DICTIONARIES, lang, messages);

/** Adds a part's strings (the staff's, the room page's) to a language's, once. */
function addStrings(
  added: Map<Lang, Promise<void>>,
  dictionaries: Record<Lang, () => Promise<object>>,
  lang: Lang,
  messages: Promise<Messages>,
): Promise<void> {
  let p = added.get(lang);
  if (!p) {
    p = Promise.all([messages, dictionaries[lang]()]).then(
      ([into, staff]) => void Object.assign(into, staff),
      (error: unknown) => {
        added.delete(lang);
        throw error;
      },
    );
    added.set(lang, p);
  }
  return p;
}

/**
 * Adds the staff's strings to every language loaded, and to those loaded later: a staff page's chunk is imported once
 * this has resolved (client/src/app/pages.ts). Rejects when a dictionary cannot be fetched, for the page to say so.
 */
export async function loadStaffStrings(): Promise<void> {
  withStaff = true;
  await Promise.all([...dictionaries].map(([lang, messages]) => addStaffStrings(lang, messages)));
}

/** The same for the room page's strings (client/src/app/pages.ts imports the room page's chunk once they are there). */
export async function loadRoomStrings(): Promise<void> {
  withRoom = true;
  await Promise.all([...dictionaries].map(([lang, messages]) => addRoomStrings(lang, messages)));
}

export const loadTranslator = async (lang: Lang): Promise<Translator> => createTranslator(lang, await loadMessages(lang));

export function createTranslator(lang: Lang, messages: Messages): Translator {
  const pluralRules = new Intl.PluralRules(lang);
  const formatters = new Map<string, Intl.DateTimeFormat>();
  const formatter = (kind: 'long' | 'short' | 'day' | 'shortDay' | 'time' | 'wall' | 'timeZoned', timeZone: string): Intl.DateTimeFormat => {
    const cacheKey = `${kind}|${timeZone}`;
    let f = formatters.get(cacheKey);
    if (!f) {
      const byKind: Record<typeof kind, Intl.DateTimeFormatOptions> = {
        long: { dateStyle: 'full', timeStyle: 'short', timeZone },
        short: { dateStyle: 'medium', timeStyle: 'short', timeZone },
        day: { dateStyle: 'full', timeZone },
        shortDay: { dateStyle: 'medium', timeZone },
        time: { timeStyle: 'short', timeZone },
        wall: { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZone },
        timeZoned: { weekday: 'short', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone },
      };
      const options = byKind[kind];
      try {
        f = new Intl.DateTimeFormat(lang, options);
      } catch {
        // An unknown zone name from the server must not break the page: fall back to the viewer's zone.
        f = new Intl.DateTimeFormat(lang, { ...options, timeZone: undefined });
      }
      formatters.set(cacheKey, f);
    }
    return f;
  };
  const zoneLabel = (date: Date, timeZone: string): string => {
    try {
      const parts = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: 'short' }).formatToParts(date);
      return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    } catch {
      return '';
    }
  };

  return {
    lang,
    // A staff string asked for before the staff's strings came (pages.ts makes sure it never is): nothing, rather than
    // a crash or a key on screen.
    t: (key, params) => fill((messages[key] as string | undefined) ?? '', params, lang),
    has: (key): key is StringKey => typeof (messages as Record<string, unknown>)[key] === 'string',
    plural: (key, count, params) => {
      const forms = messages[key] as PluralForms | undefined;
      if (!forms) return '';
      const category = pluralRules.select(count) as keyof typeof forms;
      const template = forms[category] ?? forms.other;
      return fill(template, { count, ...params }, lang);
    },
    dateTime: (iso, timeZone = viewerZone()) => {
      const date = new Date(iso);
      const label = zoneLabel(date, timeZone);
      const text = formatter('long', timeZone).format(date);
      return label ? `${text} (${label})` : text;
    },
    shortDateTime: (iso, timeZone = viewerZone()) => formatter('short', timeZone).format(new Date(iso)),
    day: (iso, timeZone = viewerZone()) => formatter('day', timeZone).format(new Date(iso)),
    shortDay: (iso, timeZone = viewerZone()) => formatter('shortDay', timeZone).format(new Date(iso)),
    languageName: (code) => {
      try {
        return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
      } catch {
        return code;
      }
    },
    time: (iso, timeZone = viewerZone()) => formatter('time', timeZone).format(new Date(iso)),
    localIfDifferent: (iso, eventZone) => {
      const date = new Date(iso);
      const local = viewerZone();
      if (formatter('wall', eventZone).format(date) === formatter('wall', local).format(date)) return null;
      return formatter('timeZoned', local).format(date);
    },
    list: (items) => new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items),
  };
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** French unless the person chose English before (stored in `parvis.lang`). */
export function loadLang(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Lang {
  try {
    const stored = storage?.getItem(LANG_STORAGE_KEY);
    return isLang(stored) ? stored : 'fr';
  } catch {
    return 'fr';
  }
}

export function saveLang(lang: Lang, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

export type { Messages, PluralKey, StringKey };
