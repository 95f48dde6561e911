// The cluster guard: which context, cluster and server an environment's apply will reach, decided from the
// kubeconfig before any request is sent. A context kforge.yaml names must exist; an environment without one
// falls back to the current context only when it is not protected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, NotFoundError } from '../errors.js';
import type { Environment } from '../project/config.js';
import { isObject } from '../resource.js';
import { parseYamlDocument } from '../yaml/parse.js';

/** The parts of a kubeconfig the guard reads. */
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

/**
 * Reads the kubeconfig kubectl would use (--kubeconfig, else each file of $KUBECONFIG, else ~/.kube/config),
 * merged as kubectl merges it: the first file to define a name or the current context wins. Read directly,
 * because the gcloud kubectl dispatcher contacts the cluster even for `kubectl config view`.
 */
export function readKubeconfig(opts: { kubeconfig?: string; env?: NodeJS.ProcessEnv; home?: string } = {}): KubeconfigView {
  const env = opts.env ?? process.env;
  const files = opts.kubeconfig
    ? [opts.kubeconfig]
    : env.KUBECONFIG
      ? env.KUBECONFIG.split(path.delimiter).filter(Boolean)
      : [path.join(opts.home ?? os.homedir(), '.kube', 'config')];
  const merged: KubeconfigView = { contexts: [], clusters: [] };
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      if (opts.kubeconfig) throw new NotFoundError(`cannot read kubeconfig ${file}`);
      continue; // kubectl skips files of $KUBECONFIG that do not exist
    }
    const doc = parseYamlDocument(text, file);
    if (!isObject(doc)) continue;
    const view = doc as unknown as KubeconfigView;
    if (!merged['current-context'] && view['current-context']) merged['current-context'] = view['current-context'];
    for (const c of view.contexts ?? []) if (!merged.contexts!.some((m) => m.name === c.name)) merged.contexts!.push(c);
    for (const c of view.clusters ?? []) if (!merged.clusters!.some((m) => m.name === c.name)) merged.clusters!.push(c);
  }
  return merged;
}
