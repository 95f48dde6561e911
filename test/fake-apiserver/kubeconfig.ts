// Writes a kubeconfig whose contexts all point at a fake API server (plain HTTP needs no TLS settings).
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export interface KubeconfigContext {
  name: string;
  namespace?: string;
  /** Server URL of this context's cluster; default: the one given to writeKubeconfig. */
  server?: string;
}

export function writeKubeconfig(file: string, server: string, contexts: (string | KubeconfigContext)[], current?: string): string {
  const ctxs = contexts.map((c) => (typeof c === 'string' ? { name: c } : c));
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: ctxs.map((c) => ({ name: `cluster-${c.name}`, cluster: { server: c.server ?? server } })),
    users: [{ name: 'fake-user', user: { token: 'fake-token' } }],
    contexts: ctxs.map((c) => ({ name: c.name, context: { cluster: `cluster-${c.name}`, user: 'fake-user', ...(c.namespace ? { namespace: c.namespace } : {}) } })),
    'current-context': current ?? ctxs[0]?.name ?? '',
    preferences: {},
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, yaml.dump(doc));
  return file;
}
