// Policy rules over one environment's rendered resources: each has an id, a one-line explanation and a
// switch per environment in kforge.yaml (environments.<env>.policies: {<id>: false}). Pure: the caller passes
// the resources, the environment and the project's content-hash image tags. `validate` runs every rule;
// `render` runs the ones that guard reproducibility (reproducibilityFindings).
import { parseImageRef } from '../images/reference.js';
import { describeId, isObject, metadataOf, resIdOf, type JsonObject, type JsonValue } from '../resource.js';

export const RULE_IDS = ['image-tag-pinned', 'project-image-hash-tag', 'resource-requests', 'no-plain-secrets', 'no-host-path', 'protected-replicas'] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Says why a protected Deployment runs one replica; the replicas rule accepts it. */
export const SINGLE_REPLICA_ANNOTATION = 'kforge.dev/single-replica-reason';

export interface PolicyEnvironment {
  name: string;
  protected?: boolean;
  allowSecrets?: boolean;
  policies?: Partial<Record<string, boolean>>;
}

export interface PolicyContext {
  env: PolicyEnvironment;
  /** The project's images and the content-hash tag each must carry (from kforge.yaml and the sources). */
  projectImages?: readonly { name: string; repository: string; tag: string }[];
  registry?: string;
}

export interface PolicyFinding {
  rule: RuleId;
  /** Index of the resource in the list checked. */
  index: number;
  resource: string;
  /** Field path inside the resource, as kubectl names fields. */
  path: string;
  message: string;
}

export interface Rule {
  id: RuleId;
  explanation: string;
  /** A render that breaks it would not be reproducible: render runs it too. */
  reproducibility: boolean;
  check(obj: JsonObject, ctx: PolicyContext, all: readonly JsonObject[]): { path: string; message: string }[];
}

// --- pod specs and containers ---------------------------------------------------------------------------------

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController', 'PodTemplate']);

/** The pod spec of a workload and its path: Pod, the templated kinds, CronJob. */
function podSpecOf(obj: JsonObject): { spec: JsonObject; path: string } | undefined {
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  if (obj.kind === 'Pod') return spec ? { spec, path: 'spec' } : undefined;
  if (obj.kind === 'PodTemplate') return isObject(obj.template) && isObject(obj.template.spec) ? { spec: obj.template.spec, path: 'template.spec' } : undefined;
  if (TEMPLATE_KINDS.has(String(obj.kind))) {
    return spec && isObject(spec.template) && isObject(spec.template.spec) ? { spec: spec.template.spec, path: 'spec.template.spec' } : undefined;
  }
  if (obj.kind === 'CronJob' && spec && isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec)) {
    const t = spec.jobTemplate.spec.template;
    return isObject(t) && isObject(t.spec) ? { spec: t.spec, path: 'spec.jobTemplate.spec.template.spec' } : undefined;
  }
  return undefined;
}

interface Container {
  c: JsonObject;
  path: string;
  name: string;
  list: 'containers' | 'initContainers' | 'ephemeralContainers';
}

function containersOf(obj: JsonObject): Container[] {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const out: Container[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      if (isObject(c)) out.push({ c, list, path: `${pod.path}.${list}[${i}]`, name: typeof c.name === 'string' ? c.name : `#${i}` });
    });
  }
  return out;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: JsonValue | undefined) => isObject(v) && Object.keys(v).length > 0;

/** The project image an image reference names: bare name, <registry>/<name>, or any registry's .../<name>. */
function projectImageOf(image: string, ctx: PolicyContext) {
  const { repository } = parseImageRef(image);
  return ctx.projectImages?.find(
    (p) => repository === p.name || repository === p.repository || (ctx.registry !== undefined && repository === `${ctx.registry}/${p.name}`) || repository.endsWith(`/${p.name}`),
  );
}

// --- the rules ----------------------------------------------------------------------------------------------------

