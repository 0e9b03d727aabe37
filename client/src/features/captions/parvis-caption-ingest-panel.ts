import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { ApiClient } from '../../app/api-client';
import { apiContext, i18nContext } from '../../app/contexts';
import '../../app/parvis-confirm-dialog';
import type { ParvisConfirmDialog } from '../../app/parvis-confirm-dialog';
import { baseStyles } from '../../app/shared-styles';
import { errorText } from '../../i18n/error-text';
import type { Translator } from '../../i18n/i18n';

/**
 * The URL captioning software posts to (issue 12), for an event's moderators and admins: hidden until asked for (it
 * holds a secret), copied in one click, replaced after a confirmation (the old one then stops working).
 */
@customElement('parvis-caption-ingest-panel')
export class ParvisCaptionIngestPanel extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      section {
        display: grid;
        gap: var(--space-3);
        padding: var(--space-4);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-m);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-3);
      }
      input {
        font-family: var(--font-mono, monospace);
      }
    `,
  ];

  @property() eventId = '';

  @consume({ context: apiContext })
  private api!: ApiClient;

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @state() private url: string | null = null;
  @state() private busy = false;
  @state() private message: { ok: boolean; text: string } | null = null;

  @query('parvis-confirm-dialog') private confirm!: ParvisConfirmDialog;

  async #show(): Promise<void> {
    this.busy = true;
    this.message = null;
    try {
      this.url = (await this.api.getCaptionIngest(this.eventId)).url;
    } catch (error) {
      this.message = { ok: false, text: errorText(this.i18n, error) };
    } finally {
      this.busy = false;
    }
  }

  async #copy(): Promise<void> {
    if (!this.url) return;
    const { t } = this.i18n;
    try {
      await navigator.clipboard.writeText(this.url);
      this.message = { ok: true, text: t('captions.ingest.copied') };
    } catch {
      this.message = { ok: false, text: t('captions.ingest.copyFailed') };
    }
  }

  async #rotate(): Promise<void> {
    const { t } = this.i18n;
    const confirmed = await this.confirm.ask({
      heading: t('captions.ingest.rotateHeading'),
      body: t('captions.ingest.rotateBody'),
      confirmLabel: t('captions.ingest.rotateConfirm'),
      cancelLabel: t('captions.ingest.rotateCancel'),
    });
    if (!confirmed) return;
    this.busy = true;
    this.message = null;
    try {
      this.url = (await this.api.rotateCaptionIngest(this.eventId)).url;
      this.message = { ok: true, text: t('captions.ingest.rotated') };
    } catch (error) {
      this.message = { ok: false, text: errorText(this.i18n, error) };
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const { t } = this.i18n;
    return html`<section aria-labelledby="ingest-title">
        <h2 id="ingest-title">${t('captions.ingest.title')}</h2>
        <p class="hint">${t('captions.ingest.hint')}</p>
        ${this.url
          ? html`<div class="field">
              <label for="ingest-url">${t('captions.ingest.url')}</label>
              <input id="ingest-url" type="text" readonly .value=${this.url} @focus=${(e: { target: HTMLInputElement }) => e.target.select()} />
            </div>`
          : nothing}
        <div class="actions">
          ${this.url
            ? html`<button type="button" class="btn btn-secondary" @click=${() => void this.#copy()}>${t('captions.ingest.copy')}</button>
                <button type="button" class="btn btn-secondary" ?disabled=${this.busy} @click=${() => void this.#rotate()}>
                  ${t('captions.ingest.rotate')}
                </button>`
            : html`<button type="button" class="btn btn-secondary" ?disabled=${this.busy} @click=${() => void this.#show()}>
                ${t('captions.ingest.show')}
              </button>`}
        </div>
        ${this.message
          ? html`<p class=${this.message.ok ? 'notice notice-success' : 'notice notice-error'} role=${this.message.ok ? 'status' : 'alert'}>
              ${this.message.text}
            </p>`
          : nothing}
      </section>
      <parvis-confirm-dialog></parvis-confirm-dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-caption-ingest-panel': ParvisCaptionIngestPanel;
  }
}
