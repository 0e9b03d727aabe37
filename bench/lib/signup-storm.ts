import { Agent, request } from 'node:http';
import type { Event } from '#shared/domain/event';
import { monoNow } from './clock';
import { Histogram } from './histogram';

/** The registration event of the sign-up rows: a workshop two days ahead with `capacity` seats and a waiting list. */
export function stormEvent(id: string, capacity: number): Event {
  const start = Math.ceil((Date.now() + 48 * 3_600_000) / 3_600_000) * 3_600_000;
  return {
    id,
    kind: 'workshop',
    title: 'Atelier de la tempête',
    summary: 'Benchmark: many people sign up at once.',
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 90 * 60_000).toISOString(),
    timezone: 'Europe/Paris',
    status: 'scheduled',
    access: 'registration',
    capacity,
    waitlist: true,
    speakers: [],
    language: 'fr',
  };
}

export interface StormResult {
  people: number;
  /** Sign-up latency: from the request being sent to its whole answer read, in ms. */
  hist: Histogram;
  /** Answers by HTTP status (`error` for a request that failed on the network). */
  statuses: Record<string, number>;
  /** The registrations answered, as each person was told. */
  registrations: Array<{ status: string; position?: number }>;
  /** When the last request left, and when the last answer came, from the first request (ms). */
  lastSentMs: number;
  lastAnswerMs: number;
  /** The largest delay of a request behind its planned send time: the generator's own lateness. */
  maxLagMs: number;
}

/**
 * `people` sign-ups (`POST <url>/api/events/<eventId>/registrations`, one new person each), paced evenly over
 * `spreadMs` (2,000 over 10 s: one every 5 ms), sent round-robin to `urls` as a load balancer would. Keep-alive
 * connections, as browsers behind one proxy would reuse them.
 */
export async function signUpStorm(urls: string[], eventId: string, people: number, spreadMs: number, tag: string): Promise<StormResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const hist = new Histogram();
  const statuses: Record<string, number> = {};
  const registrations: StormResult['registrations'] = [];
  const interval = spreadMs / people;
  let lastAnswer = 0;
  let maxLag = 0;

  const send = (i: number, t0: number): Promise<void> =>
    new Promise((resolve) => {
      const body = JSON.stringify({ name: `Personne ${i}`, email: `${tag}-${i}@example.org`, language: 'fr', consent: true });
      const sentAt = monoNow();
      maxLag = Math.max(maxLag, sentAt - (t0 + i * interval));
      const url = new URL(`/api/events/${eventId}/registrations`, urls[i % urls.length]);
      const req = request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const now = monoNow();
            hist.record(now - sentAt);
            lastAnswer = Math.max(lastAnswer, now - t0);
            const status = String(res.statusCode);
            statuses[status] = (statuses[status] ?? 0) + 1;
            try {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { registration?: { status: string; position?: number } };
              if (answer.registration) registrations.push(answer.registration);
            } catch {
              // counted by its status
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        statuses.error = (statuses.error ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });

  const pending: Promise<void>[] = [];
  const t0 = monoNow();
  let next = 0;
  await new Promise<void>((done) => {
    // A 1 ms timer against the clock: a late tick sends everything due, rather than lowering the rate.
    const tick = () => {
      const due = Math.min(people, Math.floor((monoNow() - t0) / interval) + 1);
      while (next < due) pending.push(send(next++, t0));
      if (next < people) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  const lastSentMs = monoNow() - t0;
  await Promise.all(pending);
  agent.destroy();
  return { people, hist, statuses, registrations, lastSentMs, lastAnswerMs: lastAnswer, maxLagMs: maxLag };
}

/**
 * Whether the storm gave exactly `seats` seats and waiting-list positions 1…(people − seats), each once, with every
 * sign-up answered 201: the problems found, none when it held.
 */
export function stormProblems(r: StormResult, seats: number): string[] {
  const problems: string[] = [];
  const created = r.statuses['201'] ?? 0;
  if (created !== r.people) problems.push(`${r.people - created} sign-ups not answered 201 (${JSON.stringify(r.statuses)})`);
  const confirmed = r.registrations.filter((x) => x.status === 'confirmed').length;
  if (confirmed !== seats) problems.push(`${confirmed} confirmed instead of ${seats}`);
  const positions = r.registrations.flatMap((x) => (x.status === 'waitlisted' && x.position !== undefined ? [x.position] : [])).sort((a, b) => a - b);
  const waiting = r.people - seats;
  const exact = positions.length === waiting && positions.every((p, i) => p === i + 1);
  if (!exact) problems.push(`waiting-list positions are not 1…${waiting} once each (${positions.length} positions told)`);
  return problems;
}
