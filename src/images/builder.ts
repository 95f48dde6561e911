// Runs the image builder (docker, buildah or podman): always through execa with an argument array, never a
// shell string. Output is streamed line by line to the caller and its tail kept for error reports.
import { execa } from 'execa';
import { CommandError, InputError, NotFoundError } from '../errors.js';

export type BuilderKind = 'docker' | 'buildah' | 'podman';
export const BUILDER_KINDS: readonly BuilderKind[] = ['docker', 'buildah', 'podman'];
/** Daemonless builders first: they work wherever they are installed, a docker client may have no engine. */
const DETECT_ORDER: readonly BuilderKind[] = ['buildah', 'podman', 'docker'];
const TAIL_LINES = 20;

export interface BuildRequest {
  reference: string;
  contextDir: string;
  /** Path of the Dockerfile to build (kforge's rewritten copy). */
  dockerfile: string;
  buildArgs?: Readonly<Record<string, string>>;
  target?: string;
  /** None: the builder's own platform. Two or more: a manifest list (an OCI index) with one image each. */
  platforms?: readonly string[];
  /** The registry is plain HTTP: the builder may pull project bases from it and must be told. */
  plainHttp: boolean;
}

const isMulti = (platforms: readonly string[] | undefined) => (platforms?.length ?? 0) > 1;

/** The builder's argument list for one build. Pure. */
export function buildArgs(kind: BuilderKind, req: BuildRequest): string[] {
  if (kind === 'docker' && isMulti(req.platforms)) {
    throw new InputError(`building ${req.reference} for ${req.platforms!.length} platforms needs buildah or podman`, {}, 'pass --builder buildah or --builder podman');
  }
  // buildah and podman collect several platforms in a local manifest list named like the image.
  const args = ['build', '--file', req.dockerfile, isMulti(req.platforms) ? '--manifest' : '--tag', req.reference];
  for (const k of Object.keys(req.buildArgs ?? {}).sort()) args.push('--build-arg', `${k}=${req.buildArgs![k]}`);
  if (req.target) args.push('--target', req.target);
  if (req.platforms?.length) args.push('--platform', req.platforms.join(','));
  if (req.plainHttp && kind !== 'docker') args.push('--tls-verify=false');
  args.push(req.contextDir);
  return args;
}

/** The builder's argument list for pushing `reference` (every platform of a manifest list) to its registry. Pure. */
export function pushArgs(kind: BuilderKind, reference: string, plainHttp: boolean, platforms?: readonly string[]): string[] {
  if (kind === 'docker') return ['push', reference];
  const tls = plainHttp ? ['--tls-verify=false'] : [];
  if (isMulti(platforms)) return ['manifest', 'push', '--all', ...tls, reference, `docker://${reference}`];
  return ['push', ...tls, reference, `docker://${reference}`];
}

export interface Builder {
  kind: BuilderKind;
  build(req: BuildRequest, onLine: (line: string) => void): Promise<void>;
  push(reference: string, plainHttp: boolean, platforms: readonly string[] | undefined, onLine: (line: string) => void): Promise<void>;
}

async function onPath(cmd: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const r = await execa(cmd, ['--version'], { reject: false, env, extendEnv: false, stdin: 'ignore' });
  return r.exitCode === 0;
}

/** The requested builder, or the first one installed (buildah, podman, docker). */
export async function detectBuilder(preferred: BuilderKind | undefined, env: NodeJS.ProcessEnv = process.env): Promise<BuilderKind> {
  if (preferred) {
    if (!(await onPath(preferred, env))) throw new NotFoundError(`builder '${preferred}' is not installed (not on PATH)`);
    return preferred;
  }
  for (const k of DETECT_ORDER) if (await onPath(k, env)) return k;
  throw new NotFoundError('no image builder found: install buildah, podman or docker', {}, 'or pass --builder');
}

async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<void> {
  const sub = execa(cmd, args, { all: true, buffer: false, reject: false, env, extendEnv: false, stdin: 'ignore' });
  const tail: string[] = [];
  for await (const line of sub.iterable({ from: 'all' })) {
    onLine(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  }
  const r = await sub;
  if (r.exitCode !== 0 || r.failed) {
    const err = new CommandError(`${cmd} ${args[0]}`, r.exitCode, tail.filter((l) => l.trim()).at(-1) ?? r.originalMessage ?? '');
    throw Object.assign(err, { outputTail: tail });
  }
}

/** The output tail a builder failure carries (the last lines the builder printed). */
export function outputTailOf(e: unknown): string[] {
  const t = (e as { outputTail?: unknown }).outputTail;
  return Array.isArray(t) ? t.filter((l): l is string => typeof l === 'string') : [];
}

export function createBuilder(kind: BuilderKind, env: NodeJS.ProcessEnv = process.env): Builder {
  return {
    kind,
    async build(req, onLine) {
      const args = buildArgs(kind, req);
      if (isMulti(req.platforms)) {
        // A list left by an earlier build of the same tag (--force) would otherwise gain a second set of images.
        await execa(kind, ['manifest', 'rm', req.reference], { reject: false, env, extendEnv: false, stdin: 'ignore' });
      }
      await run(kind, args, env, onLine);
    },
    push: (reference, plainHttp, platforms, onLine) => run(kind, pushArgs(kind, reference, plainHttp, platforms), env, onLine),
  };
}
