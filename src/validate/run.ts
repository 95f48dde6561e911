// `kforge validate` as a function: kforge.yaml and the kustomizations against their schemas, then each
// environment's render (the same render every command consumes) against the Kubernetes schemas, CRD schemas
// and the policy rules. Problems in the user's files are findings, all collected; only a missing project or
// an unknown --env is an error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isKforgeError, NotFoundError } from '../errors.js';
import { Builder } from '../kustomize/build.js';
import { displayPath } from '../kustomize/loader.js';
import { findProjectFile, parseProject, PROJECT_FILE, selectEnvironments, type Project } from '../project/config.js';
import { renderEnvironment, type RenderedEnvironment } from '../render.js';
import { describeId, isObject, resIdOf, type Origin } from '../resource.js';
import type { ProjectImagesConfig } from '../compile/project-images.js';
import { checkKustomizations, checkProjectFile } from './files.js';
import type { Finding } from './findings.js';
import { checkResourceSchema, CrdSchemas } from './k8s-schema.js';
import { checkPolicies } from './policies.js';
import { dottedPath, lineOfPath, type PathSegment } from './yaml-lines.js';

export interface ValidateOptions {
  config?: string;
  cwd?: string;
  envs?: readonly string[];
  /** Computes the project's image tags; the default hashes the image contexts as render does. */
  images?: (project: Project) => Promise<ProjectImagesConfig>;
  /** Keep compiled schema validators here between runs; default defaultCacheDir(); false: never. */
  cacheDir?: string | false;
}

/**
 * The user's cache folder, never the project's: the cache holds code that validate runs, and a checkout (a pull
 * request in CI) must not be able to plant it.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'kforge', 'validate');
}

export interface ValidateReport {
  project?: string;
  environments: string[];
  kustomizations: string[];
  findings: Finding[];
}

function errorFinding(e: unknown, rule: Finding['rule'], env?: string): Finding {
  if (!isKforgeError(e)) throw e;
  const context = e.context.filter((c) => !c.startsWith('rendering env '));
  const message = [...context, e.message].join(': ') + (e.hint ? ` (${e.hint})` : '');
  return { rule, env, file: e.location.file, line: e.location.line, path: e.location.path, message };
}

/** Locates a field of a rendered resource in the file it came from (its document's line when the path is gone).
 *  Origins name files as displayPath shows them: relative to the process's working folder. */
function locator() {
  const texts = new Map<string, string | undefined>();
  return (origin: Origin | undefined, segs: readonly PathSegment[]): { file?: string; line?: number } => {
    if (!origin) return {};
    if (origin.line === undefined) return { file: origin.file };
    let text = texts.get(origin.file);
    if (!texts.has(origin.file)) {
      try {
        text = fs.readFileSync(path.resolve(origin.file), 'utf8');
      } catch {
        text = undefined;
      }
      texts.set(origin.file, text);
    }
    return { file: origin.file, line: text === undefined ? origin.line : lineOfPath(text, segs, origin.line) };
  };
}

const segmentsOf = (dotted: string): PathSegment[] =>
  dotted.split(/\.|(?=\[)/).filter(Boolean).map((s) => (/^\[\d+\]$/.test(s) ? Number(s.slice(1, -1)) : s));

export async function validateProject(opts: ValidateOptions = {}): Promise<ValidateReport> {
  const cwd = opts.cwd ?? process.cwd();
  const file = opts.config ? path.resolve(cwd, opts.config) : findProjectFile(cwd);
  if (!file || !fs.existsSync(file)) {
    throw new NotFoundError(`no ${PROJECT_FILE} ${opts.config ? `at ${opts.config}` : `in ${cwd} or any parent folder`}`, {}, 'run kforge in a kforge project, or pass --config FILE');
  }
  const shown = displayPath(file);
  const report: ValidateReport = { project: shown, environments: [], kustomizations: [], findings: [] };

  // 1. kforge.yaml: its schema, then what parseProject checks beyond it. Nothing else can run without it.
  const text = fs.readFileSync(file, 'utf8');
  report.findings.push(...checkProjectFile(text, shown));
  if (report.findings.length) return report;
  let project: Project;
  try {
    project = parseProject(text, shown);
  } catch (e) {
    report.findings.push(errorFinding(e, 'project-schema'));
    return report;
  }
  const envs = selectEnvironments(project, opts.envs);
  report.environments = envs.map((e) => e.name);

  // 2. Every kustomization the environments reach.
  const kust = checkKustomizations(envs.map((e) => path.resolve(project.root, e.path)));
  report.kustomizations = kust.files;
  report.findings.push(...kust.findings);

  // 3. The project's image tags; mutable tags are the policy rules' to report, so injection lets them through.
  let images: ProjectImagesConfig | undefined;
  try {
    const compute = opts.images ?? (async (p: Project) => (await import('../images/render-images.js')).projectImagesConfig(p));
    images = { ...(await compute(project)), allowMutableTags: true };
  } catch (e) {
    report.findings.push(errorFinding(e, 'images'));
  }

  // 4. The render, one Builder for all environments so shared bases build once.
  const builder = new Builder();
  const rendered: { env: RenderedEnvironment; origins: Origin[] }[] = [];
  for (const env of envs) {
    try {
      const r = renderEnvironment(project, env, { images }, builder);
      // The same (cached) build again, for where each resource came from; the render keeps objects only.
      const origins = builder.build(path.resolve(project.root, env.path)).resources.map((x) => x.origin);
      rendered.push({ env: r, origins });
    } catch (e) {
      report.findings.push(errorFinding(e, 'render', env.name));
    }
  }

  // 5. Schemas: built-in kinds, and custom resources whose CRD is in any rendered environment.
  const crds = new CrdSchemas(rendered.flatMap((r) => r.env.resources));
  for (const p of crds.problems) {
    const name = isObject(p.crd.metadata) ? String(p.crd.metadata.name) : '?';
    report.findings.push({ rule: 'crd-schema', resource: `CustomResourceDefinition ${name}`, message: p.message });
  }
  const cacheDir = opts.cacheDir === false ? undefined : opts.cacheDir ?? defaultCacheDir();
  const locate = locator();
  for (const { env, origins } of rendered) {
    env.resources.forEach((obj, i) => {
      const verdict = checkResourceSchema(obj, { crds, cacheDir });
      if (verdict.kind !== 'checked') return;
      for (const p of verdict.problems) {
        report.findings.push({
          rule: verdict.against === 'crd' ? 'crd-schema' : 'k8s-schema',
          env: env.env.name,
          ...locate(origins[i], p.path),
          resource: describeId(resIdOf(obj)),
          path: dottedPath(p.path) || undefined,
          message: p.message,
        });
      }
    });

    // 6. Policy rules, as switched for this environment.
    const policy = checkPolicies(env.resources, { env: env.env, projectImages: images?.images, registry: images?.registry });
    for (const f of policy) {
      report.findings.push({ rule: f.rule, env: env.env.name, ...locate(origins[f.index], segmentsOf(f.path)), resource: f.resource, path: f.path, message: f.message });
    }
  }
  return report;
}
