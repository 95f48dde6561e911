// What `kforge init` finds in an existing kustomize repository: the kustomizations (which are overlays — built
// by nobody else — and which are bases or components), the Dockerfiles, and the images the overlays' workloads
// run, from which the registry prefix of the project's own images can be read.
import fs from 'node:fs';
import path from 'node:path';
import { isKforgeError } from '../errors.js';
import { isObject, type JsonValue } from '../resource.js';
import { parseYamlDocument } from '../yaml/parse.js';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization.js';
import { isRemote } from '../kustomize/loader.js';
import { buildKustomization } from '../kustomize/build.js';

export interface FoundKustomization {
  /** Folder relative to the root, '/'-separated ('.' for the root itself). */
  dir: string;
  kind: 'Kustomization' | 'Component';
  /** Folders (relative to the root) of the kustomizations it builds on: resources, bases, components. */
  uses: string[];
}

export interface FoundDockerfile {
  /** Folder relative to the root ('.' for the root). */
  dir: string;
  /** The file name inside `dir`: Dockerfile, Containerfile, web.Dockerfile, Dockerfile.worker, ... */
  file: string;
}

export interface Detection {
  kustomizations: FoundKustomization[];
  dockerfiles: FoundDockerfile[];
  /** Container images the top-level kustomizations' workloads use, by overlay folder. */
  imagesByOverlay: Map<string, string[]>;
  /** Overlays that could not be built (and why), so their images are unknown. */
  unbuildable: { dir: string; error: string }[];
}

// Folders that never hold the project's sources: VCS data, dependencies, build output, kforge's own output.
const SKIP = new Set(['node_modules', 'vendor', 'dist', 'build', 'rendered', 'target', '.kforge-cache']);
const DOCKERFILE = /^(Dockerfile|Containerfile)(\.[A-Za-z0-9_.-]+)?$|^[A-Za-z0-9_.-]+\.(Dockerfile|Containerfile)$/;

const rel = (root: string, p: string) => path.relative(root, p).split(path.sep).join('/') || '.';

function walk(root: string, dir: string, out: { kustomizationFiles: string[]; dockerfiles: FoundDockerfile[] }): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const kfile = entries.find((e) => e.isFile() && KUSTOMIZATION_FILE_NAMES.includes(e.name));
  if (kfile) out.kustomizationFiles.push(path.join(dir, kfile.name));
  for (const e of entries) {
    if (e.isFile() && DOCKERFILE.test(e.name)) out.dockerfiles.push({ dir: rel(root, dir), file: e.name });
    if (e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name)) walk(root, path.join(dir, e.name), out);
  }
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function readKustomization(root: string, file: string, dirs: ReadonlySet<string>): FoundKustomization {
  const dir = path.dirname(file);
  const doc = parseYamlDocument(fs.readFileSync(file, 'utf8'), rel(root, file), { resolution: 'kustomization' });
  const obj = isObject(doc) ? doc : {};
  const refs = [...strings(obj.resources), ...strings(obj.bases), ...strings(obj.components)];
  // Only references to other kustomization folders matter here; files and remote bases do not make an overlay a base.
  const uses = refs.filter((r) => !isRemote(r)).map((r) => path.resolve(dir, r)).filter((p) => dirs.has(p)).map((p) => rel(root, p));
  return { dir: rel(root, dir), kind: obj.kind === 'Component' ? 'Component' : 'Kustomization', uses };
}

/** Container images of every workload in a built kustomization. */
function containerImages(v: JsonValue, out: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) containerImages(x, out);
    return;
  }
  if (!isObject(v)) return;
  for (const [k, child] of Object.entries(v)) {
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(child)) {
      for (const c of child) if (isObject(c) && typeof c.image === 'string') out.add(c.image);
    }
    containerImages(child, out);
  }
}

export function detect(root: string): Detection {
  const found = { kustomizationFiles: [] as string[], dockerfiles: [] as FoundDockerfile[] };
  walk(root, root, found);
  const dirs = new Set(found.kustomizationFiles.map((f) => path.dirname(f)));
  const kustomizations = found.kustomizationFiles.map((f) => readKustomization(root, f, dirs));
  const imagesByOverlay = new Map<string, string[]>();
  const unbuildable: Detection['unbuildable'] = [];
  for (const k of topLevel(kustomizations)) {
    try {
      const images = new Set<string>();
      for (const r of buildKustomization(path.join(root, k.dir)).resources) containerImages(r.object, images);
      imagesByOverlay.set(k.dir, [...images].sort());
    } catch (e) {
      if (!isKforgeError(e)) throw e;
      unbuildable.push({ dir: k.dir, error: e.format() });
    }
  }
  return { kustomizations, dockerfiles: found.dockerfiles, imagesByOverlay, unbuildable };
}

/** Kustomizations no other kustomization builds on: the overlays, one per environment. Pure. */
export function topLevel(all: readonly FoundKustomization[]): FoundKustomization[] {
  const used = new Set(all.flatMap((k) => k.uses));
  return all.filter((k) => k.kind === 'Kustomization' && !used.has(k.dir));
}
