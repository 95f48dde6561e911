// Runs kubectl with argument arrays (never a shell string): every call that reaches the cluster carries the
// guarded --context (and --kubeconfig when given), and every failure becomes one CommandError shape.
import { execa } from 'execa';
import { CommandError, NotFoundError } from '../errors.js';

/** ApplySet prune with server-side apply needs kubectl 1.27 or newer. */
export const MIN_KUBECTL_MINOR = 27;

export interface KubectlOptions {
  /** The kubectl executable; default `kubectl` on PATH. */
  bin?: string;
  kubeconfig?: string;
}

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  canceled?: boolean;
}

export interface RunOptions {
  input?: string;
  /** Extra environment variables for this call (e.g. KUBECTL_APPLYSET=true). */
  env?: Record<string, string>;
  /** Return non-zero exits instead of throwing (kubectl diff: 1 means "changes"). */
  allowExitCodes?: number[];
  /** Stops kubectl (e.g. the losing half of a race); the call then resolves with `canceled`. */
  signal?: AbortSignal;
}

export interface Kubectl {
  readonly context: string;
  /** Runs `kubectl --context C [--kubeconfig K] ARGS`. */
  run(args: readonly string[], opts?: RunOptions): Promise<KubectlResult>;
}

const tail = (s: string) => s.trim().split('\n').filter(Boolean).slice(-3).join(' | ');

/** The environment kubectl runs in: kforge parses diff output, so a user's external diff tool is not used. */
function kubectlEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'KUBECTL_EXTERNAL_DIFF') env[k] = v;
  return { ...env, ...extra };
}

/** Runs kubectl without a context: only for commands that never reach a cluster (version --client). */
function runLocalKubectl(args: readonly string[], bin = 'kubectl'): Promise<KubectlResult> {
  return exec(bin, args, {});
}

async function exec(bin: string, args: readonly string[], opts: RunOptions, shown: readonly string[] = args): Promise<KubectlResult> {
  let r;
  try {
    r = await execa(bin, args, { input: opts.input, env: kubectlEnv(opts.env), extendEnv: false, reject: false, encoding: 'utf8', cancelSignal: opts.signal });
  } catch (e) {
    throw new NotFoundError(`cannot run ${bin}: ${e instanceof Error ? e.message : String(e)}`, {}, 'install kubectl 1.27 or newer and put it on PATH');
  }
  if (r.isCanceled) return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), canceled: true };
  if (r.failed && r.exitCode === undefined) {
    const missing = (r as { code?: string }).code === 'ENOENT';
    throw new NotFoundError(missing ? `kubectl not found: '${bin}' is not on PATH` : `cannot run ${bin}: ${r.shortMessage ?? ''}`, {}, 'install kubectl 1.27 or newer and put it on PATH');
  }
  const result = { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  if (result.exitCode !== 0 && !(opts.allowExitCodes ?? []).includes(result.exitCode)) {
    const firstFlag = shown.findIndex((a) => a.startsWith('-'));
    const words = (firstFlag < 0 ? shown : shown.slice(0, firstFlag)).slice(0, 2);
    throw new CommandError(`kubectl ${words.join(' ')}`, result.exitCode, tail(result.stderr || result.stdout));
  }
  return result;
}

export function createKubectl(context: string, opts: KubectlOptions = {}): Kubectl {
  const bin = opts.bin ?? 'kubectl';
  const guard = ['--context', context, ...(opts.kubeconfig ? ['--kubeconfig', opts.kubeconfig] : [])];
  return { context, run: (args, runOpts = {}) => exec(bin, [...guard, ...args], runOpts, args) };
}

/** Parses `kubectl version --client -o json`; the gcloud dispatcher reports e.g. v1.32.4-dispatcher. */
export function parseClientVersion(json: string): { major: number; minor: number; gitVersion: string } | undefined {
  try {
    const cv = (JSON.parse(json) as { clientVersion?: { major?: string; minor?: string; gitVersion?: string } }).clientVersion;
    const major = Number.parseInt(cv?.major ?? '', 10);
    const minor = Number.parseInt(cv?.minor ?? '', 10);
    if (Number.isNaN(major) || Number.isNaN(minor)) return undefined;
    return { major, minor, gitVersion: cv?.gitVersion ?? `v${major}.${minor}` };
  } catch {
    return undefined;
  }
}

/** Fails clearly when kubectl is missing or older than kforge needs. Returns its version. */
export async function checkKubectl(opts: KubectlOptions = {}): Promise<string> {
  const r = await runLocalKubectl(['version', '--client', '-o', 'json'], opts.bin);
  const v = parseClientVersion(r.stdout);
  if (!v) throw new CommandError('kubectl version', r.exitCode, 'unreadable version output', 'cannot read the version of kubectl');
  if (v.major < 1 || (v.major === 1 && v.minor < MIN_KUBECTL_MINOR)) {
    throw new NotFoundError(`kubectl ${v.gitVersion} is too old: kforge apply needs 1.${MIN_KUBECTL_MINOR} or newer (server-side apply with ApplySet prune)`, {}, 'install a newer kubectl');
  }
  return v.gitVersion;
}
