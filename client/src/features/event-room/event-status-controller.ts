import type { Event } from '#shared/domain/event';
import type { ReactiveControllerHost } from 'lit';
import { ApiError, type ApiClient } from '../../app/api-client';
import type { ConfirmOptions } from '../../app/parvis-confirm-dialog';
import type { Translator } from '../../i18n/i18n';
import { errorText } from '../../i18n/error-text';
import type { StatusChangeRequestEvent } from './parvis-moderator-tools';

/** What the controller reads from its host when it needs it: the host's services come from context, after construction. */
export interface EventStatusSources {
  /** The event as the host knows it: the room's copy, or the one it fetched over HTTP; null before either. */
  event(): Event | null;
  api(): Pick<ApiClient, 'setEventStatus'>;
  i18n(): Translator;
  /** The host's `<parvis-confirm-dialog>`, asked before ending the event. */
  confirm(): { ask(options: ConfirmOptions): Promise<boolean> };
}

/**
 * Changes the status of an event for a host that shows `<parvis-moderator-tools>`: asks before ending, calls the
 * status route, and holds what the tools show meanwhile (busy, the error or the success message). It also holds the
 * event as the route answered it, so the new status shows at once, even while the room's broadcast is on its way.
 *
 * Bind it as `?busy=${c.busy} .error=${c.error} .message=${c.message} @parvis-status-change-request=${c.onRequest}`,
 * and show `c.event` wherever the host shows the event.
 *
 * It has no lifecycle of its own (a request in flight is let finish, as the pages did), so it only asks its host to
 * render; it is not added with `addController`.
 */
export class EventStatusController {
  readonly #host: ReactiveControllerHost;
  readonly #sources: EventStatusSources;
  #busy = false;
  #error = '';
  #message = '';
  /** The event as the status route answered it, until the room hears of the change. */
  #changed: Event | null = null;

  constructor(host: ReactiveControllerHost, sources: EventStatusSources) {
    this.#host = host;
    this.#sources = sources;
  }

  /** A request is in flight: the tools' buttons wait. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Why the last request failed, in words; empty otherwise. */
  get error(): string {
    return this.#error;
  }

  /** What the last request changed, in words; empty otherwise. */
  get message(): string {
    return this.#message;
  }

  /** The freshest copy of the event: the host's, unless a status just changed here and the host has not heard yet. */
  get event(): Event | null {
    const event = this.#sources.event();
    const changed = this.#changed;
    // A cancellation from elsewhere outranks our change: the host's copy then stands.
    return event && changed && changed.id === event.id && changed.status !== event.status && event.status !== 'cancelled'
      ? changed
      : event;
  }

  /** The listener for `parvis-status-change-request` (an arrow: Lit would call a method with the host as `this`). */
  readonly onRequest = (request: StatusChangeRequestEvent): void => {
    request.stopPropagation();
    void this.change(request.status);
  };

  /** Puts the event live, or ends it once the person confirms; one change at a time. */
  async change(status: 'live' | 'ended'): Promise<void> {
    const event = this.event;
    if (!event || this.#busy) return;
    const { t } = this.#sources.i18n();
    if (status === 'ended') {
      const confirmed = await this.#sources.confirm().ask({
        heading: t('moderation.endTitle'),
        body: t('moderation.endBody'),
        confirmLabel: t('moderation.end'),
        cancelLabel: t('moderation.keepLive'),
        danger: true,
      });
      if (!confirmed) return;
    }
    this.#busy = true;
    this.#error = '';
    this.#message = '';
    this.#host.requestUpdate();
    try {
      this.#changed = await this.#sources.api().setEventStatus(event.id, status);
      this.#message = status === 'live' ? t('moderation.nowLive') : t('moderation.nowEnded');
    } catch (error) {
      this.#error =
        error instanceof ApiError && error.code === 'FORBIDDEN'
          ? t('moderation.forbidden')
          : t('moderation.failed', { message: errorText(this.#sources.i18n(), error) });
    } finally {
      this.#busy = false;
      this.#host.requestUpdate();
    }
  }
}
