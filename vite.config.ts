import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import { precompressDir } from './server/src/http/precompress.ts';

const outDir = fileURLToPath(new URL('dist/client', import.meta.url));

/** Writes `.br` and `.gz` copies of the built text files, which the server sends as they are (static-client.ts). */
const precompress = (): Plugin => ({
  name: 'parvis-precompress',
  apply: 'build',
  async closeBundle() {
    const written = await precompressDir(outDir);
    this.info(`${written.length} precompressed copies (brotli, gzip)`);
  },
});

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [precompress()],
  // Shared code is imported as #shared/… everywhere: package.json "imports", which Node, TypeScript and Vite all read.
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // hls.js (~580 kB) is its own chunk, loaded only when a player starts; the app itself stays small.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/media': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
  test: {
    root: '.',
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'client/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
