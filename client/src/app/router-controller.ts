import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isServerPath, matchRoute, type Route } from './routes';

export interface NavigateOptions {
  /** Replace the current history entry (filters) rather than push a new one (pages). */
  replace?: boolean;
}

/**
 * A small router on the History API: follows `popstate`, turns clicks on same-origin links anywhere in the page
 * (including inside shadow roots) into client-side navigations, and re-renders its host with the new route.
 */
export class RouterController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #onNavigate: ((route: Route, kind: 'push' | 'pop' | 'replace') => void) | undefined;
  #route: Route = matchRoute(new URL(location.href));

  constructor(host: ReactiveControllerHost, onNavigate?: (route: Route, kind: 'push' | 'pop' | 'replace') => void) {
    this.#host = host;
    this.#onNavigate = onNavigate;
    host.addController(this);
  }

  get route(): Route {
    return this.#route;
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.#onPopState);
    document.addEventListener('click', this.#onClick);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.#onPopState);
    document.removeEventListener('click', this.#onClick);
  }

  navigate(href: string, options: NavigateOptions = {}): void {
    const url = new URL(href, location.href);
    if (url.href === location.href) return;
    if (options.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.#set(options.replace ? 'replace' : 'push');
  }

  #set(kind: 'push' | 'pop' | 'replace'): void {
    this.#route = matchRoute(new URL(location.href));
    this.#host.requestUpdate();
    this.#onNavigate?.(this.#route, kind);
  }

  readonly #onPopState = (): void => this.#set('pop');

  readonly #onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    // The click is retargeted to the outermost shadow host at document level; the path still holds the real link.
    const anchor = event
      .composedPath()
      .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.hasAttribute('href'));
    if (!anchor) return;
    if ((anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || isServerPath(url.pathname)) return;
    // In-page anchors (the skip link) keep their browser behaviour.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    this.navigate(url.href);
  };
}
