import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type uPlot from 'uplot';
import type { FiguresMarker, ViewerSample } from '#shared/protocol/figures';
import { baseStyles } from '../../app/shared-styles';

/** Colours of the chart, readable on the page's paper (the same as the theme's brand and ink). */
const LINE = '#7a2e1e';
const QUESTION = '#1f5f8b';
const POLL = '#5b6b2a';

/**
 * Viewers over time, drawn with uPlot, with a vertical line at each marker (a question on air, solid; a poll opened,
 * dashed). uPlot is imported when the element first draws, so only the figures pages load it. The canvas is an image
 * for assistive technologies, named by `label`: the page gives the same figures as a table, its text alternative.
 */
@customElement('parvis-viewers-chart')
export class ParvisViewersChart extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        min-height: 16rem;
      }
      .plot {
        width: 100%;
      }
      .key {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-1) var(--space-4);
        margin: var(--space-2) 0 0;
        padding: 0;
        list-style: none;
        font-size: 0.875rem;
      }
      .swatch {
        display: inline-block;
        width: 1.5rem;
        margin-right: var(--space-1);
        vertical-align: middle;
        border-top: 3px solid;
      }
    `,
  ];

  @property({ attribute: false }) samples: readonly ViewerSample[] = [];
  @property({ attribute: false }) markers: readonly FiguresMarker[] = [];
  /** The chart's accessible name (what it shows, and where the table is). */
  @property() label = '';
  /** Names of the series and the markers, in the page's language. */
  @property({ attribute: false }) names = { viewers: 'Viewers', question: 'Question on air', poll: 'Poll opened' };
  /** The chart library could not be loaded: the table still says everything. */
  @state() private failed = false;

  #plot: uPlot | null = null;
  #resize: ResizeObserver | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    this.#resize = null;
    this.#plot?.destroy();
    this.#plot = null;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('samples') || changed.has('markers') || changed.has('names')) void this.#draw();
  }

  async #draw(): Promise<void> {
    let UPlot: typeof uPlot;
    let styles: string;
    try {
      [{ default: UPlot }, { default: styles }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css?inline')]);
    } catch {
      this.failed = true;
      return;
    }
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target || !this.isConnected) return;
    if (!this.renderRoot.querySelector('style[data-uplot]')) {
      const style = document.createElement('style');
      style.dataset.uplot = '';
      style.textContent = styles;
      this.renderRoot.prepend(style);
    }
    this.#plot?.destroy();
    const markers = this.markers.map((m) => ({ x: Date.parse(m.at) / 1000, poll: m.type === 'poll-open' }));
    const drawMarkers = (u: uPlot) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.lineWidth = 2 * devicePixelRatio;
      for (const m of markers) {
        const x = Math.round(u.valToPos(m.x, 'x', true));
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
        ctx.strokeStyle = m.poll ? POLL : QUESTION;
        ctx.setLineDash(m.poll ? [6 * devicePixelRatio, 4 * devicePixelRatio] : []);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
      }
      ctx.restore();
    };
    const data: uPlot.AlignedData = [this.samples.map((s) => Date.parse(s.at) / 1000), this.samples.map((s) => s.viewers)];
    this.#plot = new UPlot(
      {
        width: Math.max(280, target.clientWidth || 600),
        height: 260,
        series: [{}, { label: this.names.viewers, stroke: LINE, width: 2, fill: 'rgba(122, 46, 30, 0.08)' }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
        axes: [{}, { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) }],
        legend: { show: false },
        hooks: { draw: [drawMarkers] },
      },
      data,
      target,
    );
    this.#resize ??= new ResizeObserver(() => {
      const width = this.renderRoot.querySelector<HTMLElement>('.plot')?.clientWidth;
      if (width && this.#plot) this.#plot.setSize({ width: Math.max(280, width), height: 260 });
    });
    this.#resize.observe(target);
  }

  override render() {
    return html`<div class="plot" role="img" aria-label=${this.label}></div>
      ${this.failed
        ? ''
        : html`<ul class="key" aria-hidden="true">
            <li><span class="swatch" style="border-color:${LINE}"></span>${this.names.viewers}</li>
            <li><span class="swatch" style="border-color:${QUESTION}"></span>${this.names.question}</li>
            <li><span class="swatch" style="border-color:${POLL};border-top-style:dashed"></span>${this.names.poll}</li>
          </ul>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parvis-viewers-chart': ParvisViewersChart;
  }
}
