// `kustomize build -o DIR`: one file per resource, named as kustomize names them:
// [<namespace>_]<group>_<version>_<kind>_<name>.yaml in lower case, the namespace prefix only when the
// namespaced resources span more than one namespace (an empty namespace counts as "default").
import type { JsonObject } from '../resource.js';
import { resIdOf } from '../resource.js';
import { isClusterScoped } from '../compile/gvk.js';
import { emitDocuments } from '../emit/yaml.js';

export interface OutputFile {
  name: string;
  content: string;
}

export function kustomizeOutputFiles(objects: readonly JsonObject[]): OutputFile[] {
  const ids = objects.map((o) => ({ o, id: resIdOf(o) }));
  const namespaced = ids.filter(({ id }) => !isClusterScoped(id));
  const namespaces = new Set(namespaced.map(({ id }) => id.namespace || 'default'));
  const base = (id: ReturnType<typeof resIdOf>) => `${[id.group, id.version, id.kind].filter((x) => x).join('_')}_${id.name}`.toLowerCase();
  return ids.map(({ o, id }) => {
    const prefix = !isClusterScoped(id) && namespaces.size > 1 ? `${(id.namespace || 'default').toLowerCase()}_` : '';
    return { name: `${prefix}${base(id)}.yaml`, content: emitDocuments([o]) };
  });
}
