#!/usr/bin/env node
// Writes synthetic kustomize trees for benchmarks, plus a kforge.yaml listing every overlay as an environment.
//   node bench/gen-tree.mjs OUT APPS ENVS [shape]
// shapes:
//   flat  one base of APPS apps (Deployment + Service + ConfigMap each) and ENVS overlays with typical edits:
//         namespace, prefix, annotations, an image override per app, a generator, strategic and JSON patches.
//   deep  the same apps split into 4 bases, combined through a chain of 3 intermediate layers (region,
//         tier, env), with components (monitoring sidecar patch, labels) and a generator merged in every layer.
import fs from 'node:fs';
import path from 'node:path';

const [out, appsArg = '100', envsArg = '20', shape = 'flat'] = process.argv.slice(2);
if (!out) {
  console.error('usage: gen-tree.mjs OUT APPS ENVS [flat|deep]');
  process.exit(2);
}
const apps = Number(appsArg);
const envs = Number(envsArg);
const write = (p, s) => {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, s);
};
fs.rmSync(out, { recursive: true, force: true });

function appManifests(n, i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${n}
  labels: {app: ${n}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${n}}}
  template:
    metadata: {labels: {app: ${n}}}
    spec:
      containers:
      - name: main
        image: registry.example.com/${n}:base
        ports: [{containerPort: 8080, name: http}]
        env:
        - {name: LOG_LEVEL, value: info}
        - {name: DB_HOST, value: db}
        envFrom: [{configMapRef: {name: ${n}-cfg}}]
        resources: {requests: {cpu: 10m, memory: 32Mi}}
        volumeMounts: [{name: cfg, mountPath: /etc/${n}}]
      - name: sidecar
        image: registry.example.com/proxy:1.0
      volumes: [{name: cfg, configMap: {name: ${n}-cfg}}]
---
apiVersion: v1
kind: Service
metadata: {name: ${n}, labels: {app: ${n}}}
spec:
  selector: {app: ${n}}
  ports: [{port: 80, targetPort: http, name: http}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ${n}-cfg}
data: {settings.ini: "mode=base\\nid=${i}\\n"}
`;
}

function envPatches(e, env, appNames) {
  const patches = [];
  for (let i = 0; i < appNames.length; i += 3) {
    patches.push(`- target: {kind: Deployment, name: ${appNames[i]}}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${appNames[i]}}
    spec:
      replicas: ${1 + (e % 5)}
      template:
        spec:
          containers:
          - name: main
            env:
            - {name: LOG_LEVEL, value: debug}
            - {name: ENV, value: ${env}}
            resources: {limits: {memory: 256Mi}}`);
  }
  patches.push(`- target: {kind: Service}
  patch: |-
    - op: add
      path: /metadata/annotations/owner
      value: team-${e % 4}`);
  return patches.join('\n');
}

const names = Array.from({ length: apps }, (_, i) => `app${i}`);
const environments = [];

if (shape === 'flat') {
  names.forEach((n, i) => write(`${out}/base/${n}.yaml`, appManifests(n, i)));
  write(`${out}/base/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
- pairs: {app.kubernetes.io/part-of: bench}
  includeSelectors: true
resources:
${names.map((n) => `- ${n}.yaml`).join('\n')}
`);
  for (let e = 0; e < envs; e++) {
    const env = `env${e}`;
    environments.push([env, `overlays/${env}`]);
    write(`${out}/overlays/${env}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: bench-${env}
namePrefix: ${env}-
commonAnnotations: {bench/env: ${env}}
resources:
- ../../base
images:
${names.map((n, i) => `- {name: registry.example.com/${n}, newTag: "h${e}-${i}"}`).join('\n')}
configMapGenerator:
- name: settings
  literals: [ENV=${env}, REGION=r${e % 3}]
patches:
${envPatches(e, env, names)}
`);
  }
} else if (shape === 'deep') {
  const groups = 4;
  for (let g = 0; g < groups; g++) {
    const mine = names.filter((_, i) => i % groups === g);
    mine.forEach((n) => write(`${out}/bases/group${g}/${n}.yaml`, appManifests(n, names.indexOf(n))));
    write(`${out}/bases/group${g}/kustomization.yaml`, `resources:
${mine.map((n) => `- ${n}.yaml`).join('\n')}
configMapGenerator:
- name: group${g}-settings
  literals: [GROUP=${g}]
`);
  }
  write(`${out}/components/monitoring/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
labels:
- pairs: {monitoring: enabled}
patches:
- target: {kind: Deployment}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: any}
    spec:
      template:
        metadata:
          annotations: {prometheus.io/scrape: "true"}
`);
  write(`${out}/components/hardening/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
- target: {kind: Deployment}
  patch: |-
    - op: add
      path: /spec/template/spec/securityContext
      value: {runAsNonRoot: true}
`);
  for (const region of ['eu', 'us']) {
    write(`${out}/layers/${region}/kustomization.yaml`, `resources:
${Array.from({ length: groups }, (_, g) => `- ../../bases/group${g}`).join('\n')}
commonAnnotations: {region: ${region}}
configMapGenerator:
- name: group0-settings
  behavior: merge
  literals: [REGION=${region}]
components: [../../components/monitoring]
`);
    for (const tier of ['gold', 'silver']) {
      write(`${out}/layers/${region}-${tier}/kustomization.yaml`, `resources: [../${region}]
nameSuffix: -${tier}
labels:
- pairs: {tier: ${tier}}
components: [../../components/hardening]
`);
    }
  }
  for (let e = 0; e < envs; e++) {
    const env = `env${e}`;
    const layer = `${['eu', 'us'][e % 2]}-${['gold', 'silver'][Math.floor(e / 2) % 2]}`;
    environments.push([env, `overlays/${env}`]);
    write(`${out}/overlays/${env}/kustomization.yaml`, `resources: [../../layers/${layer}]
namespace: deep-${env}
namePrefix: ${env}-
images:
${names.filter((_, i) => i % 2 === 0).map((n) => `- {name: registry.example.com/${n}, newTag: "d${e}"}`).join('\n')}
configMapGenerator:
- name: group1-settings
  behavior: merge
  literals: [ENV=${env}]
- name: env-settings
  literals: [ENV=${env}]
patches:
${envPatches(e, env, names.map((n) => n))}
`);
  }
} else {
  console.error(`unknown shape '${shape}'`);
  process.exit(2);
}

write(`${out}/kforge.yaml`, `apiVersion: kforge.dev/v1alpha1
kind: Project
environments:
${environments.map(([n, p]) => `  ${n}: {path: ${p}}`).join('\n')}
`);
console.log(`wrote ${shape} tree: ${apps} apps x ${envs} envs to ${out}`);
