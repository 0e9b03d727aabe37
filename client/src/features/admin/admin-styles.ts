import { css } from 'lit';

/** Layout shared by the admin pages: headings, sections, tables, fieldsets. */
export const adminStyles = css`
  :host {
    display: grid;
    gap: var(--space-5);
    align-content: start;
  }
  h1 {
    font-size: clamp(1.75rem, 4vw, 2.25rem);
  }
  h2 {
    font-size: 1.375rem;
  }
  .page-head {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    justify-content: space-between;
    gap: var(--space-3);
  }
  .lede {
    color: var(--color-ink-muted);
    max-width: 48rem;
  }
  section {
    display: grid;
    gap: var(--space-3);
    align-content: start;
  }
  .panel {
    padding: var(--space-4);
    background: var(--color-surface);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-l);
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--color-line);
    border-radius: var(--radius-m);
    background: var(--color-surface);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  caption {
    text-align: left;
    padding: var(--space-2) var(--space-3);
    font-weight: 600;
    color: var(--color-ink-muted);
  }
  th,
  td {
    padding: var(--space-2) var(--space-3);
    text-align: left;
    vertical-align: top;
    border-top: 1px solid var(--color-line);
  }
  thead th {
    font-size: 0.875rem;
    background: var(--color-surface-alt);
  }
  tbody th {
    font-weight: 600;
    min-width: 10rem;
  }
  td .actions {
    flex-wrap: nowrap;
  }
  /* An empty status line takes no room, yet stays in the page so that what it says later is announced. */
  p[role='status']:empty {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
  td.nowrap,
  th.nowrap {
    white-space: nowrap;
  }
  fieldset {
    display: grid;
    gap: var(--space-3);
    margin: 0;
    padding: var(--space-3) var(--space-4) var(--space-4);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-m);
    background: var(--color-surface);
    min-width: 0;
  }
  legend {
    padding: 0 var(--space-2);
    font-weight: 700;
    font-family: var(--font-display);
    font-size: 1.125rem;
  }
  .choices {
    display: grid;
    gap: var(--space-2);
  }
  .choice {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 var(--space-2);
    align-items: start;
  }
  .choice input {
    margin-top: 0.3rem;
    width: 1.1rem;
    height: 1.1rem;
  }
  .choice label {
    font-weight: 600;
  }
  .choice .hint {
    grid-column: 2;
  }
  .required {
    font-weight: 400;
    color: var(--color-ink-muted);
    font-size: 0.875rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--space-2);
    align-items: center;
  }
  .empty {
    color: var(--color-ink-muted);
  }
  .muted {
    color: var(--color-ink-muted);
  }
  form {
    display: grid;
    gap: var(--space-4);
  }
  .narrow {
    max-width: 30rem;
  }
`;
