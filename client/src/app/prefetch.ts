/**
 * Answers the entry script asks for before the app runs, so that the page's first request does not wait for the app
 * to start: the watch page's event (`GET /api/events/:id`) downloads while the page's code and strings do. Only a
 * visitor without a session gets them (the answer is the anonymous one), and each is used once, by the first request
 * for the same URL that carries no token (api-client.ts); a failed prefetch is simply asked again.
 */
const pending = new Map<string, Promise<Response>>();

export function prefetch(url: string): void {
  if (pending.has(url)) return;
  const answer = fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  answer.catch(() => pending.delete(url));
  pending.set(url, answer);
}

/** The prefetched answer for `url`, once; undefined when there is none. */
export function takePrefetched(url: string): Promise<Response> | undefined {
  const answer = pending.get(url);
  pending.delete(url);
  return answer;
}
