import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/*
 * Process and machine counters read from /proc, so that the same numbers can be taken for the servers, the generator
 * workers and redis-server without their cooperation.
 */

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // 100 is the value on every Linux this runs on
}

/** utime and stime of a process in milliseconds (resolution 1/CLK_TCK s); NaN once it is gone. */
export function cpuTimes(pid: number): { user: number; sys: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; everything after its closing parenthesis is space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return { user: (Number(fields[11]) * 1000) / clkTck, sys: (Number(fields[12]) * 1000) / clkTck };
  } catch {
    return { user: NaN, sys: NaN };
  }
}

/** CPU time (user + system) of a process's children that ended and were waited for, in ms; NaN once it is gone. */
export function childrenCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): cutime is field 16, cstime field 17.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / clkTck;
  } catch {
    return NaN;
  }
}

/** utime + stime in milliseconds. */
export function cpuMs(pid: number): number {
  const t = cpuTimes(pid);
  return t.user + t.sys;
}

/**
 * Time the process's main thread (the event loop) spent runnable but waiting for a CPU, in ms, from
 * /proc/<pid>/schedstat. High values mean the machine was oversubscribed, whatever the process's own CPU use.
 */
export function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from the first line of /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export function jiffiesToMs(j: number): number {
  return (j * 1000) / clkTck;
}

export function loadAvg1(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** CPU time of several processes and of the machine over a window. */
export class CpuWindow {
  private readonly start = new Map<number, { user: number; sys: number }>();
  private readonly wait0 = new Map<number, number>();
  private readonly machine0 = machineJiffies();
  private readonly t0 = performance.now();

  constructor(private readonly pids: Record<string, number>) {
    for (const pid of Object.values(pids)) {
      this.start.set(pid, cpuTimes(pid));
      this.wait0.set(pid, runQueueWaitMs(pid));
    }
  }

  /** Per label: CPU ms used and % of one core; plus what the rest of the machine used meanwhile. */
  end(): CpuReport {
    const wallMs = performance.now() - this.t0;
    const procs: CpuReport['procs'] = {};
    let ours = 0;
    for (const [label, pid] of Object.entries(this.pids)) {
      const t0 = this.start.get(pid) ?? { user: NaN, sys: NaN };
      const t1 = cpuTimes(pid);
      const ms = t1.user + t1.sys - t0.user - t0.sys;
      const sysMs = t1.sys - t0.sys;
      const waitMs = runQueueWaitMs(pid) - (this.wait0.get(pid) ?? NaN);
      procs[label] = { ms, pctOfCore: (100 * ms) / wallMs, sysShare: (100 * sysMs) / ms, waitPct: (100 * waitMs) / wallMs };
      if (Number.isFinite(ms)) ours += ms;
    }
    const m1 = machineJiffies();
    const machineBusyMs = jiffiesToMs(m1.busy - this.machine0.busy);
    // Other processes: busy time of the machine that none of the measured processes account for.
    return { wallMs, procs, machineBusyMs, othersMs: Math.max(0, machineBusyMs - ours) };
  }
}

export interface CpuReport {
  wallMs: number;
  /**
   * CPU time, as % of one core; the part of it spent in the kernel (system calls: socket reads and writes); and the %
   * of the window the event loop was runnable but waiting for a core.
   */
  procs: Record<string, { ms: number; pctOfCore: number; sysShare: number; waitPct: number }>;
  machineBusyMs: number;
  /** Busy CPU time of the machine not used by the processes measured: the orchestrator, other people's tests… */
  othersMs: number;
}
