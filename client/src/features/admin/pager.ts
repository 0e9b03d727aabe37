import { html, nothing, type TemplateResult } from 'lit';

/** The cursors of a list paged newest first, one per page left behind, after moving `direction`. */
export function movedCursors<T>(cursors: readonly T[], direction: 'older' | 'newer', lastShown: T | undefined): T[] {
  if (direction === 'newer') return cursors.slice(0, -1);
  return lastShown === undefined ? [...cursors] : [...cursors, lastShown];
}

export interface PagerOptions {
  /** The accessible name of the navigation ("Pages of the audit log"). */
  label: string;
  /** The page shown, from 1 (the newest). */
  page: number;
  hasOlder: boolean;
  newer: string;
  older: string;
  go(direction: 'older' | 'newer'): void;
}

/** "← Newer" and "Older →" under a list paged newest first; nothing when there is a single page. */
export function pagerNav({ label, page, hasOlder, newer, older, go }: PagerOptions): TemplateResult | typeof nothing {
  if (page <= 1 && !hasOlder) return nothing;
  return html`<nav aria-label=${label}>
    <div class="actions">
      ${page > 1
        ? html`<button type="button" class="btn btn-secondary btn-small" @click=${() => go('newer')}>
            <span aria-hidden="true">←</span> ${newer}
          </button>`
        : html`<span></span>`}
      ${hasOlder
        ? html`<button type="button" class="btn btn-secondary btn-small" @click=${() => go('older')}>
            ${older} <span aria-hidden="true">→</span>
          </button>`
        : nothing}
    </div>
  </nav>`;
}
