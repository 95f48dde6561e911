// Serialises resources as kustomize prints them: keys sorted, go-yaml v3 style, documents joined by `---`.
import yaml from 'js-yaml';
import type { JsonObject, JsonValue } from '../resource.js';

export function emitYaml(value: JsonValue): string {
  return yaml.dump(value, { sortKeys: true, lineWidth: 80, noArrayIndent: true, noRefs: true, quotingType: '"' });
}

export function emitDocuments(objects: readonly JsonObject[]): string {
  return objects.map(emitYaml).join('---\n');
}
