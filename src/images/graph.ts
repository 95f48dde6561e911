// The build order of project images: each image after the project images it is built FROM. Pure.
import { InputError, NotFoundError } from '../errors.js';

export interface GraphNode {
  name: string;
  /** Names of project images this one is built FROM (or copies from). */
  deps: readonly string[];
}

/** Names in dependency order; among images whose dependencies are met, declaration order is kept. */
export function dependencyOrder(nodes: readonly GraphNode[], file?: string): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const visit = (name: string, trail: string[]) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      throw new InputError(`images are built FROM each other in a cycle: ${cycle}`, { file });
    }
    state.set(name, 'visiting');
    for (const d of byName.get(name)?.deps ?? []) visit(d, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const n of nodes) visit(n.name, []);
  return order;
}

/** Every image that (transitively) depends on `name`. */
export function dependentsOf(nodes: readonly GraphNode[], name: string): Set<string> {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (!out.has(n.name) && n.deps.some((d) => d === name || out.has(d))) {
        out.add(n.name);
        grew = true;
      }
    }
  }
  return out;
}

/** `names` and every image they are (transitively) built FROM, in the order of `nodes`; unknown names are an error. */
export function withDependencies(nodes: readonly GraphNode[], names: readonly string[], file?: string): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const keep = new Set<string>();
  const add = (name: string) => {
    if (keep.has(name)) return;
    keep.add(name);
    for (const d of byName.get(name)!.deps) add(d);
  };
  for (const n of names) {
    if (!byName.has(n)) throw new NotFoundError(`unknown image '${n}'`, { file }, `known: ${nodes.map((x) => x.name).join(', ')}`);
    add(n);
  }
  return nodes.filter((n) => keep.has(n.name)).map((n) => n.name);
}
