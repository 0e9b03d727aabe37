/**
 * How a viewer likes captions: on or off, the language, the size and the contrast. Kept in localStorage, so that
 * someone who needs captions turns them on once and finds them on at the next event, live or replay.
 */
export const CAPTION_SIZES = ['small', 'medium', 'large'] as const;
export type CaptionSize = (typeof CAPTION_SIZES)[number];
/** `standard`: white on a translucent band; `high`: yellow on opaque black, bold (low vision, bright rooms). */
export const CAPTION_CONTRASTS = ['standard', 'high'] as const;
export type CaptionContrast = (typeof CAPTION_CONTRASTS)[number];

export interface CaptionSettings {
  on: boolean;
  /** The language chosen last (`fr`, `en`…); null: the page's language when the video has it, else the first. */
  lang: string | null;
  size: CaptionSize;
  contrast: CaptionContrast;
}

export const DEFAULT_CAPTION_SETTINGS: CaptionSettings = { on: false, lang: null, size: 'medium', contrast: 'standard' };

const KEY = 'parvis.captions';

/** What was saved, each field checked on its own: a field from an older or tampered value falls back to its default. */
export function loadCaptionSettings(storage: Pick<Storage, 'getItem'> | undefined): CaptionSettings {
  let saved: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '{}');
    if (parsed && typeof parsed === 'object') saved = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: start from the defaults.
  }
  const d = DEFAULT_CAPTION_SETTINGS;
  return {
    on: typeof saved.on === 'boolean' ? saved.on : d.on,
    lang: typeof saved.lang === 'string' && /^[a-z]{2,8}$/.test(saved.lang) ? saved.lang : d.lang,
    size: CAPTION_SIZES.includes(saved.size as CaptionSize) ? (saved.size as CaptionSize) : d.size,
    contrast: CAPTION_CONTRASTS.includes(saved.contrast as CaptionContrast) ? (saved.contrast as CaptionContrast) : d.contrast,
  };
}

export function saveCaptionSettings(storage: Pick<Storage, 'setItem'> | undefined, settings: CaptionSettings): void {
  try {
    storage?.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Private browsing with storage full or refused: the choice lasts for this page only.
  }
}

/**
 * The language to show among those the video has: the one chosen, else the page's, else the first. Null when the
 * video has none.
 */
export function pickCaptionLanguage(available: readonly string[], chosen: string | null, pageLang: string): string | null {
  if (chosen && available.includes(chosen)) return chosen;
  if (available.includes(pageLang)) return pageLang;
  return available[0] ?? null;
}
