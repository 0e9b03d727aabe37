import { Task, TaskStatus } from '@lit/task';
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { errorText } from '../i18n/error-text';
import type { Translator } from '../i18n/i18n';

/*
 * How every page (and admin panel) loads its data: one @lit/task `Task` per load, run when its arguments change and
 * aborted when the element leaves the page, and one way to show it: loading, failed (with a retry), or the data.
 *
 * On top of the task, what our pages need and a bare task does not give:
 * - quiet reloads (a timer, a reconnect): the data on screen stays while the new copy comes, and a quiet failure keeps
 *   it rather than replacing the page with an error;
 * - local changes (a broadcast, the page's own edit) applied to the data at once, and again on top of a load still on
 *   its way, whose answer may predate them (a change applied twice changes nothing, by the callers' contract).
 */

/** What a load shows now. */
export type LoadView<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

export interface PageLoadOptions<A extends readonly unknown[], T> {
  /** The arguments of the load, read at every host update: a change loads again. */
  args: () => A;
  load: (args: A, signal: AbortSignal) => Promise<T>;
}

export interface LoadViews<T> {
  loading: () => unknown;
  error: (error: unknown, retry: () => void) => unknown;
  ready: (data: T) => unknown;
}

export class PageLoad<const A extends readonly unknown[], T> implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #task: Task<A, T>;
  /** The last data loaded, with the local changes since. */
  #data: T | undefined;
  /** Changes made while the current load is on its way, to apply again to its answer. */
  #sinceLoad: Array<(data: T) => T> = [];
  /** The next run is quiet; the current one is. */
  #nextQuiet = false;
  #quiet = false;
  /** A quiet reload failed: the data stays on screen. */
  #stale = false;

  constructor(host: ReactiveControllerHost, options: PageLoadOptions<A, T>) {
    this.#host = host;
    host.addController(this);
    this.#task = new Task<A, T>(host, {
      args: options.args,
      task: async (args, { signal }) => {
        this.#quiet = this.#nextQuiet;
        this.#nextQuiet = false;
        this.#sinceLoad = [];
        const loaded = await options.load(args, signal);
        signal.throwIfAborted();
        return this.#sinceLoad.reduce<T>((data, change) => change(data), loaded);
      },
      onComplete: (data) => {
        this.#data = data;
        this.#sinceLoad = [];
        this.#stale = false;
      },
      onError: () => {
        this.#stale = this.#quiet && this.#data !== undefined;
        if (!this.#stale) this.#data = undefined;
      },
    });
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#task.abort();
  }

  get view(): LoadView<T> {
    switch (this.#task.status) {
      case TaskStatus.COMPLETE:
        return { status: 'ready', data: this.#data as T };
      case TaskStatus.ERROR:
        return this.#stale ? { status: 'ready', data: this.#data as T } : { status: 'error', error: this.#task.error };
      default:
        return this.#quiet && this.#data !== undefined ? { status: 'ready', data: this.#data } : { status: 'loading' };
    }
  }

  /** The data on screen, if any. */
  get data(): T | undefined {
    const view = this.view;
    return view.status === 'ready' ? view.data : undefined;
  }

  /** Settles when the load on its way (or the last one) has, whatever its outcome. */
  get settled(): Promise<void> {
    return this.#task.taskComplete.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Why the load failed, when the page shows the failure. */
  get error(): unknown {
    const view = this.view;
    return view.status === 'error' ? view.error : undefined;
  }

  /**
   * Loads again. Quiet: only when there is data on screen, which stays while the load runs and if it fails. Answers
   * once the load settled (never rejects).
   */
  async reload({ quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    if (quiet && this.view.status !== 'ready') return;
    this.#nextQuiet = quiet;
    await this.#task.run();
  }

  /** Changes the data on screen now, and the answer of a load still on its way. */
  update(change: (data: T) => T): void {
    if (this.#task.status === TaskStatus.PENDING) this.#sinceLoad.push(change);
    if (this.#data !== undefined) {
      this.#data = change(this.#data);
      this.#host.requestUpdate();
    }
  }

  render(views: LoadViews<T>): unknown {
    const view = this.view;
    switch (view.status) {
      case 'loading':
        return views.loading();
      case 'error':
        return views.error(view.error, () => void this.reload());
      case 'ready':
        return views.ready(view.data);
    }
  }
}

/**
 * The usual loading and failure views: "Loading…" as a status, and the failure as an alert that says what could not
 * be loaded and why, with a retry button.
 */
export function standardViews(
  i18n: Pick<Translator, 't' | 'time'>,
  { loading, failed }: { loading?: string; failed: string },
): Pick<LoadViews<never>, 'loading' | 'error'> {
  return {
    loading: (): TemplateResult => html`<p class="load-status" role="status">${loading ?? i18n.t('app.loading')}</p>`,
    error: (error, retry): TemplateResult =>
      html`<div class="notice notice-error load-failed" role="alert">
        <p>${failed} ${errorText(i18n, error)}</p>
        <button type="button" class="btn btn-small" @click=${retry}>${i18n.t('app.retry')}</button>
      </div>`,
  };
}
