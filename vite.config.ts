import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  // Shared code is imported as #shared/… everywhere: package.json "imports", which Node, TypeScript and Vite all read.
  build: {
    outDir: '../dist/client',
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
