// The scan step of `kforge ci`: runs kforge.yaml's `scan` command once per image (execa, an argument array,
// never a shell), with {image}, {reference}, {name} and {digest} filled in. A non-zero exit is a finding.
import { execa } from 'execa';
import { InputError } from '../errors.js';

export interface ScanTarget {
  name: string;
  /** `<repository>:<tag>` */
  reference: string;
  repository: string;
  digest?: string;
}

/** What was pushed, exactly: `<repository>@<digest>` (the tag alone could be moved by anyone who can push). */
export function pinnedImage(target: ScanTarget): string {
  return target.digest ? `${target.repository}@${target.digest}` : target.reference;
}

/** The scanner's argument vector for one image. Pure. */
export function scanCommand(template: string | readonly string[], target: ScanTarget): string[] {
  // A string is split on whitespace only: no quoting rules to get wrong. Use the list form for arguments with spaces.
  const words = typeof template === 'string' ? template.trim().split(/\s+/) : [...template];
  if (words.length === 0 || !words[0]) throw new InputError('scan: the command is empty', {}, 'e.g. scan: trivy image --exit-code 1 {image}');
  const values: Record<string, string> = { image: pinnedImage(target), reference: target.reference, name: target.name, digest: target.digest ?? '' };
  return words.map((w) => w.replace(/\{(image|reference|name|digest)\}/g, (_, k: string) => values[k]));
}

export interface ScanOutcome {
  name: string;
  image: string;
  passed: boolean;
  exitCode?: number;
  /** The scanner's last output lines, for the report. */
  outputTail: string[];
}

/** Runs the scanner on one image; never throws for a finding (see `passed`), only when it cannot start. */
export async function runScan(template: string | readonly string[], target: ScanTarget, opts: { cwd: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void }): Promise<ScanOutcome> {
  const [cmd, ...args] = scanCommand(template, target);
  const sub = execa(cmd, args, { cwd: opts.cwd, env: opts.env, all: true, reject: false, stdin: 'ignore' });
  const r = await sub;
  const lines = String(r.all ?? '').split('\n').filter((l) => l.trim());
  for (const l of lines) opts.onLine?.(l);
  if (r.failed && r.exitCode === undefined) {
    throw new InputError(`scan: cannot run '${cmd}': ${r.originalMessage ?? r.shortMessage}`, {}, 'install the scanner, or fix kforge.yaml scan');
  }
  return { name: target.name, image: pinnedImage(target), passed: r.exitCode === 0, exitCode: r.exitCode, outputTail: lines.slice(-10) };
}
