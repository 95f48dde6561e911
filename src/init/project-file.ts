// The kforge.yaml `kforge init` writes, from what it detected: environments (one per overlay), images (one per
// Dockerfile) and, when the overlays' workloads name them with one registry prefix, the registry. Pure.
import path from 'node:path';
import type { Detection, FoundDockerfile, FoundKustomization } from './detect.js';
import { topLevel } from './detect.js';
import { parseImageRef } from '../images/reference.js';

export interface ProjectDraft {
  text: string;
  environments: { name: string; path: string; protected: boolean }[];
  images: { name: string; context: string; dockerfile?: string; usedAs?: string }[];
  registry?: string;
  /** Things the user should look at: unmatched images, overlays that could not be built. */
  notes: string[];
}

// The usual promotion ladder, so environments read in the order changes travel; others follow alphabetically.
const LADDER = ['dev', 'development', 'int', 'test', 'qa', 'uat', 'stage', 'staging', 'preprod', 'prod', 'production'];
const PROTECTED = /(^|-)(prod|production|live)$/;
const ENV_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

const envName = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'default';
const imageName = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '').replace(/[._-]{2,}/g, '-') || 'app';
const scalar = (s: string) => (/^[A-Za-z0-9._/-]+$/.test(s) && !/^[0-9.]+$/.test(s) ? s : JSON.stringify(s));

/** Unique names: the folder's own name first; the whole relative path when two folders share a name. */
function uniqueNames<T>(items: readonly T[], short: (t: T) => string, long: (t: T) => string): string[] {
  const shorts = items.map(short);
  return items.map((t, i) => (shorts.filter((s) => s === shorts[i]).length > 1 ? long(t) : shorts[i]));
}

function rank(name: string): number {
  const i = LADDER.indexOf(name);
  return i < 0 ? LADDER.length : i;
}

function environments(all: readonly FoundKustomization[], rootName: string) {
  const overlays = topLevel(all);
  const names = uniqueNames(
    overlays,
    (k) => envName(k.dir === '.' ? rootName : path.posix.basename(k.dir)),
    (k) => envName(k.dir === '.' ? rootName : k.dir.replace(/\//g, '-')),
  );
  return overlays
    .map((k, i) => ({ name: names[i], path: k.dir, protected: PROTECTED.test(names[i]) }))
    .filter((e) => ENV_NAME.test(e.name))
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
}

/** `Dockerfile.worker` in web/ is `web-worker`; `api.Dockerfile` is `api`; a plain Dockerfile takes its folder's name. */
function dockerfileImageName(d: FoundDockerfile, rootName: string): string {
  const folder = d.dir === '.' ? rootName : path.posix.basename(d.dir);
  const m = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(d.file) ?? /^(.+)\.(?:Dockerfile|Containerfile)$/.exec(d.file);
  if (!m) return imageName(folder);
  return imageName(d.file.startsWith('Dockerfile') || d.file.startsWith('Containerfile') ? `${folder}-${m[1]}` : m[1]);
}

export function draftProjectFile(det: Detection, opts: { rootName: string; schemaUrl: string }): ProjectDraft {
  const notes: string[] = [];
  const envs = environments(det.kustomizations, opts.rootName);
  const used = [...new Set([...det.imagesByOverlay.values()].flat())];
  const usedRepos = used.map((u) => parseImageRef(u).repository);

  const names = uniqueNames(det.dockerfiles, (d) => dockerfileImageName(d, opts.rootName), (d) => imageName(`${d.dir === '.' ? opts.rootName : d.dir.replace(/\//g, '-')}-${dockerfileImageName(d, opts.rootName)}`));
  const prefixes = new Map<string, number>();
  const images = det.dockerfiles.map((d, i) => {
    // A workload image whose last path segment is this image's name is this image: its prefix is the registry.
    const repo = usedRepos.find((r) => r === names[i] || r.endsWith(`/${names[i]}`));
    if (repo && repo !== names[i]) {
      const prefix = repo.slice(0, -names[i].length - 1);
      prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
    }
    return { name: names[i], context: d.dir, ...(d.file === 'Dockerfile' ? {} : { dockerfile: d.file }), usedAs: repo };
  });
  const ranked = [...prefixes].sort((a, b) => b[1] - a[1]);
  const registry = ranked.length > 0 && REGISTRY.test(ranked[0][0]) ? ranked[0][0] : undefined;
  if (ranked.length > 1) notes.push(`workloads name project images with several registry prefixes (${ranked.map((r) => r[0]).join(', ')}); kforge.yaml uses ${registry ?? 'none'}`);

  const unmatched = images.filter((i) => !i.usedAs).map((i) => i.name);
  if (unmatched.length) {
    const external = used.filter((u) => !images.some((i) => i.usedAs === parseImageRef(u).repository));
    notes.push(
      `no workload runs an image named ${unmatched.join(', ')}: image names come from folder names, so rename them in kforge.yaml to the names the manifests and FROM lines use` +
        (external.length ? ` (the overlays run: ${external.join(', ')})` : ''),
    );
  }
  for (const u of det.unbuildable) notes.push(`could not build ${u.dir} to see its images: ${u.error}`);
  if (!registry && images.length) notes.push('no registry found: set registry (HOST[:PORT]/PATH) before kforge images build, which pushes there');

  const lines = [
    `# yaml-language-server: $schema=${opts.schemaUrl}`,
    '# kforge project file, written by kforge init from the kustomizations and Dockerfiles found here.',
    '# Every field is described in the schema above and in docs/init.md.',
    'apiVersion: kforge.dev/v1alpha1',
    'kind: Project',
    registry ? `registry: ${scalar(registry)}` : '# registry: REGISTRY.EXAMPLE/TEAM   # where kforge images build pushes; needed to build images',
  ];
  if (images.length) {
    lines.push('images:');
    for (const i of images) lines.push(`  - {name: ${scalar(i.name)}, context: ${scalar(i.context)}${i.dockerfile ? `, dockerfile: ${scalar(i.dockerfile)}` : ''}}`);
  }
  lines.push('environments:');
  for (const e of envs) lines.push(`  ${e.name}: {path: ${scalar(e.path)}${e.protected ? ', protected: true' : ''}}`);
  lines.push('  # kforge ci releases an environment from the branches listed for it, e.g. branches: [main]');
  lines.push('release: {branch: release}', '');
  return { text: lines.join('\n'), environments: envs, images: images.map(({ usedAs, ...rest }) => (usedAs ? { ...rest, usedAs } : rest)), registry, notes };
}
