import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Bench } from '../lib/context';
import type { Row } from '../lib/report';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist/client');

/** Issue 13: what the programme and the watch page load before the video, in gzip bytes (1 KB = 1,000 bytes, as Vite prints). */
const TARGET_GZIP_BYTES = 60_000;

/**
 * The pages measured, with the lazy chunks their route imports before the video starts, by chunk name (the file name
 * without its hash: `staff-pages-DurX8ULR.js` is `staff-pages`): the page's own chunk (client/src/app/pages.ts, which
 * main.ts fetches at once) and the dictionary of the language shown first (French, unless the visitor chose English
 * before; `fr` is also the larger), which main.ts awaits before the app starts. A page's chunks count with their own
 * static imports (the chunks Rolldown shares between pages). When the client splits a page further, the new chunk's
 * name goes here, or the row would undercount it (the details list every lazy chunk that no page claims, so that the
 * omission shows).
 */
const PAGES: Array<{ name: string; path: string; lazy: string[]; alongside: string[] }> = [
  { name: 'programme', path: '/', lazy: ['parvis-programme-page', 'fr'], alongside: ['esm'] },
  { name: 'watch', path: '/events/:id', lazy: ['parvis-event-page', 'fr'], alongside: ['room-panels', 'esm'] },
];

/**
 * Lazy chunks that the measured pages load only after the video starts, or never: the video itself (hls.js, loaded
 * when the player starts), the other language's dictionary (fetched on a switch), the staff's strings (fetched before
 * a staff page), the other pages' chunks
 * (pages.ts: the audience's series, personal and phone pages, the staff's consoles and the admin's pages with their
 * charts). Counted with their own static imports, less what a measured page already loads.
 */
const LATER = new Set([
  'hls',
  'en',
  'fr-staff',
  'en-staff',
  'parvis-series-page',
  'parvis-me-page',
  'parvis-ask-page',
  // The video room (issue 14): its page, with janus.js and webrtc-adapter inside, and its strings.
  'parvis-room-page',
  'fr-room',
  'en-room',
  'parvis-display-page',
  'parvis-moderate-page',
  'parvis-stage-page',
  'staff-pages',
  'uPlot.esm',
  'uPlot.min',
]);

/**
 * Lazy chunks a measured page fetches at once but never waits for (`alongside` in PAGES): the page shows what it got
 * over HTTP and starts its video without them. The watch page's panels (chat, questions, polls, reactions, sign-up,
 * replay panels: client/src/features/event-room/room-panels.ts), which upgrade in place when they arrive, and the
 * Socket.IO client (`esm`, its package's file name: realtime-client.ts loads it at the first connection), which
 * brings the live updates. The details give their weight beside each page's, so that it shows.
 */
const ALONGSIDE = new Set(PAGES.flatMap((p) => p.alongside));

interface Chunk {
  file: string;
  raw: number;
  gzip: number;
  /** Chunks it imports statically (fetched before it runs), and those it may import later. */
  imports: string[];
  dynamic: string[];
}

/**
 * Reads the Vite build (dist/client: the HTML's module script and module preloads, then each chunk's static imports)
 * and reports the JavaScript a page loads before the video: the entry's static import graph plus the page's lazy
 * chunks and their own static imports. Builds the client first when dist/client is missing. No server.
 */
