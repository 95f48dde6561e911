// `images plan` and `images build` as library calls: hash the project's images, ask the registry which tags it
// has, plan, then build what is missing in dependency order (independent images in parallel), push, and record
// each pushed digest in the lock file as soon as it is known.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandError, InputError, InternalError, isKforgeError, withContextAsync } from '../errors.js';
import type { Project } from '../project/config.js';
import type { Builder } from './builder.js';
import { outputTailOf } from './builder.js';
import { rewriteImages } from './dockerfile.js';
import { lockPath, readLock, withLockedImage, writeLock } from './lock.js';
import { builtStateOf, planImages, type PlannedImage, type RegistryAnswer } from './plan.js';
import type { Progress } from './progress.js';
import { cacheDir, hashProjectImages, type HashedImage, type HashOptions } from './project-hashes.js';
import { registryLocation } from './reference.js';
import type { RegistryClient } from './registry.js';
import { readBuiltStates, writeBuiltState } from './state.js';
import { withDependencies } from './graph.js';

export interface ProjectPlan {
  images: HashedImage[];
  plan: PlannedImage[];
}

const stateDir = (project: Project) => path.join(cacheDir(project), 'images');

/** Asks the registry about every image; an unreachable registry is recorded per image, not thrown. */
export async function askRegistry(images: readonly HashedImage[], registry: RegistryClient, hasRegistry: boolean): Promise<Map<string, RegistryAnswer>> {
  const out = new Map<string, RegistryAnswer>();
  if (!hasRegistry) return out;
  await Promise.all(
    images.map(async (img) => {
      try {
        out.set(img.name, await registry.manifest(img.repository, img.tag));
      } catch (e) {
        if (!isKforgeError(e)) throw e;
        out.set(img.name, { error: e.format() });
      }
    }),
  );
  return out;
}

/** Hashes every image (a base's hash is part of its dependents'), then plans `only` and their bases (default: all). */
export async function planProject(project: Project, registry: RegistryClient, opts: HashOptions & { force?: boolean; only?: readonly string[] } = {}): Promise<ProjectPlan> {
  const all = await hashProjectImages(project, opts);
  const selected = opts.only?.length ? new Set(withDependencies(all, opts.only, project.file)) : undefined;
  const images = selected ? all.filter((i) => selected.has(i.name)) : all;
  const answers = await askRegistry(images, registry, !!project.spec.registry);
  const previous = readBuiltStates(stateDir(project), images.map((i) => i.name));
  return { images, plan: planImages(images, answers, previous, { force: opts.force }) };
}

export interface BuildResult {
  name: string;
  reference: string;
  tag: string;
  digest?: string;
  action: 'built' | 'present' | 'failed' | 'skipped';
  reasons: string[];
  error?: string;
  /** The builder's last output lines, for a failed build. */
  outputTail?: string[];
}

export interface BuildOptions {
  builder: Builder;
  registry: RegistryClient;
  progress: Progress;
  /** Images built at the same time, at most. */
  jobs?: number;
}

