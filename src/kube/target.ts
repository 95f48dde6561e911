// The cluster guard: which context, cluster and server an environment's apply will reach, decided from the
// kubeconfig before any request is sent. A context kforge.yaml names must exist; an environment without one
// falls back to the current context only when it is not protected.
import { InputError, NotFoundError } from '../errors.js';
import type { Environment } from '../project/config.js';
import { runLocalKubectl, type KubectlOptions } from './kubectl.js';

/** The parts of `kubectl config view -o json` the guard reads. */
export interface KubeconfigView {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string; namespace?: string; user?: string } }[] | null;
  clusters?: { name: string; cluster?: { server?: string } }[] | null;
}

export interface Target {
  context: string;
  cluster: string;
  server: string;
  /** The context's default namespace, used for namespaced resources that name none. */
  namespace: string;
  /** True when kforge.yaml names no context and the current one is used. */
  fromCurrentContext: boolean;
}

export function resolveTarget(view: KubeconfigView, env: Environment): Target {
  const contexts = view.contexts ?? [];
  let name = env.kubeContext;
  const fromCurrentContext = !name;
  if (!name) {
    if (env.protected) {
      throw new InputError(`environment '${env.name}' is protected and names no kubeContext`, {}, `set environments.${env.name}.kubeContext in kforge.yaml: kforge never applies a protected environment to the current context`);
    }
    name = view['current-context'];
    if (!name) throw new NotFoundError(`environment '${env.name}' names no kubeContext and the kubeconfig has no current context`, {}, `set environments.${env.name}.kubeContext in kforge.yaml`);
  }
  const ctx = contexts.find((c) => c.name === name);
  if (!ctx) {
    const known = contexts.map((c) => c.name);
    throw new NotFoundError(`kube context '${name}' of environment '${env.name}' is not in the kubeconfig`, {}, known.length ? `known contexts: ${known.join(', ')}` : 'the kubeconfig has no contexts');
  }
  const clusterName = ctx.context?.cluster ?? '';
  const cluster = (view.clusters ?? []).find((c) => c.name === clusterName);
  if (!cluster?.cluster?.server) {
    throw new NotFoundError(`kube context '${name}' refers to cluster '${clusterName}', which the kubeconfig does not define`);
  }
  return { context: name, cluster: clusterName, server: cluster.cluster.server, namespace: ctx.context?.namespace || 'default', fromCurrentContext };
}

/** Reads the merged kubeconfig (KUBECONFIG or --kubeconfig) as kubectl sees it; credentials stay redacted. */
export async function readKubeconfig(opts: KubectlOptions = {}): Promise<KubeconfigView> {
  const r = await runLocalKubectl(['config', 'view', '-o', 'json'], opts);
  try {
    return JSON.parse(r.stdout) as KubeconfigView;
  } catch {
    throw new NotFoundError('cannot read the kubeconfig: kubectl config view printed no JSON');
  }
}
