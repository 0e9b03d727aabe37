import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { promisify } from 'node:util';
import { monoNow } from './clock';

export interface HttpLoadResult {
  tool: string;
  requestsPerSec: number;
  errors: number;
  /** wrk's latency line or our own p50/p99. */
  latency: string;
}

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));

export const httpTool = WRK ? 'wrk (1 thread)' : 'Node keep-alive loop';

/**
 * Keep-alive GET load on one URL with `connections` connections for `durationMs`, each request with `headers`. Uses wrk when installed (C, much
 * cheaper than the server it loads, which matters on 2 cores); otherwise a Node loop over http.Agent keepAlive.
 */
export async function httpLoad(url: string, connections: number, durationMs: number, headers: Record<string, string> = {}): Promise<HttpLoadResult> {
  if (WRK) {
    const headerArgs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
    const { stdout } = await promisify(execFile)(WRK, ['-t1', `-c${connections}`, `-d${Math.round(durationMs / 1000)}s`, '--timeout', '5s', ...headerArgs, url], {
      timeout: durationMs + 30_000,
    });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
    const errs = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
    const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    const errors = Number(errs?.[1] ?? 0) + (sockErr ? sockErr.slice(1).reduce((n, x) => n + Number(x), 0) : 0);
    const lat = /Latency\s+(\S+)\s+(\S+)\s+(\S+)/.exec(stdout);
    return { tool: 'wrk', requestsPerSec: rps, errors, latency: lat ? `mean ${lat[1]}, stdev ${lat[2]}, max ${lat[3]}` : '' };
  }
  return nodeLoad(url, connections, durationMs, headers);
}

async function nodeLoad(url: string, connections: number, durationMs: number, headers: Record<string, string>): Promise<HttpLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const end = monoNow() + durationMs;
  let done = 0;
  let errors = 0;
  const lane = async () => {
    while (monoNow() < end) {
      await new Promise<void>((resolve) => {
        const req = request(url, { agent, headers }, (res) => {
          if (res.statusCode! >= 400) errors++;
          res.resume();
          res.on('end', () => {
            done++;
            resolve();
          });
        });
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end();
      });
    }
  };
  const t0 = monoNow();
  await Promise.all(Array.from({ length: connections }, lane));
  agent.destroy();
  return { tool: 'node', requestsPerSec: (done * 1000) / (monoNow() - t0), errors, latency: '' };
}
