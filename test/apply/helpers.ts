// Shared by the apply tests: a temporary git repository built from an inline file map, the fake API server with
// a kubeconfig pointing at it, and the loud kubectl check (skip locally, fail under CI=true).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { startFakeApiServer, type FakeServer, type FakeServerOptions } from '../fake-apiserver/server.js';
import { writeKubeconfig, type KubeconfigContext } from '../fake-apiserver/kubeconfig.js';

/** True when kubectl can run; otherwise prints a loud SKIP, or throws under CI=true. */
export function kubectlAvailable(suite: string): boolean {
  try {
    execaSync('kubectl', ['version', '--client', '-o', 'json']);
    return true;
  } catch {
    const msg = `${suite}: kubectl is not installed: these tests need the real kubectl (1.27+)`;
    if (process.env.CI === 'true') throw new Error(`${msg} and CI=true forbids skipping them`);
    process.stderr.write(`\n!!!!! SKIP ${msg} !!!!!\n\n`);
    return false;
  }
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'kforge test', GIT_AUTHOR_EMAIL: 'test@kforge.invalid',
  GIT_COMMITTER_NAME: 'kforge test', GIT_COMMITTER_EMAIL: 'test@kforge.invalid',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(dir: string, ...args: string[]): string {
  return execaSync('git', args, { cwd: dir, env: GIT_ENV }).stdout;
}

export function writeFiles(dir: string, files: Record<string, string | null>): void {
  for (const [p, content] of Object.entries(files)) {
    const file = path.join(dir, p);
    if (content === null) fs.rmSync(file, { force: true });
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
  }
}

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh repository holding `files` in one commit on branch main; removed when the test process exits. */
export function makeRepo(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-apply-repo-')));
  created.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** Writes (null: deletes) files and commits them. */
export function commitFiles(dir: string, files: Record<string, string | null>, message = 'change'): void {
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

export interface Cluster {
  server: FakeServer;
  kubeconfig: string;
  cacheDir: string;
  close(): Promise<void>;
}

/** The fake API server plus a kubeconfig with `contexts` pointing at it; KUBECACHEDIR goes to a temp folder. */
export async function startCluster(contexts: (string | KubeconfigContext)[], opts: FakeServerOptions = {}): Promise<Cluster> {
  const server = await startFakeApiServer(opts);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-kube-'));
  const kubeconfig = writeKubeconfig(path.join(tmp, 'kubeconfig'), server.url, contexts);
  const cacheDir = path.join(tmp, 'cache');
  process.env.KUBECACHEDIR = cacheDir;
  return {
    server, kubeconfig, cacheDir,
    async close() {
      await server.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Requests that change the cluster (no dry runs, no reads). */
export function writes(server: FakeServer) {
  return server.requests().filter((r) => ['PATCH', 'POST', 'PUT', 'DELETE'].includes(r.method) && !r.dryRun);
}

/** A plain Deployment manifest, annotated with its wave. */
export function deployment(name: string, namespace: string, wave: number, image = `example/${name}:1`): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    kforge.dev/apply-wave: "${wave}"
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: ${image}
`;
}

export function job(name: string, namespace: string, wave: number): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    kforge.dev/apply-wave: "${wave}"
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: ${name}
        image: example/${name}:1
`;
}

export function configMap(name: string, namespace: string, data: Record<string, string>): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
data:
${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}
`;
}

export function service(name: string, namespace: string, wave: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations:
    kforge.dev/apply-wave: "${wave}"
spec:
  selector: {app: ${name}}
  ports:
  - port: 80
`;
}

export const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

/** A project with envs dev (kind-dev), staging (no kubeContext) and prod (protected, context prod). */
export function sampleProject(): Record<string, string> {
  const overlay = (ns: string) => `resources:\n- namespace.yaml\n- config.yaml\n- db.yaml\n- db-service.yaml\n- app.yaml\n`;
  const files: Record<string, string> = {
    'kforge.yaml': `apiVersion: kforge.dev/v1alpha1
kind: Project
environments:
  dev: {path: overlays/dev, kubeContext: kind-dev}
  staging: {path: overlays/staging}
  prod: {path: overlays/prod, kubeContext: prod, protected: true}
`,
  };
  for (const [env, ns] of [['dev', 'shop-dev'], ['staging', 'shop-staging'], ['prod', 'shop-prod']]) {
    files[`overlays/${env}/kustomization.yaml`] = overlay(ns);
    files[`overlays/${env}/namespace.yaml`] = namespace(ns);
    files[`overlays/${env}/config.yaml`] = configMap('settings', ns, { LOG_LEVEL: 'info' });
    files[`overlays/${env}/db.yaml`] = deployment('db', ns, 0);
    files[`overlays/${env}/db-service.yaml`] = service('db', ns, 0);
    files[`overlays/${env}/app.yaml`] = deployment('app', ns, 1);
  }
  return files;
}
