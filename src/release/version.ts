// kforge's own version, for provenance trailers; read from package.json when asked, never at import time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function kforgeVersion(): string {
  if (cached) return cached;
  // src/release/ and dist/release/ are both two folders below the package root.
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
  cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  return cached;
}
