#!/usr/bin/env node
// Bundles the CLI (and the render worker) into single files: Node's ES module loader pays per file, and yargs
// plus kforge are ~150 files, which was a third of a small render's time. tsc still checks the types.
// Output stays at dist/cli/, two levels below the package root, where the code expects schemas/ and package.json.
import { build } from 'esbuild';

await build({
  entryPoints: { 'cli/main': 'src/cli/main.ts', 'cli/render-worker': 'src/render-worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // ajv loads through createRequire on first use; execa only when a command runs git, kubectl or a builder.
  external: ['ajv', 'execa'],
  // Bundled CommonJS dependencies (yargs' helpers) call require(); give ESM output one.
  banner: { js: "import { createRequire as __kforgeRequire } from 'node:module'; const require = __kforgeRequire(import.meta.url);" },
  logLevel: 'warning',
});