export const RULES: readonly Rule[] = [
  {
    id: 'image-tag-pinned',
    explanation: "every container image has a tag other than 'latest', or a digest: a mutable tag deploys whatever was pushed last",
    reproducibility: true,
    check: (obj) =>
      containersOf(obj).flatMap(({ c, path, name }) => {
        const image = str(c.image);
        if (image === undefined) return [];
        const ref = parseImageRef(image);
        if (ref.digest) return [];
        if (!ref.tag) return [{ path: `${path}.image`, message: `container '${name}': image '${image}' has no tag` }];
        if (ref.tag === 'latest') return [{ path: `${path}.image`, message: `container '${name}': image '${image}' is tagged 'latest'` }];
        return [];
      }),
  },
  {
    id: 'project-image-hash-tag',
    explanation: "the project's own images carry their content-hash tag, so the manifest names exactly the code it was rendered from",
    reproducibility: true,
    check: (obj, ctx) =>
      containersOf(obj).flatMap(({ c, path, name }) => {
        const image = str(c.image);
        const p = image === undefined ? undefined : projectImageOf(image, ctx);
        if (!image || !p) return [];
        const ref = parseImageRef(image);
        if (ref.tag === p.tag) return [];
        return [{ path: `${path}.image`, message: `container '${name}': image '${image}' is the project image '${p.name}' without its content-hash tag ${p.tag}` }];
      }),
  },
  {
    id: 'resource-requests',
    explanation: 'containers request cpu and memory so the scheduler can place them; in protected environments they also set a memory limit',
    reproducibility: false,
    check: (obj, ctx) =>
      containersOf(obj)
        .filter((x) => x.list !== 'ephemeralContainers') // the API refuses resources on ephemeral containers
        .flatMap(({ c, path, name }) => {
          const res = isObject(c.resources) ? c.resources : {};
          const requests = isObject(res.requests) ? res.requests : {};
          const limits = isObject(res.limits) ? res.limits : {};
          const missing = ['cpu', 'memory'].filter((k) => requests[k] === undefined || requests[k] === null);
          const out: { path: string; message: string }[] = [];
          if (missing.length) out.push({ path: `${path}.resources.requests`, message: `container '${name}' requests no ${missing.join(' and ')}` });
          if (ctx.env.protected && (limits.memory === undefined || limits.memory === null)) {
            out.push({ path: `${path}.resources.limits`, message: `container '${name}' sets no memory limit (environment '${ctx.env.name}' is protected)` });
          }
          return out;
        }),
  },
  {
    id: 'no-plain-secrets',
    explanation: 'no Secret with data in an environment released to git (kforge release): use SealedSecrets, SOPS, or create it in the cluster',
    reproducibility: false,
    check: (obj, ctx) => {
      // allowSecrets is the project's explicit "this environment may carry Secrets in git" (release honours it).
      if (ctx.env.allowSecrets || obj.kind !== 'Secret' || (obj.apiVersion !== 'v1' && obj.apiVersion !== undefined)) return [];
      if (isObject(obj.sops)) return []; // SOPS-encrypted: only ciphertext
      const fields = (['data', 'stringData'] as const).filter((f) => nonEmpty(obj[f]));
      return fields.map((f) => ({ path: f, message: `Secret holds plain ${f} (keys ${Object.keys(obj[f] as JsonObject).join(', ')})` }));
    },
  },
  {
    id: 'no-host-path',
    explanation: "protected environments mount no hostPath volumes: they tie a pod to one node's disk and expose the node",
    reproducibility: false,
    check: (obj, ctx) => {
      if (!ctx.env.protected) return [];
      if (obj.kind === 'PersistentVolume' && isObject(obj.spec) && isObject(obj.spec.hostPath)) {
        return [{ path: 'spec.hostPath', message: `PersistentVolume uses hostPath ${str(obj.spec.hostPath.path) ?? ''}`.trim() }];
      }
      const pod = podSpecOf(obj);
      if (!pod || !Array.isArray(pod.spec.volumes)) return [];
      return pod.spec.volumes.flatMap((v, i) =>
        isObject(v) && isObject(v.hostPath) ? [{ path: `${pod.path}.volumes[${i}].hostPath`, message: `volume '${str(v.name) ?? i}' is a hostPath (${str(v.hostPath.path) ?? '?'})` }] : [],
      );
    },
  },
  {
    id: 'protected-replicas',
    explanation: `Deployments in protected environments run more than one replica (spec.replicas, or an autoscaler's minReplicas), or say why in the annotation ${SINGLE_REPLICA_ANNOTATION}`,
    reproducibility: false,
    check: (obj, ctx, all) => {
      if (!ctx.env.protected || obj.kind !== 'Deployment') return [];
      const reason = metadataOf(obj).annotations;
      if (isObject(reason) && str(reason[SINGLE_REPLICA_ANNOTATION])?.trim()) return [];
      const id = resIdOf(obj);
      const hpa = all.find((h) => {
        if (h.kind !== 'HorizontalPodAutoscaler' || !isObject(h.spec) || !isObject(h.spec.scaleTargetRef)) return false;
        const ref = h.spec.scaleTargetRef;
        return ref.kind === 'Deployment' && ref.name === id.name && resIdOf(h).namespace === id.namespace;
      });
      if (hpa && isObject(hpa.spec)) {
        const min = typeof hpa.spec.minReplicas === 'number' ? hpa.spec.minReplicas : 1;
        return min > 1 ? [] : [{ path: 'spec.replicas', message: `Deployment is scaled by HorizontalPodAutoscaler '${resIdOf(hpa).name}' with minReplicas ${min}` }];
      }
      const spec = isObject(obj.spec) ? obj.spec : {};
      const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
      if (replicas > 1) return [];
      return [{ path: 'spec.replicas', message: `Deployment runs ${replicas} replica${replicas === 1 ? '' : 's'} in protected environment '${ctx.env.name}'` }];
    },
  },
];

export function ruleEnabled(id: RuleId, env: PolicyEnvironment): boolean {
  return env.policies?.[id] !== false;
}

/** Runs the enabled rules (all, or only those guarding reproducibility) over one environment's resources. */
export function checkPolicies(resources: readonly JsonObject[], ctx: PolicyContext, opts: { only?: 'reproducibility' } = {}): PolicyFinding[] {
  const rules = RULES.filter((r) => ruleEnabled(r.id, ctx.env) && (opts.only !== 'reproducibility' || r.reproducibility));
  const out: PolicyFinding[] = [];
  resources.forEach((obj, index) => {
    for (const rule of rules) {
      for (const f of rule.check(obj, ctx, resources)) out.push({ rule: rule.id, index, resource: describeId(resIdOf(obj)), ...f });
    }
  });
  return out;
}

/** The rules render runs: images pinned, project images on their content-hash tag. */
export function reproducibilityFindings(resources: readonly JsonObject[], ctx: PolicyContext): PolicyFinding[] {
  return checkPolicies(resources, ctx, { only: 'reproducibility' });
}
