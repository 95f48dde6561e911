// The file layout of a rendered environment: one file per resource with a stable, documented name.
//   <namespace or _cluster>_<kind>[.<group>]_<name>.yaml   (lower-case kind; characters outside [A-Za-z0-9._-]
//   become '-'), e.g. coolapp-dev_deployment.apps_web.yaml, _cluster_namespace_coolapp-dev.yaml
// Names are unique because a resource id (group, kind, namespace, name) is unique in a build.
import type { JsonObject } from '../resource.js';
import { resIdOf } from '../resource.js';
import { emitResource } from './yaml.js';

export interface RenderedFile {
  path: string;
  content: string;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '-');

export function fileNameFor(obj: JsonObject): string {
  const id = resIdOf(obj);
  const kind = id.kind.toLowerCase() + (id.group ? `.${id.group}` : '');
  return `${safe(id.namespace || '_cluster')}_${safe(kind)}_${safe(id.name)}.yaml`;
}

export function layoutFiles(resources: readonly JsonObject[]): RenderedFile[] {
  return resources.map((obj) => ({ path: fileNameFor(obj), content: emitResource(obj) }));
}

/** The files of one environment as `kustomize build` prints it: the documents joined by `---`. */
export function documentStream(files: readonly RenderedFile[]): string {
  return files.map((f) => f.content).join('---\n');
}