/** Builds and pushes what `plan` says, in dependency order; never throws for a failed build (see results). */
export async function buildPlanned(project: Project, { images, plan }: ProjectPlan, opts: BuildOptions): Promise<BuildResult[]> {
  if (!project.spec.registry) throw new InputError('kforge.yaml has no registry to push images to', { file: project.file }, 'add registry: HOST[:PORT]/PATH');
  for (const p of plan) {
    if (p.action === 'unknown') throw new InputError(`cannot tell whether ${p.reference} exists: ${p.registryError}`);
  }
  const byName = new Map(images.map((i) => [i.name, i]));
  const multi = plan.find((p) => p.action === 'build' && (byName.get(p.name)!.spec.platforms?.length ?? 0) > 1);
  if (multi && opts.builder.kind === 'docker') {
    throw new InputError(`image '${multi.name}' lists several platforms: building a manifest list needs buildah or podman`, { file: project.file }, 'pass --builder buildah or --builder podman');
  }
  const registryHost = registryLocation(project.spec.registry).host;
  const plainHttp = opts.registry.isPlainHttp(registryHost);
  const lockFile = lockPath(project.root);
  const tags = new Map(images.map((i) => [i.name, i.tag]));
  const results = new Map<string, BuildResult>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-build-'));

  // The lock is re-read before each write so it only ever changes for images that were pushed (or found).
  const record = (img: HashedImage, digest: string) => {
    writeLock(lockFile, withLockedImage(readLock(lockFile), { name: img.name, reference: img.reference, tag: img.tag, digest }));
    writeBuiltState(stateDir(project), img.name, builtStateOf(img, tags));
  };

  const buildOne = async (img: HashedImage, p: PlannedImage): Promise<BuildResult> => {
    const dockerfile = path.join(tmp, `${encodeURIComponent(img.name)}.Dockerfile`);
    // Project bases are pinned to the exact reference computed for them, whatever the Dockerfile says.
    const pinned = new Map(img.projectUses.map((u) => [u.use, byName.get(u.image)!.reference]));
    fs.writeFileSync(dockerfile, rewriteImages(img.dockerfile, (use) => pinned.get(use)));
    const onLine = (line: string) => opts.progress.output(img.name, line);
    opts.progress.status(img.name, `building ${img.reference} (${p.reasons[0]})`);
    await opts.builder.build(
      { reference: img.reference, contextDir: img.contextDir, dockerfile, buildArgs: img.spec.buildArgs, target: img.spec.target, platforms: img.spec.platforms, plainHttp },
      onLine,
    );
    opts.progress.status(img.name, 'pushing');
    await opts.builder.push(img.reference, plainHttp, img.spec.platforms, onLine);
    const answer = await opts.registry.manifest(img.repository, img.tag);
    if (!answer.exists || !answer.digest) throw new CommandError(`registry ${registryHost}`, undefined, '', `pushed ${img.reference} but the registry does not list it`);
    record(img, answer.digest);
    opts.progress.status(img.name, `pushed ${answer.digest}`);
    return { name: img.name, reference: img.reference, tag: img.tag, digest: answer.digest, action: 'built', reasons: p.reasons };
  };

  const start = async (p: PlannedImage): Promise<void> => {
    const img = byName.get(p.name)!;
    const failedDep = img.deps.find((d) => results.get(d)?.action === 'failed' || results.get(d)?.action === 'skipped');
    if (failedDep) {
      results.set(p.name, { name: p.name, reference: p.reference, tag: p.tag, action: 'skipped', reasons: p.reasons, error: `not built: base image '${failedDep}' was not built` });
      opts.progress.status(p.name, `skipped: base image '${failedDep}' was not built`);
      return;
    }
    if (p.action === 'present') {
      if (p.digest) record(img, p.digest);
      results.set(p.name, { name: p.name, reference: p.reference, tag: p.tag, digest: p.digest, action: 'present', reasons: p.reasons });
      opts.progress.status(p.name, 'present in the registry');
      return;
    }
    try {
      results.set(p.name, await withContextAsync(`image '${p.name}'`, () => buildOne(img, p)));
    } catch (e) {
      if (!isKforgeError(e)) throw e;
      results.set(p.name, { name: p.name, reference: p.reference, tag: p.tag, action: 'failed', reasons: p.reasons, error: e.format(), outputTail: outputTailOf(e) });
      opts.progress.status(p.name, `failed: ${e.message}`);
    }
  };

  // A small scheduler: an image starts once every base it is built FROM has finished, `jobs` at a time.
  try {
    const pending = [...plan];
    const running = new Map<string, Promise<void>>();
    const jobs = Math.max(1, opts.jobs ?? 4);
    for (const p of pending) if (p.action === 'build') opts.progress.status(p.name, 'queued');
    while (pending.length || running.size) {
      const ready = pending.filter((p) => byName.get(p.name)!.deps.every((d) => results.has(d)));
      for (const p of ready) {
        if (running.size >= jobs && p.action === 'build') break;
        pending.splice(pending.indexOf(p), 1);
        running.set(p.name, start(p).finally(() => running.delete(p.name)));
      }
      if (running.size) await Promise.race(running.values());
      else if (pending.length) throw new InternalError(`images wait for each other: ${pending.map((p) => p.name).join(', ')}`);
    }
  } finally {
    opts.progress.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return plan.map((p) => results.get(p.name)!);
}
