import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchOutput } from './report';
import type { LoadGen } from './loadgen';
import type { BenchServer } from './server';

export interface Ctx {
  /** Smaller sizes and shorter runs, to check the harness in a few minutes. */
  quick: boolean;
  /** Take a CPU profile of the server during the measured runs. */
  profile: boolean;
  /** SOCKET_ADAPTER for the two-process row (default: the server's default, i.e. unset). */
  adapter: 'pubsub' | 'streams' | undefined;
  log(message: string): void;
}

export interface Bench {
  id: string;
  title: string;
  /** A run that takes longer is abandoned (its processes killed) and reported as an error. */
  budgetMs: (ctx: Ctx) => number;
  run(ctx: Ctx): Promise<BenchOutput>;
}

export const LIVE_EVENT = 'rencontre-bd-marie-lenoir';

const PROFILE_DIR = resolve(import.meta.dirname, '../tmp/profiles');

/**
 * Runs `fn` under the server's CPU profiler when --profile is on, and under the first generator worker's when a
 * generator is given; returns the profile paths.
 */
export async function profiled<T>(
  ctx: Ctx,
  server: BenchServer,
  name: string,
  fn: () => Promise<T>,
  gen?: LoadGen,
): Promise<{ result: T; profile?: string; generatorProfile?: string }> {
  if (!ctx.profile) return { result: await fn() };
  mkdirSync(PROFILE_DIR, { recursive: true });
  const generatorProfile = gen ? join(PROFILE_DIR, `${name}-generator.cpuprofile`) : undefined;
  await server.profileStart();
  const result = gen ? await gen.profileViewerWorker(generatorProfile!, fn) : await fn();
  const profile = await server.profileStop(join(PROFILE_DIR, `${name}.cpuprofile`));
  return { result, profile, ...(generatorProfile && { generatorProfile }) };
}
