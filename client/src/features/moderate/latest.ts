/**
 * The freshest copy of one value known from two sources: the room's state (the join ack, then broadcasts) and the acks
 * of the console's own requests. Whichever changed last wins, so an ack shows at once even when its broadcast is
 * late (or, on an older room, never comes), and a later broadcast still replaces it.
 */
export class Latest<T> {
  #fromState: T | undefined;
  #value: T;

  constructor(initial: T) {
    this.#value = initial;
  }

  get value(): T {
    return this.#value;
  }

  /** Takes the state's value when it changed since the last call (a new object, by reference). */
  sync(fromState: T): void {
    if (fromState === this.#fromState) return;
    this.#fromState = fromState;
    if (fromState !== null && fromState !== undefined) this.#value = fromState;
  }

  /** What an ack answered. */
  set(value: T): void {
    this.#value = value;
  }
}

/**
 * A list known from the room's state and from acks, merged by key, the last change of each item winning: an item an
 * ack answered shows until the state carries a newer copy; an item an ack removed stays hidden while the state still
 * holds the copy it had then; an item that leaves the state leaves the list.
 */
export class LatestById<T> {
  readonly #key: (item: T) => string;
  /** The state's copies at the last sync, by key. */
  #seen = new Map<string, T>();
  #items = new Map<string, T>();
  /** Items removed by an ack, with the state's copy at that moment (undefined when the state did not hold it). */
  #removed = new Map<string, T | undefined>();

  constructor(key: (item: T) => string) {
    this.#key = key;
  }

  sync(fromState: readonly T[]): void {
    const now = new Map(fromState.map((item) => [this.#key(item), item] as const));
    for (const [key, item] of now) {
      if (this.#seen.get(key) === item) continue;
      if (this.#removed.has(key) && this.#removed.get(key) === item) continue;
      this.#removed.delete(key);
      this.#items.set(key, item);
    }
    for (const key of this.#seen.keys()) {
      if (!now.has(key)) {
        this.#items.delete(key);
        this.#removed.delete(key);
      }
    }
    this.#seen = now;
  }

  put(item: T): void {
    const key = this.#key(item);
    this.#removed.delete(key);
    this.#items.set(key, item);
  }

  remove(key: string): void {
    this.#items.delete(key);
    this.#removed.set(key, this.#seen.get(key));
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  get values(): T[] {
    return [...this.#items.values()];
  }
}
