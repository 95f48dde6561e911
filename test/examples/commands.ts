// Shared by the example tests: find the kforge commands a shell script runs, check them against the real CLI's
// --help (the command exists and has every flag used), and check shell syntax with bash -n.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { kforge } from '../ci/run-cli.js';

export const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/ci');
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Shell words of a simple command line (quotes removed; no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Every kforge invocation in a script, as its words from `kforge` on (up to a redirection or the next command). */
export function kforgeInvocations(script: string): string[][] {
  const joined = script.replace(/\\\n/g, ' ');
  const found: string[][] = [];
  for (const line of joined.split('\n')) {
    // Split at command separators outside quotes: && || ; |
    for (const part of line.split(/&&|\|\||;|\|(?!\|)/)) {
      const w = words(part.trim());
      const at = w.findIndex((x) => x === 'kforge' || x.endsWith('/kforge'));
      if (at < 0 || (at > 0 && !['npx', 'exec', 'env'].includes(w[at - 1]) && !w[at - 1].includes('='))) continue;
      const rest = w.slice(at);
      const end = rest.findIndex((x) => /^[0-9]*[<>]/.test(x));
      found.push(['kforge', ...rest.slice(1, end < 0 ? undefined : end)]);
    }
  }
  return found;
}

const helps = new Map<string, Promise<string>>();

/** `kforge <command> [subcommand] --help` through the real CLI, once per command. */
function help(command: string[]): Promise<string> {
  const key = command.join(' ');
  let p = helps.get(key);
  if (!p) {
    p = kforge(repoRoot, [...command, '--help']).then((r) => {
      if (r.exitCode !== 0) throw new Error(`kforge ${key} --help exited ${r.exitCode}: ${r.stderr}`);
      return r.stdout;
    });
    helps.set(key, p);
  }
  return p;
}

/** Throws unless the command exists and its --help lists every flag used (with --no-X as X). */
export async function checkInvocation(inv: string[]): Promise<void> {
  const positional = inv.slice(1).filter((w) => !w.startsWith('-'));
  const command = inv[1] === 'images' ? ['images', positional[1]] : [inv[1]];
  if (!command.every(Boolean)) throw new Error(`not a kforge command: ${inv.join(' ')}`);
  const text = await help(command);
  if (!text.includes(`kforge ${command.join(' ')}`)) throw new Error(`kforge ${command.join(' ')} --help does not describe that command:\n${text}`);
  for (const w of inv.slice(2)) {
    if (!w.startsWith('--')) continue;
    const flag = w.split('=')[0].replace(/^--no-/, '--');
    if (!new RegExp(`(^|[\\s,])${flag}(?![\\w-])`, 'm').test(text)) throw new Error(`'${inv.join(' ')}': kforge ${command.join(' ')} has no ${flag}`);
  }
}

/** bash -n: the script parses as bash. */
export async function checkShellSyntax(script: string, where: string): Promise<void> {
  const r = await execa('bash', ['-n'], { input: script, reject: false });
  if (r.exitCode !== 0) throw new Error(`${where}: bash -n: ${r.stderr}`);
}