export const bundleBench: Bench = {
  id: 'bundle',
  title: 'Critical-path JavaScript of the programme and watch pages (Vite build output)',
  budgetMs: () => 300_000,
  async run(ctx) {
    const details: string[] = [];
    if (!existsSync(join(DIST, 'index.html'))) {
      ctx.log('dist/client is missing: building the client (vite build)');
      execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      details.push('- dist/client was missing: built by this run (`vite build`).');
    } else {
      const built = statSync(join(DIST, 'index.html')).mtimeMs;
      const newest = newestMtime([join(ROOT, 'client/src'), join(ROOT, 'shared/src')]);
      details.push(
        `- dist/client as found, built ${new Date(built).toISOString()}` +
          (newest > built ? `; **older than the newest client or shared source** (${new Date(newest).toISOString()}): run \`npm run build\` first for current figures.` : '.'),
      );
    }

    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const roots = htmlScripts(html).map((href) => resolve(DIST, href.replace(/^\.?\//, '')));
    const chunks = new Map<string, Chunk>();
    const read = (file: string): Chunk => {
      let c = chunks.get(file);
      if (!c) {
        const buf = readFileSync(file);
        const src = buf.toString('utf8');
        c = {
          file,
          raw: buf.length,
          gzip: gzipSync(buf, { level: 9 }).length,
          imports: matches(src, STATIC_IMPORT).map((p) => resolve(dirname(file), p)),
          dynamic: matches(src, DYNAMIC_IMPORT).map((p) => resolve(dirname(file), p)),
        };
        chunks.set(file, c);
      }
      return c;
    };
    /** The files `from` and its static imports, transitively. */
    const closure = (from: string[]): Set<string> => {
      const seen = new Set<string>();
      const stack = [...from];
      while (stack.length) {
        const f = stack.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        stack.push(...read(f).imports);
      }
      return seen;
    };

    const entry = closure(roots);
    // Every lazy chunk reachable from the entry, through other lazy chunks too.
    const lazy = new Set<string>();
    const pending = [...entry];
    while (pending.length) {
      for (const d of read(pending.pop()!).dynamic) {
        if (lazy.has(d) || entry.has(d)) continue;
        lazy.add(d);
        pending.push(...closure([d]));
      }
    }

    const rows: Row[] = [];
    /** Lazy files a measured page loads before the video (its chunks and their static imports). */
    const claimed = new Set<string>();
    for (const page of PAGES) {
      const own = [...lazy].filter((f) => page.lazy.includes(chunkName(f)));
      const missing = page.lazy.filter((name) => !own.some((f) => chunkName(f) === name));
      if (missing.length) throw new Error(`the ${page.name} page's chunks ${missing.join(', ')} are not in the build: update PAGES`);
      const closed = closure([...entry, ...own]);
      for (const f of closed) if (lazy.has(f)) claimed.add(f);
      const files = [...closed].map(read).sort((a, b) => b.gzip - a.gzip);
      const raw = files.reduce((n, c) => n + c.raw, 0);
      const gzip = files.reduce((n, c) => n + c.gzip, 0);
      const ok = gzip <= TARGET_GZIP_BYTES;
      rows.push({
        bench: 'bundle',
        metric: `critical-path JavaScript, ${page.name} page (${page.path})`,
        value: `${kb(gzip)} KB gzip (${kb(raw)} KB raw), ${files.length} file${files.length === 1 ? '' : 's'}`,
        target: `≤ ${kb(TARGET_GZIP_BYTES)} KB gzip`,
        verdict: ok ? 'pass' : 'miss',
        ...(!ok && { missBy: `+${kb(gzip - TARGET_GZIP_BYTES)} KB (${(gzip / TARGET_GZIP_BYTES).toFixed(1)}×)` }),
        why: files.map((c) => `${rel(c.file)} ${kb(c.gzip)} KB gzip`).join(', '),
      });
    }

    details.push(`- entry (the HTML's module script and module preloads, and their static imports): ${[...entry].map(rel).join(', ')}`);
    const later = closure([...lazy].filter((f) => LATER.has(chunkName(f))));
    const alongside = closure([...lazy].filter((f) => ALONGSIDE.has(chunkName(f))));
    for (const page of PAGES) {
      const own = closure([...entry, ...[...lazy].filter((f) => page.lazy.includes(chunkName(f)))]);
      const extra = [...closure([...lazy].filter((f) => page.alongside.includes(chunkName(f))))].filter((f) => !own.has(f)).map(read);
      details.push(
        `- ${page.name} page: also fetched at once but not waited for before the video (${page.alongside.join(', ')} and their ` +
          `imports): ${kb(extra.reduce((n, c) => n + c.gzip, 0))} KB gzip, ${extra.map((c) => rel(c.file)).join(', ')}.`,
      );
    }
    for (const f of [...lazy].sort()) {
      const c = read(f);
      const status = claimed.has(f)
        ? `loaded before the video by ${PAGES.filter((p) => closure([...entry, ...[...lazy].filter((g) => p.lazy.includes(chunkName(g)))]).has(f)).map((p) => p.name).join(' and ')}`
        : alongside.has(f)
          ? 'fetched alongside: not waited for before the video (see above)'
          : later.has(f)
          ? 'loaded later, on another page or by staff only'
          : '**claimed by no page and not known as later: classify it in bench/benchmarks/bundle.ts**';
      details.push(`- lazy chunk ${rel(f)}: ${kb(c.gzip)} KB gzip (${kb(c.raw)} KB raw${servedSizes(f)}); ${status}`);
    }
    details.push(`- gzip sizes are zlib level 9 of each file; "served" sizes are the precompressed copies next to it when the build wrote them.`);
    const unclassified = [...lazy].filter((f) => !claimed.has(f) && !later.has(f) && !alongside.has(f));
    if (unclassified.length) {
      for (const r of rows) r.why = `${unclassified.length} lazy chunk(s) unclassified (${unclassified.map(chunkName).join(', ')}), see the details; ${r.why}`;
    }
    return { rows, details };
  },
};

/** `import{a as b}from"./x.js"`, `import"./x.js"`, `export{a}from"./x.js"`: Rollup/Rolldown's minified output, any quote. */
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*(["'`])(\.{1,2}\/[^"'`]+?\.js)\1/g;
/** `import("./x.js")` (inside Vite's preload helper). */
const DYNAMIC_IMPORT = /\bimport\(\s*(["'`])(\.{1,2}\/[^"'`]+?\.js)\1\s*\)/g;

function matches(src: string, re: RegExp): string[] {
  return [...new Set([...src.matchAll(re)].map((m) => m[2]!))];
}

/** The module scripts and module preloads of the HTML, as written (`/assets/index-….js`). */
function htmlScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) out.push(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) out.push(m[1]!);
  if (out.length === 0) throw new Error('dist/client/index.html has no module script');
  return out;
}

/** `…/assets/staff-pages-DurX8ULR.js` → `staff-pages` (Vite's hash is the last 8 characters before `.js`). */
function chunkName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return /^(.*)-[\w-]{8}\.js$/.exec(base)?.[1] ?? base.replace(/\.js$/, '');
}

function servedSizes(file: string): string {
  const parts: string[] = [];
  for (const [ext, name] of [['.br', 'brotli'], ['.gz', 'gzip']] as const) {
    if (existsSync(file + ext)) parts.push(`served ${name} ${kb(statSync(file + ext).size)} KB`);
  }
  return parts.length ? `, ${parts.join(', ')}` : '';
}

function newestMtime(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

const kb = (bytes: number): string => (bytes / 1000).toFixed(1);
const rel = (file: string): string => relative(DIST, file);
