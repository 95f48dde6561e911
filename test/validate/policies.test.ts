// Policy rules: each fires on a resource that breaks it, passes on one that keeps it, and obeys its switch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import yaml from 'js-yaml';
import type { JsonObject } from '../../src/resource.js';
import { checkPolicies, reproducibilityFindings, RULE_IDS, RULES, SINGLE_REPLICA_ANNOTATION, type PolicyContext } from '../../src/validate/policies.js';

const docs = (text: string) => yaml.loadAll(text) as JsonObject[];
const dev: PolicyContext = { env: { name: 'dev' }, projectImages: [{ name: 'shop', repository: 'reg.example/shop', tag: 'h-0123abcd' }], registry: 'reg.example' };
const prod: PolicyContext = { ...dev, env: { name: 'prod', protected: true } };

const deployment = (container: string, extra = '') => docs(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ns${extra}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - ${container}
`);
const GOOD = 'name: web\n        image: nginx:1.27\n        resources: {requests: {cpu: 10m, memory: 10Mi}, limits: {memory: 20Mi}}';
const rules = (found: { rule: string }[]) => found.map((f) => f.rule);

test('every rule has an id, a one-line explanation, and its id is a switch in the kforge.yaml schema', async () => {
  const schema = JSON.parse((await import('node:fs')).readFileSync('schemas/kforge.schema.json', 'utf8'));
  const names = schema.properties.environments.additionalProperties.properties.policies.propertyNames.enum;
  assert.equal(RULES.map((r) => r.id), [...RULE_IDS]);
  assert.equal(names, [...RULE_IDS]);
  for (const r of RULES) assert.ok(r.explanation.length > 20 && !r.explanation.includes('\n'), r.id);
});

test('a well-formed Deployment passes every rule, protected or not', () => {
  assert.equal(checkPolicies(deployment(GOOD), dev), []);
  assert.equal(checkPolicies(deployment(GOOD), prod), []);
});

test("image-tag-pinned: an image without a tag or tagged latest fires; a digest or a tag passes", () => {
  const none = checkPolicies(deployment(GOOD.replace('nginx:1.27', 'nginx')), dev);
  assert.equal(rules(none), ['image-tag-pinned']);
  assert.is(none[0].path, 'spec.template.spec.containers[0].image');
  assert.match(none[0].message, /'nginx' has no tag/);
  assert.match(checkPolicies(deployment(GOOD.replace('nginx:1.27', 'nginx:latest')), dev)[0].message, /tagged 'latest'/);
  assert.equal(checkPolicies(deployment(GOOD.replace('nginx:1.27', `nginx@sha256:${'a'.repeat(64)}`)), dev), []);
});

test('project-image-hash-tag: a project image on any other tag fires, on its content-hash tag passes', () => {
  const other = checkPolicies(deployment(GOOD.replace('nginx:1.27', 'ghcr.io/acme/shop:v2')), dev);
  assert.equal(rules(other), ['project-image-hash-tag']);
  assert.match(other[0].message, /project image 'shop' without its content-hash tag h-0123abcd/);
  assert.equal(checkPolicies(deployment(GOOD.replace('nginx:1.27', 'reg.example/shop:h-0123abcd')), dev), []);
});

test('resource-requests: missing requests fire everywhere, a missing memory limit only in protected environments', () => {
  const bare = deployment('name: web\n        image: nginx:1.27');
  const f = checkPolicies(bare, dev);
  assert.equal(rules(f), ['resource-requests']);
  assert.match(f[0].message, /requests no cpu and memory/);
  const noLimit = deployment('name: web\n        image: nginx:1.27\n        resources: {requests: {cpu: 1, memory: 1Gi}}');
  assert.equal(checkPolicies(noLimit, dev), []);
  assert.equal(rules(checkPolicies(noLimit, prod)), ['resource-requests']);
  assert.match(checkPolicies(noLimit, prod)[0].message, /no memory limit/);
});

test('no-plain-secrets: a Secret with data fires unless the environment allows Secrets or it is SOPS-encrypted', () => {
  const secret = docs('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n');
  const f = checkPolicies(secret, dev);
  assert.equal(rules(f), ['no-plain-secrets']);
  assert.is(f[0].path, 'stringData');
  assert.equal(checkPolicies(secret, { ...dev, env: { name: 'dev', allowSecrets: true } }), []);
  assert.equal(checkPolicies(docs('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: b}\nsops: {version: "3"}\n'), dev), []);
  assert.equal(checkPolicies(docs('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: Opaque\n'), dev), []);
});

test('no-host-path: a hostPath volume or PersistentVolume fires in protected environments only', () => {
  const pod = docs(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: "busybox:1", resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {memory: 1Mi}}}]\n  volumes: [{name: root, hostPath: {path: /}}]\n`);
  assert.equal(checkPolicies(pod, dev), []);
  const f = checkPolicies(pod, prod);
  assert.equal(rules(f), ['no-host-path']);
  assert.is(f[0].path, 'spec.volumes[0].hostPath');
  const pv = docs('apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec: {hostPath: {path: /data}}\n');
  assert.equal(rules(checkPolicies(pv, prod)), ['no-host-path']);
});

