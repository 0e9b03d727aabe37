import { createInterface } from 'node:readline';
import { signUp, rules } from '../sign-up-fixtures';
import { openSqliteStore } from './sqlite-store';

/*
 * One process of the SQLite sign-up storm (sqlite-store.test.ts): opens the database file given, says `ready`, waits
 * for `go` on stdin so that every process starts at once, signs people up, and prints what each sign-up answered as
 * one JSON line. Run as `node --import tsx sign-up-storm.worker.ts <file> <event> <first> <count> <seats>`.
 */

const [path, eventId, first, count, seats] = process.argv.slice(2);
const store = openSqliteStore(path!);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((go) => lines.once('line', () => go()));

const answers: unknown[] = [];
for (let i = Number(first); i < Number(first) + Number(count); i++) {
  try {
    const result = await store.registrations.register(signUp(eventId!, `p${i}@storm.example`, { rules: rules(Number(seats)) }));
    answers.push(result.outcome === 'registered' ? { status: result.registration.status, position: result.registration.position } : result);
    // Give the other process the lock between sign-ups, as requests arriving one by one would.
    await new Promise((r) => setImmediate(r));
  } catch (err) {
    answers.push({ error: (err as { code?: string }).code ?? String(err), cause: String((err as { cause?: unknown }).cause) });
  }
}
process.stdout.write(`${JSON.stringify(answers)}\n`);
lines.close();
await store.close();
