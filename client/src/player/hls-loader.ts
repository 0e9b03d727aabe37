import type Hls from 'hls.js';

let loading: Promise<typeof Hls> | undefined;

/**
 * hls.js, fetched once (its own chunk, about 180 KB gzip, so never in a page's own code). A failure is forgotten, so
 * that the next call fetches again.
 */
export function loadHls(): Promise<typeof Hls> {
  loading ??= import('hls.js').then(
    (module) => module.default,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/**
 * Starts fetching hls.js without waiting for it: the watch page calls it as soon as its own code is there, so that
 * the player does not wait, after the event is fetched and the `<video>` rendered, for a download that could have run
 * meanwhile (about 250 ms at the median in `npm run bench -- --only=firstframe`).
 */
export function preloadHls(): void {
  loadHls().catch(() => undefined); // The player asks again, and says so if it fails.
}
