import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, Node itself, or a Parvis source folder. */
function area(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' ? '(gc)' : fn === '(idle)' || fn === '(program)' ? fn : '(native/V8)';
  const path = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1]!;
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/')[0]}`;
  const rel = relative(ROOT, path);
  return rel.startsWith('..') ? path : rel.split('/').slice(0, 3).join('/');
}

/** Self time by function and by area (package / folder), as markdown lines, from a .cpuprofile file. */
export function summarizeProfile(path: string, top = 12): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  let idle = 0;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const where = url ? `${area(url, functionName)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const busy = total - idle;
  const share = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1)}%`;
  const lines = [`  - profile \`${relative(ROOT, path)}\`: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled; self time by area:`];
  lines.push(
    '    ' +
      [...areas]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([k, v]) => `${k} ${share(v)}`)
        .join(', '),
  );
  lines.push('  - top functions by self time:');
  for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    - ${share(v)} \`${k}\``);
  return lines;
}
