// Runs git with an argument array (never a shell string) and turns every failure into one CommandError shape.
import { execa } from 'execa';
import { CommandError, NotFoundError } from '../errors.js';

export interface GitOptions {
  cwd: string;
  /** Extra environment, e.g. GIT_INDEX_FILE for a private index. */
  env?: Record<string, string>;
  input?: string | Uint8Array;
}

const tail = (s: string) => s.trim().split('\n').slice(-3).join(' | ');

async function run(args: readonly string[], opts: GitOptions, encoding: 'utf8' | 'buffer') {
  try {
    return await execa('git', args, {
      cwd: opts.cwd,
      env: opts.env,
      input: opts.input,
      encoding,
      reject: false,
      stripFinalNewline: false,
    });
  } catch (e) {
    throw new NotFoundError(`cannot run git: ${e instanceof Error ? e.message : String(e)}`, {}, 'install git and put it on PATH');
  }
}

function fail(args: readonly string[], exitCode: number | undefined, stderr: string): never {
  throw new CommandError(`git ${args.slice(0, 2).join(' ')}`, exitCode, tail(stderr));
}

/** stdout of a successful git command, as text. */
export async function git(args: readonly string[], opts: GitOptions): Promise<string> {
  const r = await run(args, opts, 'utf8');
  if (r.failed || r.exitCode !== 0) fail(args, r.exitCode, String(r.stderr));
  return String(r.stdout);
}

/** stdout of a successful git command, as bytes (blob contents are not always text). */
export async function gitBytes(args: readonly string[], opts: GitOptions): Promise<Buffer> {
  const r = await run(args, opts, 'buffer');
  if (r.failed || r.exitCode !== 0) fail(args, r.exitCode, Buffer.from(r.stderr as Uint8Array).toString('utf8'));
  return Buffer.from(r.stdout as Uint8Array);
}

/** Exit code and output, for commands whose failure is an answer (rev-parse --verify, update-ref races). */
export async function gitTry(args: readonly string[], opts: GitOptions): Promise<{ ok: boolean; stdout: string; stderr: string; exitCode?: number }> {
  const r = await run(args, opts, 'utf8');
  return { ok: !r.failed && r.exitCode === 0, stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode };
}
