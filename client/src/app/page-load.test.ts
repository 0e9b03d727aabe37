import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { describe, expect, it } from 'vitest';
import { PageLoad } from './page-load';

/** A host that updates when asked (as a Lit element would, minus the DOM), and a server whose answers the test gives. */
function setup() {
  const controllers: ReactiveController[] = [];
  const host: ReactiveControllerHost = {
    addController: (c) => void controllers.push(c),
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  };
  const update = () => controllers.forEach((c) => c.hostUpdate?.());
  const calls: Array<{ args: readonly [string]; signal: AbortSignal; resolve: (v: string[]) => void; reject: (e: unknown) => void }> = [];
  let filter = 'all';
  const load = new PageLoad(host, {
    args: () => [filter] as const,
    load: (args, signal) => new Promise<string[]>((resolve, reject) => calls.push({ args, signal, resolve, reject })),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    load,
    calls,
    update,
    settle,
    setFilter: (f: string) => (filter = f),
    disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()),
  };
}

describe('loading a page', () => {
  it('shows loading, then the data', async () => {
    const { load, calls, update, settle } = setup();
    update();
    expect(load.view).toEqual({ status: 'loading' });
    calls[0]!.resolve(['a']);
    await settle();
    expect(load.view).toEqual({ status: 'ready', data: ['a'] });
  });

  it('shows the failure, and loads again on retry', async () => {
    const { load, calls, update, settle } = setup();
    update();
    calls[0]!.reject(new Error('offline'));
    await settle();
    expect(load.view).toMatchObject({ status: 'error', error: new Error('offline') });
    const retried = load.render({ loading: () => 'loading', error: (_, retry) => retry, ready: () => 'ready' }) as () => void;
    retried();
    expect(load.view).toEqual({ status: 'loading' });
    calls[1]!.resolve(['b']);
    await settle();
    expect(load.data).toEqual(['b']);
  });

  it('loads again, in full view, when its arguments change, and drops the older answer', async () => {
    const { load, calls, update, settle, setFilter } = setup();
    update();
    setFilter('lecture');
    update();
    expect(calls.map((c) => c.args[0])).toEqual(['all', 'lecture']);
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[1]!.resolve(['lecture']);
    calls[0]!.resolve(['stale']);
    await settle();
    expect(load.data).toEqual(['lecture']);
  });

  it('keeps the data on screen through a quiet reload, even a failed one', async () => {
    const { load, calls, update, settle } = setup();
    update();
    calls[0]!.resolve(['a']);
    await settle();
    void load.reload({ quiet: true });
    expect(load.view).toEqual({ status: 'ready', data: ['a'] });
    calls[1]!.reject(new Error('offline'));
    await settle();
    expect(load.view).toEqual({ status: 'ready', data: ['a'] });
    // A full reload does show its failure.
    void load.reload();
    expect(load.view).toEqual({ status: 'loading' });
    calls[2]!.reject(new Error('offline'));
    await settle();
    expect(load.view.status).toBe('error');
  });

  it('makes no quiet reload before anything is on screen', async () => {
    const { load, calls, update } = setup();
    update();
    await load.reload({ quiet: true }).catch(() => {});
    expect(calls).toHaveLength(1);
  });

  it('applies a local change at once, and again on top of a load that was already on its way', async () => {
    const { load, calls, update, settle } = setup();
    update();
    calls[0]!.resolve(['a']);
    await settle();
    const add = (item: string) => (list: string[]) => (list.includes(item) ? list : [...list, item]);
    load.update(add('b'));
    expect(load.data).toEqual(['a', 'b']);
    void load.reload({ quiet: true });
    load.update(add('c'));
    expect(load.data).toEqual(['a', 'b', 'c']);
    // The server's answer was read before 'c' happened.
    calls[1]!.resolve(['a', 'b']);
    await settle();
    expect(load.data).toEqual(['a', 'b', 'c']);
  });

  it('stops the load when the page goes', () => {
    const { calls, update, disconnect } = setup();
    update();
    disconnect();
    expect(calls[0]!.signal.aborted).toBe(true);
  });
});
