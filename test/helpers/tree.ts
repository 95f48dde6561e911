// Test helper: a temporary folder built from an inline file map (content keyed by relative path).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function writeTree(files: Record<string, string>, root = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-test-'))): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}

/** Fails the calling test when a required tool is missing under CI; otherwise says loudly that it skips. */
export function requireTool(available: boolean, tool: string, what: string): boolean {
  if (available) return true;
  const message = `SKIP: ${what}: ${tool} is not installed`;
  if (process.env.CI === 'true') throw new Error(`${message} (a skip is a failure under CI=true)`);
  console.warn(`\n!!!!! ${message} !!!!!\n`);
  return false;
}
