import { describe, expect, it } from 'vitest';
import type { Ack } from '#shared/protocol/ack';
import { AckGate } from './ack-gate';
import type { SocketHandler } from './handler';
import type { ParvisSocket } from './types';

/** A handler whose answer the test gives, when it likes, through `finish`. */
function controlledHandler(event: SocketHandler['event']) {
  const running: ((response: Ack<unknown>) => void)[] = [];
  const handler: SocketHandler = {
    event,
    listener(...args) {
      running.push(args.at(-1) as (response: Ack<unknown>) => void);
    },
  };
  return { handler, running, finish: (i: number) => running[i]!({ ok: true, data: { n: i } }) };
}

const socket = {} as ParvisSocket;

/** Sends a request through the gated listener as Socket.IO would, and records what the client got back. */
function send(listener: SocketHandler['listener']) {
  const answers: Ack<unknown>[] = [];
  listener.call(socket, { text: 'Bonjour' }, (response: Ack<unknown>) => answers.push(response));
  return answers;
}

describe('AckGate', () => {
  it('counts every answer by event and outcome', () => {
    const tallies = new Map<string, Map<string, number>>();
    const gate = new AckGate((event) => {
      const tally = new Map<string, number>();
      tallies.set(event, tally);
      return tally;
    });
    const [listener] = gate.wrap([
      {
        event: 'chat:send',
        listener(payload, ack) {
          const reply = ack as (response: Ack<unknown>) => void;
          if ((payload as { text: string }).text === 'Bonjour') reply({ ok: true, data: {} });
          else reply({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
        },
      },
    ]).map((h) => h.listener);
    send(listener!);
    send(listener!);
    listener!.call(socket, { text: 'Au revoir' }, () => undefined);
    expect(Object.fromEntries(tallies.get('chat:send')!)).toEqual({ ok: 2, FORBIDDEN: 1 });
  });

  it('waits for the requests in flight, and lets them answer normally', async () => {
    const { handler, finish } = controlledHandler('chat:send');
    const gate = new AckGate();
    const [{ listener }] = gate.wrap([handler]) as [SocketHandler];
    const first = send(listener);
    const second = send(listener);
    expect(gate.pending).toBe(2);

    gate.refuseNew();
    let settled = false;
    const settling = gate.settled().then(() => (settled = true));
    finish(0);
    await Promise.resolve();
    expect(settled).toBe(false);
    finish(1);
    await settling;
    expect(first).toEqual([{ ok: true, data: { n: 0 } }]);
    expect(second).toEqual([{ ok: true, data: { n: 1 } }]);
  });

  it('answers a request that arrives once the server stops UNAVAILABLE, without running it', () => {
    const { handler, running } = controlledHandler('chat:send');
    const gate = new AckGate();
    const [{ listener }] = gate.wrap([handler]) as [SocketHandler];
    gate.refuseNew();
    const answers = send(listener);
    expect(running).toHaveLength(0);
    expect(answers).toEqual([{ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/shutting down/) } }]);
    expect(gate.pending).toBe(0);
  });

  it('answers UNAVAILABLE what still runs when time is up, once, and drops the late answer', () => {
    const { handler, finish } = controlledHandler('chat:send');
    const gate = new AckGate();
    const [{ listener }] = gate.wrap([handler]) as [SocketHandler];
    const answers = send(listener);
    expect(gate.abandon()).toBe(1);
    finish(0);
    expect(answers).toEqual([{ ok: false, error: { code: 'UNAVAILABLE', message: expect.any(String) } }]);
    expect(gate.pending).toBe(0);
  });

  it('passes reserved events and requests without a callback through untouched', () => {
    const calls: unknown[][] = [];
    const gate = new AckGate();
    gate.refuseNew();
    const [{ listener }] = gate.wrap([{ event: 'disconnecting', listener: (...args) => void calls.push(args) }]) as [SocketHandler];
    listener.call(socket, 'transport close');
    expect(calls).toEqual([['transport close']]);
  });
});
