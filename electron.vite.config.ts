// electron-vite builds three bundles from this layout:
//   electron/main    -> out/main/index.js     (Electron main process; the ledger is bundled in,
//                                              better-sqlite3-multiple-ciphers stays external)
//                       out/main/import-row-worker.js (the import's row worker thread)
//   electron/preload -> out/preload/index.cjs (sandboxed preload: must be one CommonJS file
//                                              with its dependencies inlined)
//   renderer/        -> out/renderer/         (the React app)
// The dev bridge (npm run dev:web) reuses `rendererConfig` so the browser gets the same build.
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export const rendererConfig: NonNullable<UserConfig['renderer']> = {
  root: resolve(root, 'renderer'),
  plugins: [react()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    rollupOptions: { input: resolve(root, 'renderer/index.html') },
  },
};

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          // The portfolio import reads and prepares rows in a worker thread
          // (electron/ledger/import/row-source.ts looks for it next to index.js).
          'import-row-worker': resolve(root, 'electron/ledger/import/row-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