test('protected-replicas: one replica in a protected environment fires unless annotated or autoscaled above one', () => {
  const one = deployment(GOOD).map((d) => ({ ...d, spec: { ...(d.spec as JsonObject), replicas: 1 } }));
  assert.equal(checkPolicies(one, dev), []);
  const f = checkPolicies(one, prod);
  assert.equal(rules(f), ['protected-replicas']);
  assert.match(f[0].message, /runs 1 replica in protected environment 'prod'/);
  assert.equal(checkPolicies(deployment(GOOD, `, annotations: {${SINGLE_REPLICA_ANNOTATION}: "owns a RWO volume"}`).map((d) => ({ ...d, spec: { ...(d.spec as JsonObject), replicas: 1 } })), prod), []);
  const hpa = (min: number) => docs(`apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: ns}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: ${min}, maxReplicas: 5}\n`);
  assert.equal(checkPolicies([...one, ...hpa(2)], prod), []);
  assert.match(checkPolicies([...one, ...hpa(1)], prod)[0].message, /minReplicas 1/);
});

test('a rule switched off for an environment stays silent there', () => {
  const bad = deployment('name: web\n        image: nginx');
  assert.equal(rules(checkPolicies(bad, dev)), ['image-tag-pinned', 'resource-requests']);
  assert.equal(rules(checkPolicies(bad, { ...dev, env: { name: 'dev', policies: { 'image-tag-pinned': false } } })), ['resource-requests']);
});

test('render runs only the rules that guard reproducibility', () => {
  const bad = deployment('name: web\n        image: ghcr.io/acme/shop:v2').concat(deployment('name: x\n        image: nginx', '').map((d) => ({ ...d, metadata: { name: 'x' } })));
  assert.equal(rules(reproducibilityFindings(bad, prod)), ['project-image-hash-tag', 'image-tag-pinned']);
  assert.equal(RULES.filter((r) => r.reproducibility).map((r) => r.id), ['image-tag-pinned', 'project-image-hash-tag']);
});

test('CronJobs, Jobs and init containers are checked through their pod templates', () => {
  const cron = docs('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate: {spec: {template: {spec: {initContainers: [{name: i, image: "busybox"}], containers: [{name: c, image: "busybox:1", resources: {requests: {cpu: 1m, memory: 1Mi}}}]}}}}\n');
  const f = checkPolicies(cron, dev);
  assert.equal(f.map((x) => `${x.rule} ${x.path}`), [
    'image-tag-pinned spec.jobTemplate.spec.template.spec.initContainers[0].image',
    'resource-requests spec.jobTemplate.spec.template.spec.initContainers[0].resources.requests',
  ]);
});

test.run();
