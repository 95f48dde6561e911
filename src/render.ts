// The one render every command consumes: each environment of a project built into resources and file layout.
import path from 'node:path';
import type { Environment, Project } from './project/config.js';
import type { JsonObject } from './resource.js';
import type { Logger } from './log.js';
import { Builder } from './kustomize/build.js';
import type { InputKey } from './kustomize/loader.js';
import { withContext } from './errors.js';
import { layoutFiles, type RenderedFile } from './emit/layout.js';
import { injectProjectImages, type ProjectImagesConfig } from './compile/project-images.js';
import { refuseIrreproducible } from './validate/render-check.js';

export interface RenderedEnvironment {
  env: Environment;
  /** Resources in kustomize's output order. */
  resources: JsonObject[];
  /** One file per resource, named by emit/layout.ts; content is kustomize-formatted YAML. */
  files: RenderedFile[];
  warnings: string[];
  /** What the build read (files, folders, resolved references): the render cache's key. */
  inputs: InputKey[];
}

export interface Rendered {
  project: Project;
  environments: RenderedEnvironment[];
}

export interface RenderOptions {
  /** Read sources from this folder instead of project.root (e.g. a git worktree of another revision). */
  sourceRoot?: string;
  logger?: Logger;
  /** Annotate every resource with this source commit (PROVENANCE_ANNOTATION); release sets it when opted in. */
  sourceCommit?: string;
  /** Point containers at the project's content-hash image tags (see src/images/render-images.ts) and refuse
   *  mutable image tags; without it images are left as kustomize renders them. */
  images?: ProjectImagesConfig;
}

export const PROVENANCE_ANNOTATION = 'kforge.dev/source-commit';

// Added after the build, so generated names (whose hash covers the generator's output) never depend on it.
function withProvenance(obj: JsonObject, commit: string): JsonObject {
  const md = obj.metadata !== null && typeof obj.metadata === 'object' && !Array.isArray(obj.metadata) ? obj.metadata : {};
  const annotations = md.annotations !== null && typeof md.annotations === 'object' && !Array.isArray(md.annotations) ? md.annotations : {};
  return { ...obj, metadata: { ...md, annotations: { ...annotations, [PROVENANCE_ANNOTATION]: commit } } };
}

/** Renders one environment. Pass the same Builder for several environments so shared bases build once. */
export function renderEnvironment(project: Project, env: Environment, opts: RenderOptions = {}, builder = new Builder()): RenderedEnvironment {
  const root = opts.sourceRoot ?? project.root;
  return withContext(`rendering env '${env.name}'`, () => {
    const built = builder.build(path.resolve(root, env.path));
    // Injection pins the project's images; the policy rules (per environment, --allow-mutable-tags) then decide
    // whether what is left is reproducible enough to render.
    const withImages = opts.images ? injectProjectImages(built.resources, { ...opts.images, allowMutableTags: true }) : built.resources;
    if (opts.images) refuseIrreproducible(env, withImages, opts.images);
    const resources = withImages.map((r) => (opts.sourceCommit ? withProvenance(r.object, opts.sourceCommit) : r.object));
    return { env, resources, files: layoutFiles(resources), warnings: built.warnings, inputs: built.inputs };
  });
}

export function renderProject(project: Project, envs: readonly Environment[], opts: RenderOptions = {}): Rendered {
  const builder = new Builder();
  return { project, environments: envs.map((env) => renderEnvironment(project, env, opts, builder)) };
}
