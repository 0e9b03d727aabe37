import { describe, expect, it } from 'vitest';
import { frStaff } from './fr-staff';

/** The client's sources as text, by path under client/src (`app/parvis-app.ts`). */
const SOURCES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>(['/client/src/**/*.ts', '!/client/src/**/*.test.ts'], { query: '?raw', import: 'default', eager: true }),
  ).map(([path, text]) => [path.slice('/client/src/'.length), text]),
);

/** `dir/./x/../y` → `dir/y`. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}

/** The staff pages' chunks (client/src/app/pages.ts): imported once the staff's strings are there. */
const STAFF_CHUNKS = [
  'features/admin/staff-pages.ts',
  'features/moderate/parvis-moderate-page.ts',
  'features/stage/parvis-stage-page.ts',
  'features/hall/parvis-display-page.ts',
];
/** The dictionaries themselves: their keys are not uses. */
const DICTIONARIES = ['i18n/fr.ts', 'i18n/en.ts', 'i18n/fr-staff.ts', 'i18n/en-staff.ts', 'i18n/fr-room.ts', 'i18n/en-room.ts'];

/** The client's files an audience page may run: main.ts and what it imports, statically or not, but the staff's chunks. */
function audienceFiles(): Set<string> {
  const seen = new Set<string>();
  const pending = ['main.ts'];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file) || STAFF_CHUNKS.includes(file) || DICTIONARIES.includes(file)) continue;
    seen.add(file);
    const source = SOURCES[file];
    if (source === undefined) throw new Error(`no source ${file}`);
    // Value imports only (`import type` brings no code), static or dynamic, relative to the file.
    for (const m of source.matchAll(/^(?:import|export)(?! type)[^;]*?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm)) {
      const target = m[1] ?? m[2]!;
      if (target.endsWith('.css')) continue;
      pending.push(normalise(`${file.slice(0, file.lastIndexOf('/') + 1)}${target}.ts`));
    }
  }
  return seen;
}

describe('the audience’s dictionary', () => {
  it('holds every string an audience page names, so that none waits for the staff’s strings', () => {
    const staffKeys = Object.keys(frStaff);
    const files = audienceFiles();
    expect(files.has('features/event-room/parvis-event-page.ts')).toBe(true);
    expect(files.has('features/moderate/parvis-moderate-page.ts')).toBe(false);
    const misplaced: string[] = [];
    for (const file of files) {
      const source = SOURCES[file]!;
      for (const m of source.matchAll(/(['"`])([a-zA-Z][\w.-]*)(\1|\$\{)/g)) {
        const literal = m[2]!;
        // A key built at run time (`kind.${kind}`, 'audit.say.' + action) may be any key under its prefix.
        const prefix = m[3] === '${' || literal.endsWith('.');
        for (const key of staffKeys) {
          if (prefix ? key.startsWith(literal) && literal.includes('.') : key === literal) misplaced.push(`${file}: ${key}`);
        }
      }
    }
    expect(misplaced).toEqual([]);
  });
});
