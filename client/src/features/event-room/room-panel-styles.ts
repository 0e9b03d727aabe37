import { css } from 'lit';

/** The frame of a tab of the event room beside the video (questions, polls): a scrolling card and its headings. */
export const roomPanelStyles = css`
  :host {
    display: block;
    min-height: 0;
  }
  section {
    display: grid;
    align-content: start;
    gap: var(--space-4);
    height: 100%;
    overflow-y: auto;
    padding: var(--space-4);
    background: var(--color-surface-alt);
    border: 1px solid var(--color-line);
    border-radius: var(--radius-l);
    box-sizing: border-box;
  }
  h2 {
    font-size: 1.375rem;
  }
  /* Under its tab the panel's heading would repeat the tab's name: screen readers still get it, as the region's name. */
  :host([tabbed]) h2 {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  h3 {
    font-size: 1.0625rem;
  }
`;
