import type { Reaction } from '#shared/domain/moderation';
import { REACTIONS } from '#shared/domain/reactions';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { addCounts, spritesForBurst, type ReactionCounts } from './reaction-sprites';

/** How long one floating emoji takes to rise and fade. */
const FLOAT_MS = 2_600;
/** With reduced motion, the counter stays this long after the last burst. */
const COUNTER_MS = 3_000;

interface Sprite {
  id: number;
  reaction: Reaction;
  /** Horizontal start, in % of the width. */
  x: number;
  /** Sideways drift over the rise, in px. */
  drift: number;
  delay: number;
}

/**
 * The room's reactions over the video: each burst floats a few emojis up the side of the player (a dozen at most,
 * however many people clicked, and never more than a few dozen on screen). With `prefers-reduced-motion`, a small
 * still counter of the last seconds' reactions instead. Decoration only: hidden from assistive technology, and it
 * never takes a click.
 */
@customElement('parvis-reactions-overlay')
export class ParvisReactionsOverlay extends LitElement {
  static override styles = css`
    :host {
      position: absolute;
      inset: 0;
      overflow: hidden;
      pointer-events: none;
      z-index: 1;
    }
    .sprite {
      position: absolute;
      bottom: 3rem;
      font-size: 1.75rem;
      line-height: 1;
      opacity: 0;
      animation: rise ${FLOAT_MS}ms ease-out forwards;
      will-change: transform, opacity;
    }
    @keyframes rise {
      0% {
        opacity: 0;
        transform: translate(0, 0) scale(0.6);
      }
      12% {
        opacity: 1;
        transform: translate(calc(var(--drift) * 0.2), -1.5rem) scale(1);
      }
      100% {
        opacity: 0;
        transform: translate(var(--drift), -12rem) scale(1.1);
      }
    }
    .counter {
      position: absolute;
      right: var(--space-3, 0.75rem);
      bottom: 3.25rem;
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      max-width: 60%;
      justify-content: flex-end;
    }
    .counter span {
      padding: 0.15rem 0.5rem;
      border-radius: 999px;
      background: rgb(0 0 0 / 0.65);
      color: #fff;
      font-size: 0.9375rem;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    @media (prefers-reduced-motion: reduce) {
      .sprite {
        display: none;
      }
    }
  `;

  /** The last burst of the room, numbered so each is shown once. */
  @property({ attribute: false }) burst: { readonly seq: number; readonly counts: ReactionCounts } | null = null;

  @state() private sprites: readonly Sprite[] = [];
  @state() private totals: ReactionCounts = {};

  #nextId = 0;
  #lastSeq = 0;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #counterTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('aria-hidden', 'true');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    clearTimeout(this.#counterTimer);
    this.sprites = [];
    this.totals = {};
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const burst = this.burst;
    if (!changed.has('burst') || !burst || burst.seq === this.#lastSeq) return;
    this.#lastSeq = burst.seq;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) this.#count(burst.counts);
    else this.#float(burst.counts);
  }

  #float(counts: ReactionCounts): void {
    const fresh = spritesForBurst(counts, this.sprites.length).map((reaction) => ({
      id: ++this.#nextId,
      reaction,
      x: 62 + Math.random() * 32,
      drift: Math.round((Math.random() - 0.5) * 80),
      delay: Math.round(Math.random() * 240),
    }));
    if (fresh.length === 0) return;
    this.sprites = [...this.sprites, ...fresh];
    const ids = new Set(fresh.map((s) => s.id));
    // A timer rather than `animationend`: it also clears sprites whose animation never ran (a hidden tab).
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.sprites = this.sprites.filter((s) => !ids.has(s.id));
    }, FLOAT_MS + 300);
    this.#timers.add(timer);
  }

  #count(counts: ReactionCounts): void {
    this.totals = addCounts(this.totals, counts);
    clearTimeout(this.#counterTimer);
    this.#counterTimer = setTimeout(() => (this.totals = {}), COUNTER_MS);
  }

  override render() {
    const totals = REACTIONS.filter((r) => (this.totals[r] ?? 0) > 0);
    return html`${repeat(
        this.sprites,
        (s) => s.id,
        (s) =>
          html`<span
            class="sprite"
            style=${styleMap({ left: `${s.x}%`, '--drift': `${s.drift}px`, animationDelay: `${s.delay}ms` })}
            >${s.reaction}</span
          >`,
      )}
      ${totals.length > 0
        ? html`<div class="counter">${totals.map((r) => html`<span>${r} ${this.totals[r]}</span>`)}</div>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-reactions-overlay': ParvisReactionsOverlay;
  }
}
