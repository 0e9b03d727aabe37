import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RealtimeTransport } from '../../realtime/realtime-client';
import { EventRoom, type RoomState } from './event-room';

/**
 * Keeps its host in the live room of one event while the host is in the document: joins on connect, leaves on
 * disconnect, and re-renders the host on every change of the room's state.
 */
export class EventRoomController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #room: EventRoom | null = null;
  #unsubscribe: (() => void) | null = null;
  #connected = false;
  #transport: RealtimeTransport | undefined;
  #eventId: string | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get room(): EventRoom | null {
    return this.#room;
  }

  get state(): RoomState | null {
    return this.#room?.state ?? null;
  }

  /** Points the controller at an event; call it whenever the transport (from context) or the event id may change. */
  use(transport: RealtimeTransport | undefined, eventId: string | undefined): void {
    if (transport === this.#transport && eventId === this.#eventId) return;
    this.#transport = transport;
    this.#eventId = eventId;
    this.#stop();
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
    if (this.#room || !this.#transport || !this.#eventId) return;
    const room = new EventRoom(this.#transport, this.#eventId);
    this.#room = room;
    this.#unsubscribe = room.subscribe(() => this.#host.requestUpdate());
    room.open();
    this.#host.requestUpdate();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#room?.close();
    this.#room = null;
  }
}
