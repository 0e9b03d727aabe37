import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** Placeholder until the page lands (issue 5). */
@customElement('parvis-stage-page')
export class ParvisStagePage extends LitElement {
  @property() eventId = '';

  override render() {
    return html`<p>${this.eventId}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-stage-page': ParvisStagePage;
  }
}
