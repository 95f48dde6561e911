// A finding of `kforge validate`: one problem in one place, printed in the same one-line shape as kforge's
// errors (`<context>: <file>:<line>: <what> at <path> (<rule>)`), or as JSON.

export type FindingRule =
  | 'project-schema' // kforge.yaml against schemas/kforge.schema.json
  | 'kustomization-schema' // a kustomization file against schemas/kustomization.schema.json
  | 'render' // the environment does not render
  | 'images' // the project's image tags could not be computed
  | 'k8s-schema' // a rendered built-in resource against the Kubernetes OpenAPI schema
  | 'crd-schema' // a custom resource against its CRD's schema, or a CRD schema that cannot be used
  | string; // a policy rule id (src/validate/policies.ts)

export interface Finding {
  rule: FindingRule;
  env?: string;
  file?: string;
  line?: number;
  /** The resource, e.g. `apps/v1 Deployment coolapp-prod/coolapp`. */
  resource?: string;
  /** Field path inside the file's document or the resource. */
  path?: string;
  message: string;
}

export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  const context = f.env ? `env '${f.env}': ` : '';
  const what = f.resource ? `${f.resource}: ${f.message}` : f.message;
  const at = f.path && !f.message.includes(f.path) ? ` at ${f.path}` : '';
  return `${context}${where}${what}${at} (${f.rule})`;
}
