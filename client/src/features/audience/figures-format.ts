import { css } from 'lit';
import type { Translator } from '../../i18n/i18n';

/** A watch time in minutes and seconds ("12 min 05 s"), or seconds alone under a minute. */
export function watchTime(i18n: Translator, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return i18n.t('figures.seconds', { s });
  return i18n.t('figures.minutes', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
}

/** The figures' pages: the summary as a grid of figures, the moments in the table one per line. */
export const figuresStyles = css`
  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
    gap: var(--space-3);
    margin: 0;
  }
  .figures > div {
    padding: var(--space-3);
    background: var(--color-surface);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-m);
  }
  .figures dt {
    font-size: 0.875rem;
    color: var(--color-ink-muted);
  }
  .figures dd {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 700;
  }
  .moment {
    display: block;
  }
  .span {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: var(--space-3);
  }
  .notice-error:empty {
    display: none;
  }
`;
