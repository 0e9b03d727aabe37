import { consume } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { i18nContext } from '../../app/contexts';
import { baseStyles } from '../../app/shared-styles';
import type { StringKey, Translator } from '../../i18n/i18n';

/** The console's keys and what each does, in the order the help lists them. */
const SHORTCUTS: ReadonlyArray<{ keys: readonly string[]; what: StringKey }> = [
  { keys: ['j', 'k', '↓', '↑'], what: 'mod.shortcut.move' },
  { keys: ['a'], what: 'mod.shortcut.approve' },
  { keys: ['r'], what: 'mod.shortcut.reject' },
  { keys: ['Maj + R'], what: 'mod.shortcut.rejectReason' },
  { keys: ['l'], what: 'mod.shortcut.live' },
  { keys: ['d'], what: 'mod.shortcut.answered' },
  { keys: ['s'], what: 'mod.shortcut.star' },
  { keys: ['e'], what: 'mod.shortcut.edit' },
  { keys: ['?'], what: 'mod.shortcut.help' },
];

/**
 * The help of the console's keyboard shortcuts, in a native modal dialog: Escape or the button closes it and the focus
 * goes back where it was.
 */
@customElement('parvis-moderate-shortcuts')
export class ParvisModerateShortcuts extends LitElement {
  static override styles = [
    baseStyles,
    css`
      dialog {
        max-width: min(36rem, calc(100vw - 2rem));
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
      .body {
        display: grid;
        gap: var(--space-4);
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: var(--space-1) var(--space-2);
        border-bottom: 1px solid var(--color-line);
        vertical-align: top;
      }
      kbd {
        display: inline-block;
        min-width: 1.6em;
        padding: 0 0.35em;
        margin-right: 0.25em;
        border: 1px solid var(--color-line-strong);
        border-bottom-width: 2px;
        border-radius: 4px;
        background: var(--color-surface-alt);
        font-family: inherit;
        text-align: center;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
      }
    `,
  ];

  @consume({ context: i18nContext, subscribe: true })
  @state()
  private i18n!: Translator;

  @query('dialog') private dialog!: HTMLDialogElement;
  #returnFocus: Element | null = null;

  /** Opens the help; the focus goes back to what had it once the dialog closes. */
  async open(returnFocus: Element | null): Promise<void> {
    if (this.dialog?.open) return;
    this.#returnFocus = returnFocus;
    await this.updateComplete;
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('button')?.focus();
  }

  #onClose(): void {
    const target = this.#returnFocus;
    this.#returnFocus = null;
    if (target instanceof HTMLElement && target.isConnected) target.focus();
  }

  override render() {
    const { t } = this.i18n;
    const shift = this.i18n.lang === 'fr' ? 'Maj' : 'Shift';
    return html`
      <dialog aria-labelledby="shortcuts-title" @close=${this.#onClose}>
        <form method="dialog" class="body">
          <h2 id="shortcuts-title">${t('mod.shortcuts')}</h2>
          <p>${t('mod.shortcuts.note')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">${t('mod.shortcuts.keys')}</th>
                <th scope="col">${t('mod.shortcuts.action')}</th>
              </tr>
            </thead>
            <tbody>
              ${SHORTCUTS.map(
                (s) =>
                  html`<tr>
                    <td>${s.keys.map((k) => html`<kbd>${k.replace('Maj', shift)}</kbd>`)}</td>
                    <td>${t(s.what)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <div class="actions">
            <button type="submit" class="btn">${t('app.close')}</button>
          </div>
        </form>
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-moderate-shortcuts': ParvisModerateShortcuts;
  }
}
