import type { Event } from '#shared/domain/event';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RealtimeTransport } from '../../realtime/realtime-client';

export interface ProgrammeFeedHandlers {
  updated(event: Event): void;
  deleted(eventId: string): void;
  /** The connection came back: broadcasts sent meanwhile are lost, read the programme again. */
  resync(): void;
}

/**
 * Follows the changes to the programme the server broadcasts to every socket (`event:updated`, `event:deleted`) while
 * its host is in the document, so that a cancellation shows at once without a reload. Listening is read-only: no room
 * to join.
 */
export class ProgrammeFeedController implements ReactiveController {
  readonly #handlers: ProgrammeFeedHandlers;
  #transport: RealtimeTransport | undefined;
  #off: Array<() => void> = [];
  #connected = false;

  constructor(host: ReactiveControllerHost, handlers: ProgrammeFeedHandlers) {
    this.#handlers = handlers;
    host.addController(this);
  }

  /** Points the controller at the connection from context; call it whenever that may change. */
  use(transport: RealtimeTransport | undefined): void {
    if (transport === this.#transport) return;
    this.#stop();
    this.#transport = transport;
    if (this.#connected) this.#start();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#start();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stop();
  }

  #start(): void {
    const t = this.#transport;
    if (!t || this.#off.length > 0) return;
    let wasConnected = t.status === 'connected';
    this.#off = [
      t.on('event:updated', ({ event }) => this.#handlers.updated(event)),
      t.on('event:deleted', ({ eventId }) => this.#handlers.deleted(eventId)),
      t.onStatus((status) => {
        if (status === 'connected' && !wasConnected) this.#handlers.resync();
        wasConnected = status === 'connected';
      }),
    ];
    t.ensureConnected();
  }

  #stop(): void {
    for (const off of this.#off) off();
    this.#off = [];
  }
}
