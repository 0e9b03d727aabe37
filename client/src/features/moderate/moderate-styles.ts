import { css } from 'lit';

/** The look shared by the console's panels: a card per panel, compact lists, action rows, inline forms. */
export const panelStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .panel {
    display: grid;
    align-content: start;
    gap: var(--space-3);
    padding: var(--space-4);
    background: var(--color-surface-alt);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-l);
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.0625rem;
  }
  ul.items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--space-2);
  }
  .item {
    display: grid;
    gap: var(--space-2);
    padding: var(--space-3);
    background: var(--color-surface);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-s);
    overflow-wrap: anywhere;
  }
  .item[aria-busy='true'] {
    opacity: 0.7;
  }
  .text {
    white-space: pre-line;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--space-3);
    font-size: 0.875rem;
    color: var(--color-ink-muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--space-1) var(--space-2);
  }
  .actions .btn {
    min-height: 2.25rem;
    padding: var(--space-1) var(--space-3);
    font-size: 0.9375rem;
  }
  .btn[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.7;
  }
  .empty {
    color: var(--color-ink-muted);
  }
  .error {
    color: var(--color-error-ink);
    font-weight: 600;
  }
  .done {
    color: var(--color-ok);
    font-size: 0.875rem;
  }
  .working {
    font-size: 0.875rem;
    color: var(--color-ink-muted);
  }
  .inline-form {
    display: grid;
    gap: var(--space-2);
    padding: var(--space-3);
    border: 1px dashed var(--color-line-strong);
    border-radius: var(--radius-s);
    background: var(--color-surface);
  }
  .check {
    display: flex;
    align-items: center;
    gap: var(--space-2);
  }
  .check input {
    width: auto;
    margin: 0;
  }
  textarea {
    resize: vertical;
  }
  fieldset {
    margin: 0;
    padding: var(--space-2) var(--space-3);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-s);
    display: grid;
    gap: var(--space-1);
  }
  legend {
    font-weight: 600;
    padding: 0 var(--space-1);
  }
`;
