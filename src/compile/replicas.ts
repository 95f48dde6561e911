// The `replicas` field: sets spec.replicas on the named workloads, matched by any name they had.
import { InputError } from '../errors.js';
import type { FieldSpec } from './fieldspec.js';
import { updateAtPath } from './fieldspec.js';
import { gvkSelected, gvkString, idDisplay } from './gvk.js';
import { curId, withObject, type Res } from './res.js';

export interface ReplicaCount {
  name: string;
  count: number;
}

export function setReplicas(resources: readonly Res[], replicas: readonly ReplicaCount[], specs: readonly FieldSpec[]): Res[] {
  let out = resources.slice();
  for (const rc of replicas) {
    let found = false;
    for (const fs of specs) {
      out = out.map((r) => {
        const matches = [...r.prevIds, curId(r)].filter((id) => id.name === rc.name && gvkSelected(id, fs)).length;
        if (!matches) return r;
        found = true;
        return withObject(r, updateAtPath(r.object, fs.path, fs.create ?? false, 'scalar', () => rc.count, { object: idDisplay(curId(r)) }));
      });
    }
    if (!found) {
      const gvks = specs.map((s) => gvkString({ group: s.group ?? '', version: s.version ?? '', kind: s.kind ?? '' })).join(' ');
      throw new InputError(`replicas: resource with name ${rc.name} does not match a config with the following GVK [${gvks}]`);
    }
  }
  return out;
}
