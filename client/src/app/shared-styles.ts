import { css } from 'lit';

/** Base rules every element adopts: box model, focus ring, links, buttons, form fields, visually hidden text. */
export const baseStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }

  h1,
  h2,
  h3 {
    font-family: var(--font-display);
    line-height: 1.2;
    margin: 0;
    color: var(--color-ink);
    text-wrap: balance;
  }
  p {
    margin: 0;
  }

  a {
    color: var(--color-link);
    text-underline-offset: 0.18em;
  }
  a:hover {
    text-decoration-thickness: 2px;
  }

  :focus-visible {
    outline: 3px solid var(--color-focus);
    outline-offset: 2px;
    border-radius: 2px;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }

  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--space-2);
    min-height: 2.75rem;
    padding: var(--space-2) var(--space-4);
    border: 2px solid var(--color-brand);
    border-radius: var(--radius-s);
    background: var(--color-brand);
    color: var(--color-brand-ink);
    font-weight: 600;
    line-height: 1.2;
    text-decoration: none;
    cursor: pointer;
  }
  .btn:hover {
    background: #5f2317;
    border-color: #5f2317;
  }
  .btn[disabled] {
    cursor: not-allowed;
    opacity: 0.75;
  }
  .btn-secondary {
    background: var(--color-surface);
    color: var(--color-brand);
  }
  .btn-secondary:hover {
    background: var(--color-brand-soft);
    color: #5f2317;
  }
  .btn-small {
    min-height: 2.25rem;
    padding: var(--space-1) var(--space-3);
    font-size: 0.9375rem;
  }

  .field {
    display: grid;
    gap: var(--space-1);
  }
  .field label {
    font-weight: 600;
  }
  .hint {
    color: var(--color-ink-muted);
    font-size: 0.875rem;
  }
  input[type='text'],
  input[type='email'],
  input[type='password'],
  input[type='url'],
  input[type='number'],
  input[type='datetime-local'],
  textarea,
  select {
    width: 100%;
    min-height: 2.75rem;
    padding: var(--space-2) var(--space-3);
    border: 2px solid var(--color-line-strong);
    border-radius: var(--radius-s);
    background: var(--color-surface);
  }
  input[type='text']:focus-visible,
  input[type='email']:focus-visible,
  input[type='password']:focus-visible,
  input[type='url']:focus-visible,
  input[type='number']:focus-visible,
  input[type='datetime-local']:focus-visible,
  textarea:focus-visible,
  select:focus-visible {
    border-color: var(--color-focus);
    outline-offset: 0;
  }

  .notice {
    padding: var(--space-3) var(--space-4);
    border-radius: var(--radius-m);
    background: var(--color-surface-alt);
    border: 1px solid var(--color-line);
  }
  .notice-error {
    background: var(--color-error-bg);
    color: var(--color-error-ink);
    border-color: #e9b3ad;
  }
  .notice-success {
    background: #e6f2ec;
    color: var(--color-ok);
    border-color: #a9cdbb;
  }
  .notice-warning {
    background: var(--color-warning-bg);
    color: var(--color-warning-ink);
    border-color: #e8cf8a;
  }

  /* A page's data on its way, and a load that failed (app/page-load.ts). */
  .load-status {
    color: var(--color-ink-muted);
  }
  .load-failed {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--space-3);
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.15em 0.6em;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 700;
    letter-spacing: 0.02em;
    line-height: 1.4;
    background: var(--color-surface-alt);
    color: var(--color-ink);
    border: 1px solid var(--color-line);
  }
  .badge-live {
    background: var(--color-live);
    color: var(--color-live-ink);
    border-color: var(--color-live);
    text-transform: uppercase;
  }
  .badge-live::before {
    content: '';
    width: 0.5em;
    height: 0.5em;
    border-radius: 50%;
    background: currentColor;
  }
  .btn-danger {
    background: var(--color-error-ink);
    border-color: var(--color-error-ink);
    color: #ffffff;
  }
  .btn-danger:hover {
    background: #6b150e;
    border-color: #6b150e;
  }
  .link-button {
    padding: var(--space-1);
    border: 0;
    background: none;
    color: var(--color-link);
    text-decoration: underline;
    text-underline-offset: 0.18em;
    cursor: pointer;
  }
  .field-error {
    color: var(--color-error-ink);
    font-weight: 600;
  }
  [aria-invalid='true'] {
    border-color: var(--color-error-ink) !important;
  }
  .badge-cancelled {
    background: var(--color-error-bg);
    color: var(--color-error-ink);
    border-color: #e9b3ad;
  }
`;
