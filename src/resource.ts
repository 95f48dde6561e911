// The unit every stage passes around: one Kubernetes object as plain JSON data, plus where it came from.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Where a resource (or a patch) was read from, for error messages. */
export interface Origin {
  file: string; // path as the user would type it (relative to the working directory where possible)
  index: number; // 0-based document index in a multi-document file
  line?: number; // 1-based line where the document starts
}

export interface Resource {
  readonly object: JsonObject;
  readonly origin: Origin;
}

/** group/version/kind/namespace/name, the identity kustomize and the API server use. */
export interface ResId {
  group: string;
  version: string;
  kind: string;
  namespace: string; // '' when absent
  name: string;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function metadataOf(obj: JsonObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

export function resIdOf(obj: JsonObject): ResId {
  const { group, version } = splitApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  const md = metadataOf(obj);
  return {
    group,
    version,
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    namespace: typeof md.namespace === 'string' ? md.namespace : '',
    name: typeof md.name === 'string' ? md.name : '',
  };
}

/** A short human form, e.g. `apps/v1 Deployment coolapp-dev/web`. */
export function describeId(id: ResId): string {
  const gv = id.group ? `${id.group}/${id.version}` : id.version;
  return `${gv} ${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

export function describeResource(r: Resource): string {
  return describeId(resIdOf(r.object));
}

/** Deep copy of plain JSON data (structuredClone keeps it simple and fast enough for our sizes). */
export function cloneJson<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}
