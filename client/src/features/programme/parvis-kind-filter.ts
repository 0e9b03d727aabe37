import { consume } from '@lit/context';
import type { EventKind } from '#shared/domain/event';
import { EVENT_KINDS, isEventKind } from '#shared/domain/event-rules';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { Translator } from '../../i18n/i18n';

/** The person picked another kind of event (`null`: all kinds). */
export class KindChangeEvent extends Event {
  static readonly eventName = 'parvis-kind-change';
  constructor(readonly kind: EventKind | null) {
    super(KindChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * A labelled select of event kinds.
 * @fires parvis-kind-change - when the person picks a kind
 */
@customElement('parvis-kind-filter')
export class ParvisKindFilter extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .field {
        max-width: 20rem;
      }
    `,
  ];

  /** The kind shown, or null for all. */
  @property({ attribute: false }) kind: EventKind | null = null;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  #onChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.dispatchEvent(new KindChangeEvent(isEventKind(value) ? value : null));
  }

  override render() {
    const { t } = this.i18n;
    return html`
      <div class="field">
        <label for="kind">${t('programme.filterLabel')}</label>
        <select id="kind" @change=${this.#onChange}>
          <option value="" ?selected=${this.kind === null}>${t('kind.all')}</option>
          ${EVENT_KINDS.map(
            (kind) => html`<option value=${kind} ?selected=${this.kind === kind}>${t(`kind.${kind}`)}</option>`,
          )}
        </select>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-kind-filter': ParvisKindFilter;
  }
  interface HTMLElementEventMap {
    'parvis-kind-change': KindChangeEvent;
  }
}
