import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { baseStyles } from './shared-styles';

export interface ConfirmOptions {
  heading: string;
  body: string;
  /** What the confirming button does, in words: "Annuler l'événement", never "OK". */
  confirmLabel: string;
  /** What the other button keeps: "Garder l'événement". */
  cancelLabel: string;
  /** The confirming button looks destructive. */
  danger?: boolean;
}

/** The deepest focused element, through open shadow roots: what to give the focus back to. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * A modal question before something that cannot be taken back (cancel, delete, revoke). A native `<dialog>`: the page
 * behind is inert, Escape answers no, and the focus starts on the safe answer and goes back where it was after.
 * Containers call `ask()`, the way one calls `showModal()` on a dialog.
 */
@customElement('parvis-confirm-dialog')
export class ParvisConfirmDialog extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dialog {
        max-width: min(34rem, calc(100vw - 2rem));
        padding: var(--space-5);
        border: 1px solid var(--color-line);
        border-radius: var(--radius-l);
        background: var(--color-surface);
        color: var(--color-ink);
        box-shadow: 0 10px 40px rgb(31 26 20 / 0.3);
      }
      dialog::backdrop {
        background: rgb(31 26 20 / 0.45);
      }
      form {
        display: grid;
        gap: var(--space-4);
      }
      h2 {
        font-size: 1.375rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: var(--space-2);
      }
    `,
  ];

  @state() private options: ConfirmOptions | null = null;
  @query('dialog') private dialog!: HTMLDialogElement;

  #resolve: ((confirmed: boolean) => void) | null = null;
  #returnFocus: HTMLElement | null = null;

  /** Opens the dialog; answers true when the person confirms, false when they decline or press Escape. */
  async ask(options: ConfirmOptions): Promise<boolean> {
    this.#resolve?.(false);
    this.#returnFocus = deepActiveElement();
    this.options = options;
    await this.updateComplete;
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button[value="cancel"]')?.focus();
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  #onClose(): void {
    const confirmed = this.dialog.returnValue === 'confirm';
    this.dialog.returnValue = '';
    const resolve = this.#resolve;
    this.#resolve = null;
    const target = this.#returnFocus;
    this.#returnFocus = null;
    // Back to the button that opened it, if it is still there (a deleted row's button is not).
    if (target?.isConnected) target.focus();
    resolve?.(confirmed);
  }

  override render() {
    const o = this.options;
    return html`
      <dialog aria-labelledby="confirm-heading" aria-describedby="confirm-body" @close=${this.#onClose}>
        <form method="dialog">
          <h2 id="confirm-heading">${o?.heading ?? ''}</h2>
          <p id="confirm-body">${o?.body ?? ''}</p>
          <div class="actions">
            <button type="submit" class="btn btn-secondary" value="cancel">${o?.cancelLabel ?? ''}</button>
            <button type="submit" class="btn ${o?.danger ? 'btn-danger' : ''}" value="confirm">${o?.confirmLabel ?? ''}</button>
          </div>
        </form>
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-confirm-dialog': ParvisConfirmDialog;
  }
}
