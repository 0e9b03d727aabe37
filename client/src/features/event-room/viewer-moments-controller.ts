import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { systemClock, type Clock } from '../../app/clock';
import { ViewerClock, type ProgramDateSource } from '../../player/stream-clock';
import type { RoomState } from './event-room';
import { ViewerMoments } from './viewer-moments';

/**
 * Binds {@link ViewerMoments} to an element: the room as the viewer's own video has reached it, re-rendering the host
 * when a moment held back comes due, and forgetting its waits when the host leaves the document.
 */
export class ViewerMomentsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #clock: ViewerClock;
  readonly #realClock: Clock;
  #moments: ViewerMoments;

  constructor(host: ReactiveControllerHost, programDate: ProgramDateSource, clock: Clock = systemClock) {
    this.#host = host;
    this.#realClock = clock;
    this.#clock = new ViewerClock(programDate, clock);
    this.#moments = this.#make();
    host.addController(this);
  }

  /** The viewer's clock: how far behind the room their picture is. */
  get clock(): ViewerClock {
    return this.#clock;
  }

  /** `state` as this viewer should see it now. */
  view(state: RoomState): RoomState {
    return this.#moments.view(state);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#moments.dispose();
    this.#clock.dispose();
    this.#moments = this.#make();
  }

  #make(): ViewerMoments {
    return new ViewerMoments(this.#clock, this.#realClock, () => this.#host.requestUpdate());
  }
}
