// The container images a render refers to: what a release commit lists as its image tags.
import type { JsonValue } from '../resource.js';
import { isObject } from '../resource.js';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** Every `image` of every container list anywhere in the objects (Pods, workloads, CronJobs, custom kinds). */
export function imagesOf(objects: readonly JsonValue[]): string[] {
  const found = new Set<string>();
  const visit = (v: JsonValue): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isObject(v)) return;
    for (const [k, child] of Object.entries(v)) {
      if (CONTAINER_LISTS.includes(k) && Array.isArray(child)) {
        for (const c of child) if (isObject(c) && typeof c.image === 'string') found.add(c.image);
      }
      visit(child);
    }
  };
  objects.forEach(visit);
  return [...found].sort();
}
