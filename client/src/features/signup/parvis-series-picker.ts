import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import type { Availability } from './availability';
import { pickedIds, selectAll, toggleDate, toggleWeek, weekState, type PickerDate, type PickerWeek } from './series-picker';

/** The person changed the dates picked. */
export class DatesPickedEvent extends Event {
  static readonly eventName = 'parvis-dates-picked';
  constructor(readonly selected: ReadonlySet<string>) {
    super(DatesPickedEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * The dates of a series to pick from, grouped by week: a tick box per date with where its sign-up stands (seats free,
 * waiting list, full, closed), "the whole week", "every date" and "none", and the fair cap explained when the series
 * has one. It shows the choice it is given and says when the person changes it.
 * @fires parvis-dates-picked - the person picked or unpicked dates
 */
@customElement('parvis-series-picker')
export class ParvisSeriesPicker extends LitElement {
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      fieldset {
        margin: 0;
        padding: 0;
        border: 0;
        min-width: 0;
        display: grid;
        gap: var(--space-3);
      }
      legend {
        padding: 0;
        font-weight: 700;
        font-size: 1.0625rem;
      }
      .bulk {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--space-2) var(--space-3);
      }
      .count {
        color: var(--color-ink-muted);
      }
      .weeks {
        display: grid;
        gap: var(--space-3);
      }
      .week {
        padding: var(--space-3);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-m);
        background: var(--color-surface);
      }
      .week-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--space-2);
        margin-bottom: var(--space-2);
      }
      .week-head h3 {
        font-family: var(--font-body);
        font-size: 1rem;
      }
      ul {
        display: grid;
        gap: var(--space-2);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: flex;
        align-items: flex-start;
        gap: var(--space-2);
      }
      li input {
        margin-top: 0.3rem;
        width: 1.1rem;
        height: 1.1rem;
        flex: none;
      }
      li label {
        display: grid;
      }
      .when {
        font-weight: 600;
      }
      .state {
        font-size: 0.9375rem;
        color: var(--color-ink-muted);
      }
      .state.open {
        color: var(--color-ok);
      }
      .state.closed {
        color: var(--color-error-ink);
      }
      .this {
        font-weight: 400;
        font-style: italic;
      }
      .fair {
        font-size: 0.9375rem;
      }
    `,
  ];

  @property({ attribute: false }) weeks: readonly PickerWeek[] = [];
  @property({ attribute: false }) selected: ReadonlySet<string> = new Set();
  /** The series' zone: days and weeks as its people read them. */
  @property() zone = 'Europe/Paris';
  /** The date whose page this is ("this date"), if any. */
  @property() current: string | null = null;
  /** The series' fair cap per person per week, explained above the dates. */
  @property({ type: Number }) fairCap: number | null = null;
  /** Why the choice was refused ("pick at least one date"), shown above the dates. */
  @property() error = '';

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  #change(selected: Set<string>): void {
    this.dispatchEvent(new DatesPickedEvent(selected));
  }

  #state(a: Availability): { text: string; tone: string } {
    const { t, plural } = this.i18n;
    switch (a.kind) {
      case 'open':
        return { text: a.free === null ? t('series.state.open') : plural('series.state.free', a.free), tone: 'open' };
      case 'waitlist':
        return { text: a.waiting > 0 ? plural('series.state.waiting', a.waiting) : t('series.state.waitlist'), tone: 'waitlist' };
      case 'full':
        return { text: t('series.state.full'), tone: 'closed' };
      case 'closed':
        return { text: a.why === 'cancelled' ? t('series.state.cancelled') : t('series.state.closed'), tone: 'closed' };
    }
  }

  /** The week's Monday, in words: "lundi 4 janvier 2027". */
  #monday(week: PickerWeek): string {
    return this.i18n.day(`${week.monday}T12:00:00Z`, 'UTC');
  }

  override render(): TemplateResult {
    const { t, plural } = this.i18n;
    const count = pickedIds(this.weeks, this.selected).length;
    const describedBy = ['picker-hint', this.fairCap ? 'picker-fair' : '', this.error ? 'picker-error' : ''].filter(Boolean).join(' ');
    return html`<fieldset aria-describedby=${describedBy}>
      <legend>${t('series.pickTitle')}</legend>
      <p id="picker-hint" class="hint">${t('series.pickHint')}</p>
      ${this.fairCap ? html`<p id="picker-fair" class="notice fair">${plural('series.fairCap', this.fairCap)}</p>` : nothing}
      ${this.error ? html`<p id="picker-error" class="field-error">${this.error}</p>` : nothing}
      <div class="bulk">
        <button type="button" class="btn btn-secondary btn-small" @click=${() => this.#change(selectAll(this.weeks))}>
          ${t('series.pickAll')}
        </button>
        <button type="button" class="btn btn-secondary btn-small" @click=${() => this.#change(new Set())}>${t('series.pickNone')}</button>
        <p class="count" role="status">${plural('series.picked', count)}</p>
      </div>
      <div class="weeks">${this.weeks.map((week) => this.#renderWeek(week))}</div>
    </fieldset>`;
  }

  #renderWeek(week: PickerWeek): TemplateResult {
    const { t } = this.i18n;
    const monday = this.#monday(week);
    const pickable = week.dates.filter((d) => d.selectable).length;
    const state = weekState(week, this.selected);
    const headingId = `week-${week.key}`;
    return html`<section class="week" aria-labelledby=${headingId}>
      <div class="week-head">
        <h3 id=${headingId}>${t('series.week', { date: monday })}</h3>
        ${pickable > 1
          ? html`<button
              type="button"
              class="link-button"
              aria-label=${state === 'all'
                ? t('series.unpickWeekLabel', { date: monday })
                : t('series.pickWeekLabel', { date: monday })}
              @click=${() => this.#change(toggleWeek(this.selected, week))}
            >
              ${state === 'all' ? t('series.pickNone') : t('series.pickWeek')}
            </button>`
          : nothing}
      </div>
      <ul>
        ${week.dates.map((date) => this.#renderDate(date))}
      </ul>
    </section>`;
  }

  #renderDate({ event, availability, selectable }: PickerDate): TemplateResult {
    const { t } = this.i18n;
    const id = `pick-${event.id.replace(/[^\w-]/g, '-')}`;
    const state = this.#state(availability);
    return html`<li>
      <input
        type="checkbox"
        id=${id}
        .checked=${selectable && this.selected.has(event.id)}
        ?disabled=${!selectable}
        @change=${() => this.#change(toggleDate(this.selected, event.id))}
      />
      <label for=${id}>
        <span class="when"
          >${this.i18n.day(event.startsAt, this.zone)}, ${this.i18n.time(event.startsAt, this.zone)}–${this.i18n.time(event.endsAt, this.zone)}${event.id ===
          this.current
            ? html` <span class="this">(${t('series.thisDate')})</span>`
            : nothing}</span
        >
        <span class="state ${state.tone}">${state.text}</span>
      </label>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-series-picker': ParvisSeriesPicker;
  }
  interface HTMLElementEventMap {
    'parvis-dates-picked': DatesPickedEvent;
  }
}
