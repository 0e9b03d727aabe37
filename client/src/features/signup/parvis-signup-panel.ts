import { consume } from '@lit/context';
import type { FormQuestion } from '#shared/domain/registration';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient, PublicEvent, SeriesDates } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import { PageLoad } from '../../app/page-load';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';
import { availability, canSignUp, type Availability } from './availability';
import type { DatesPickedEvent } from './parvis-series-picker';
import type { ParvisSignupForm, SignUpSubmitEvent } from './parvis-signup-form';
import { pickedIds, pickerWeeks, type PickerWeek } from './series-picker';
import { SignUpController, type SignUpOutcome } from './signup-controller';
import './parvis-series-picker';
import './parvis-signup-form';

/** Seats may have changed (a sign-up went through, or was refused as full or closed): the page loads them again. */
export class SeatsStaleEvent extends Event {
  static readonly eventName = 'parvis-seats-stale';
  constructor() {
    super(SeatsStaleEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Signing up, on an event's page and on a series' page: where sign-up stands (seats left, waiting list, full, closed),
 * the form, and once it went through, the result in words, which takes the focus. For a date of a series with several
 * dates open, and on the series' page, the form starts with the date picker and signs up for every date picked at once.
 * @fires parvis-seats-stale - after a sign-up, or a refusal that says the seats changed
 */
@customElement('parvis-signup-panel')
export class ParvisSignupPanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--space-4);
        padding: var(--space-4);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        background: var(--color-surface);
        box-shadow: var(--shadow-card);
      }
      h2 {
        font-size: 1.375rem;
      }
      .standing {
        display: grid;
        gap: var(--space-1);
      }
      .standing .lead {
        font-weight: 600;
      }
      .result {
        display: grid;
        gap: var(--space-3);
      }
      .result:focus {
        outline: 3px solid var(--color-focus);
        outline-offset: 4px;
      }
      .result h3 {
        font-size: 1.1875rem;
      }
      .result ul {
        margin: 0;
        padding-left: 1.25rem;
        display: grid;
        gap: var(--space-2);
      }
      .refusal:focus {
        outline: 3px solid var(--color-focus);
        outline-offset: 2px;
      }
    `,
  ];

  /** The event whose page this is (with its seats, when the API gave them). */
  @property({ attribute: false }) event: PublicEvent | null = null;
  /** The series and its dates, given by the series page; on an event's page the panel loads them itself. */
  @property({ attribute: false }) dates: SeriesDates | null = null;

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private selected: ReadonlySet<string> = new Set();
  /** The date of this page was picked for the person once, when the dates first came. */
  #preselected = false;

  @query('parvis-signup-form') private form!: ParvisSignupForm | null;

  readonly #signUp = new SignUpController(this, { api: () => this.api, i18n: () => this.i18n });

  // A date of a series: its other dates, to pick several at once. Without them (an older server, a network hiccup),
  // the page still signs up for this date.
  readonly #series = new PageLoad(this, {
    args: () => [this.dates ? null : (this.event?.seriesId ?? null)] as const,
    load: async ([seriesId], signal) => (seriesId ? this.api.getSeries(seriesId, signal).catch(() => null) : null),
  });

  get #seriesData(): SeriesDates | null {
    return this.dates ?? this.#series.data ?? null;
  }

  /** The series' zone: its rule's, else this event's. */
  get #zone(): string {
    return this.#seriesData?.series.recurrence?.timezone ?? this.event?.timezone ?? this.#seriesData?.events[0]?.timezone ?? 'Europe/Paris';
  }

  /** The picker's weeks, when there is a choice of dates to make; null for a single event. */
  #weeks(now: number): PickerWeek[] | null {
    const data = this.#seriesData;
    if (!data) return null;
    // This page's copy of its own event is the freshest (the live room keeps it current).
    const events = this.event ? data.events.map((e) => (e.id === this.event!.id ? { ...e, ...this.event } : e)) : data.events;
    const weeks = pickerWeeks(events, this.#zone, now);
    if (this.dates) return weeks;
    const open = weeks.flatMap((w) => w.dates).filter((d) => d.selectable);
    return open.length > 1 ? weeks : null;
  }

  override willUpdate(): void {
    // On a date's page, that date starts picked, once.
    if (!this.#preselected && this.event && this.#seriesData && canSignUp(availability(this.event, Date.now()))) {
      this.#preselected = true;
      this.selected = new Set([this.event.id]);
    }
  }

  /** The questions to ask: the event's, or those of the dates picked (one set of answers goes to each). */
  #questions(weeks: PickerWeek[] | null): readonly FormQuestion[] {
    if (!weeks) return this.event?.form ?? [];
    const picked = new Set(pickedIds(weeks, this.selected));
    const open = weeks.flatMap((w) => w.dates).filter((d) => d.selectable);
    // Before any date is picked, the questions of the dates on offer: the form does not jump once one is.
    const chosen = picked.size > 0 ? open.filter((d) => picked.has(d.event.id)) : open;
    const forms = chosen.map((d) => d.event.form ?? []);
    if (forms.length === 0) return this.#seriesData?.series.recurrence?.template.form ?? this.event?.form ?? [];
    const seen = new Map<string, FormQuestion>();
    for (const q of forms.flat()) if (!seen.has(q.id)) seen.set(q.id, q);
    return [...seen.values()];
  }

  async #onSubmit(submit: SignUpSubmitEvent, weeks: PickerWeek[] | null): Promise<void> {
    submit.stopPropagation();
    const seriesId = this.#seriesData?.series.id;
    const target =
      weeks && seriesId
        ? ({ kind: 'series', seriesId, eventIds: pickedIds(weeks, this.selected) } as const)
        : this.event
          ? ({ kind: 'event', eventId: this.event.id } as const)
          : null;
    if (!target) return;
    const result = await this.#signUp.submit(submit.values, this.#questions(weeks), target);
    if (result === 'invalid') return;
    if (result === 'done' || this.#signUp.refusedBy) {
      this.dispatchEvent(new SeatsStaleEvent());
      if (!this.dates) void this.#series.reload({ quiet: true });
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(result === 'done' ? '.result' : '.refusal')?.focus();
  }

  async #again(): Promise<void> {
    this.#signUp.again();
    this.selected = new Set();
    await this.updateComplete;
    this.form?.reset();
    this.renderRoot.querySelector<HTMLElement>('h2')?.scrollIntoView({ block: 'start' });
    this.form?.shadowRoot?.querySelector<HTMLElement>('input')?.focus();
  }

  override render(): TemplateResult {
    const { t } = this.i18n;
    const now = Date.now();
    const weeks = this.#weeks(now);
    const own = this.event ? availability(this.event, now) : null;
    const results = this.#signUp.results;
    return html`<section aria-labelledby="signup-title">
      <h2 id="signup-title">${t('signup.title')}</h2>
      ${own && !results ? this.#renderStanding(own) : nothing}
      ${results ? this.#renderResults(results) : this.#renderForm(own, weeks)}
    </section>`;
  }

  #renderStanding(a: Availability): TemplateResult {
    const { t, plural } = this.i18n;
    switch (a.kind) {
      case 'open':
        return html`<p class="standing lead">${a.free === null ? t('signup.seatsLimited') : plural('signup.seatsLeft', a.free)}</p>`;
      case 'waitlist':
        return html`<div class="standing notice notice-warning">
          <p class="lead">${t('signup.full.waitlist')}</p>
          ${a.waiting > 0 ? html`<p>${plural('signup.waiting', a.waiting)}</p>` : nothing}
        </div>`;
      case 'full':
        return html`<p class="standing notice notice-warning lead">${t('signup.full.noWaitlist')}</p>`;
      case 'closed':
        return html`<p class="standing notice lead">
          ${a.why === 'cancelled' ? t('signup.closed.cancelled') : a.why === 'started' ? t('signup.closed.started') : t('signup.closed.ended')}
        </p>`;
    }
  }

  #renderForm(own: Availability | null, weeks: PickerWeek[] | null): TemplateResult | typeof nothing {
    const { t, plural } = this.i18n;
    // A single event that takes no sign-up says why above, and has no form to show.
    if (!weeks && !(own && canSignUp(own))) return nothing;
    if (weeks && weeks.length === 0) return html`<p>${t('series.noDates')}</p>`;
    const picked = weeks ? pickedIds(weeks, this.selected).length : 0;
    const submitLabel = weeks
      ? picked > 0
        ? plural('signup.submitDates', picked)
        : t('signup.submit')
      : own?.kind === 'waitlist'
        ? t('signup.submitWaitlist')
        : t('signup.submit');
    const datesError = this.#signUp.errors.eventIds;
    return html`${this.#signUp.refusal
        ? html`<p class="notice notice-error refusal" role="alert" tabindex="-1">${this.#signUp.refusal}</p>`
        : nothing}
      <parvis-signup-form
        .questions=${this.#questions(weeks)}
        questionsLang=${this.event?.language ?? ''}
        .errors=${this.#signUp.errors}
        ?busy=${this.#signUp.sending}
        submitLabel=${submitLabel}
        .retentionDays=${this.event?.retentionDays ?? this.#seriesData?.retentionDays ?? null}
        @parvis-signup-submit=${(e: SignUpSubmitEvent) => void this.#onSubmit(e, weeks)}
      >
        ${weeks
          ? html`<parvis-series-picker
              slot="dates"
              .weeks=${weeks}
              .selected=${this.selected}
              zone=${this.#zone}
              .current=${this.event?.id ?? null}
              .fairCap=${this.#seriesData?.series.fairCapPerWeek ?? null}
              error=${datesError ? ('key' in datesError ? t(datesError.key, datesError.params) : datesError.text) : ''}
              @parvis-dates-picked=${(e: DatesPickedEvent) => (this.selected = e.selected)}
            ></parvis-series-picker>`
          : nothing}
      </parvis-signup-form>`;
  }

  #eventOf(eventId: string): PublicEvent | undefined {
    return this.event?.id === eventId ? this.event : this.#seriesData?.events.find((e) => e.id === eventId);
  }

  /** One outcome in words: a sentence for a single event, a few words on a date's line. */
  #outcomeText(outcome: SignUpOutcome, single: boolean): string {
    const { t } = this.i18n;
    const r = outcome.registration;
    const zone = this.#eventOf(outcome.eventId)?.timezone ?? this.#zone;
    if (!r) return t('signup.status.full');
    switch (r.status) {
      case 'confirmed':
        return single ? t('signup.result.confirmed') : t('signup.status.confirmed');
      case 'waitlisted': {
        const position = r.position ?? '?';
        return single
          ? `${t('signup.result.waitlisted', { position })} ${t('signup.result.waitlistedHint')}`
          : t('signup.status.waitlisted', { position });
      }
      case 'offered': {
        const deadline = r.offerExpiresAt ? this.i18n.shortDateTime(r.offerExpiresAt, zone) : '';
        return single ? t('signup.result.offered', { deadline }) : t('signup.status.offered', { deadline });
      }
      default:
        return single ? t('signup.result.ended') : t(`signup.status.${r.status}`);
    }
  }

  #renderResults(results: readonly SignUpOutcome[]): TemplateResult {
    const { t } = this.i18n;
    const single = results.length === 1 && !this.dates && !this.#weeks(Date.now());
    const waitlisted = results.some((r) => r.registration?.status === 'waitlisted');
    return html`<div class="result notice notice-success" tabindex="-1" aria-labelledby="signup-result-title">
      <h3 id="signup-result-title">${single ? t('signup.result.title') : t('series.results')}</h3>
      ${single && !results[0]!.created ? html`<p>${t('signup.result.already')}</p>` : nothing}
      ${single
        ? html`<p>${this.#outcomeText(results[0]!, true)}</p>`
        : html`<ul>
            ${results.map((outcome) => {
              const event = this.#eventOf(outcome.eventId);
              const zone = event?.timezone ?? this.#zone;
              const when = event ? `${this.i18n.day(event.startsAt, zone)}, ${this.i18n.time(event.startsAt, zone)}` : outcome.eventId;
              return html`<li>${t('series.resultLine', { date: when, status: this.#outcomeText(outcome, false) })}</li>`;
            })}
          </ul>
          ${waitlisted ? html`<p>${t('signup.result.waitlistedHint')}</p>` : nothing}`}
      <p>${t('signup.result.email', { email: this.#signUp.email })}</p>
      <div><button type="button" class="btn btn-secondary btn-small" @click=${() => void this.#again()}>${t('signup.again')}</button></div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-signup-panel': ParvisSignupPanel;
  }
  interface HTMLElementEventMap {
    'parvis-seats-stale': SeatsStaleEvent;
  }
}
