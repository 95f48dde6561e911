// The fake API server, checked the way it is used: through the real kubectl, plus raw HTTP for documents.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startFakeApiServer, type FakeServer } from './server.js';
import { writeKubeconfig } from './kubeconfig.js';
import { kubectlAvailable } from '../apply/helpers.js';

const enabled = kubectlAvailable('test/fake-apiserver/server.test.ts');
let server: FakeServer;
let dir: string;
let kubeconfig: string;

test.before(async () => {
  const behaviour: Record<string, 'never' | 'fail'> = { stuck: 'never', broken: 'fail' };
  server = await startFakeApiServer({ readyAfter: (o) => behaviour[String((o.metadata as { name?: string }).name)] ?? 20 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-fake-'));
  kubeconfig = writeKubeconfig(path.join(dir, 'kubeconfig'), server.url, ['fake']);
});
test.after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const kubectl = (args: string[], input?: string) =>
  execa('kubectl', ['--kubeconfig', kubeconfig, '--context', 'fake', ...args], { reject: false, input, env: { KUBECACHEDIR: path.join(dir, 'cache') } });

const get = async (p: string, accept = 'application/json') => {
  const r = await fetch(server.url + p, { headers: { accept } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: (await r.json()) as Record<string, unknown> };
};

const deployment = (name: string, labels = `{app: ${name}}`) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ns1}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: c, image: nginx}]}
`;

test('discovery is served aggregated when asked for, and legacy otherwise', async () => {
  const agg = await get('/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json');
  assert.is(agg.type, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.is(agg.body.kind, 'APIGroupDiscoveryList');
  const legacy = await get('/apis');
  assert.is(legacy.body.kind, 'APIGroupList');
  const apps = await get('/apis/apps/v1');
  assert.ok(JSON.stringify(apps.body).includes('"name":"deployments"'));
  const openapi = await get('/openapi/v3/apis/apps/v1');
  assert.ok(JSON.stringify(openapi.body).includes('"name":"fieldValidation"'));
});

if (enabled) {
  test('kubectl applies server-side, and a missing namespace or object is a NotFound Status', async () => {
    let r = await kubectl(['apply', '--server-side', '-f', '-'], deployment('web'));
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, /namespaces "ns1" not found/);
    r = await kubectl(['apply', '--server-side', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns1}\n');
    assert.is(r.exitCode, 0, r.stderr);
    r = await kubectl(['get', 'deployment', 'nope', '-n', 'ns1']);
    assert.match(r.stderr, /Error from server \(NotFound\): deployments.apps "nope" not found/);
  });

  test('an invalid object is a 422 Invalid Status that kubectl prints', async () => {
    const r = await kubectl(['apply', '--server-side', '-f', '-'], deployment('bad', '{app: other}'));
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, /The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: \{"app":"other"\}: `selector` does not match template `labels`/);
  });

  test('an unknown field is refused under fieldValidation=Strict', async () => {
    const r = await kubectl(['apply', '--server-side', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ns1}\nspex: {}\n');
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, /strict decoding error: unknown field "spex"/);
  });

  test('a conflicting field manager is a 409 Conflict, and dryRun=All stores nothing', async () => {
    assert.is((await kubectl(['apply', '--server-side', '--field-manager=a', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, namespace: ns1}\ndata: {k: "1"}\n')).exitCode, 0);
    const r = await kubectl(['apply', '--server-side', '--field-manager=b', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, namespace: ns1}\ndata: {k: "2"}\n');
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, /conflict with "a"/);
    const dry = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry, namespace: ns1}\n');
    assert.is(dry.exitCode, 0, dry.stderr);
    assert.equal(server.get('v1', 'ConfigMap', 'ns1', 'dry'), undefined);
    assert.ok(server.requests({ method: 'PATCH', name: 'dry', dryRun: true }).length === 1);
  });

  test('rollout status sees a Deployment become ready, and watches one that never is until it times out', async () => {
    assert.is((await kubectl(['apply', '--server-side', '-f', '-'], deployment('web') + '---\n' + deployment('stuck'))).exitCode, 0);
    const ok = await kubectl(['rollout', 'status', 'deployment/web', '-n', 'ns1', '--timeout=10s']);
    assert.is(ok.exitCode, 0, ok.stderr);
    assert.match(ok.stdout, /deployment "web" successfully rolled out/);
    const stuck = await kubectl(['rollout', 'status', 'deployment/stuck', '-n', 'ns1', '--timeout=1s']);
    assert.is(stuck.exitCode, 1);
    assert.match(stuck.stderr, /timed out waiting for the condition/);
    assert.ok(server.requests().some((r) => r.watch && r.query.fieldSelector === 'metadata.name=stuck' && r.status === 200));
  });

  test('a Deployment past its progress deadline fails rollout status at once', async () => {
    assert.is((await kubectl(['apply', '--server-side', '-f', '-'], deployment('broken'))).exitCode, 0);
    const r = await kubectl(['rollout', 'status', 'deployment/broken', '-n', 'ns1', '--timeout=60s']);
    assert.is(r.exitCode, 1);
    assert.match(r.stderr, /deployment "broken" exceeded its progress deadline/);
  });

  test('StatefulSets and DaemonSets roll out as kubectl rollout status expects', async () => {
    const sts = deployment('db').replace('kind: Deployment', 'kind: StatefulSet').replace('spec:\n', 'spec:\n  serviceName: db\n');
    const ds = deployment('agent').replace('kind: Deployment', 'kind: DaemonSet');
    assert.is((await kubectl(['apply', '--server-side', '-f', '-'], `${sts}---\n${ds}`)).exitCode, 0);
    const a = await kubectl(['rollout', 'status', 'statefulset/db', '-n', 'ns1', '--timeout=10s']);
    assert.is(a.exitCode, 0, a.stderr);
    assert.match(a.stdout, /partitioned roll out complete|rolling update complete/);
    const b = await kubectl(['rollout', 'status', 'daemonset/agent', '-n', 'ns1', '--timeout=10s']);
    assert.is(b.exitCode, 0, b.stderr);
    assert.match(b.stdout, /daemon set "agent" successfully rolled out/);
  });

  test('a Job completes and kubectl wait sees it, its template is immutable, and delete removes it', async () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: ns1}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}\n';
    assert.is((await kubectl(['apply', '--server-side', '-f', '-'], job)).exitCode, 0);
    const w = await kubectl(['wait', '--for=condition=complete', 'job/migrate', '-n', 'ns1', '--timeout=10s']);
    assert.is(w.exitCode, 0, w.stderr);
    const changed = await kubectl(['apply', '--server-side', '-f', '-'], job.replace('image: busybox', 'image: alpine'));
    assert.is(changed.exitCode, 1);
    assert.match(changed.stderr, /The Job "migrate" is invalid: spec.template: Invalid value: .*: field is immutable/);
    const d = await kubectl(['delete', 'job', 'migrate', '-n', 'ns1']);
    assert.is(d.exitCode, 0, d.stderr);
    assert.equal(server.get('batch/v1', 'Job', 'ns1', 'migrate'), undefined);
  });

  test('get prints server-side tables and JSON lists filtered by label', async () => {
    const t = await kubectl(['get', 'deployments', '-n', 'ns1']);
    assert.match(t.stdout, /^NAME\s+AGE\nbroken\s+\d+s\nstuck\s+\d+s\nweb\s+\d+s$/);
    await kubectl(['label', 'deployment', 'web', '-n', 'ns1', 'tier=front']);
    const j = await kubectl(['get', 'deployments', '-n', 'ns1', '-l', 'tier=front', '-o', 'jsonpath={.items[*].metadata.name}']);
    assert.is(j.stdout, 'web');
  });
  test('kubectl falls back to legacy discovery on a server without aggregated discovery', async () => {
    const legacy = await startFakeApiServer({ aggregatedDiscovery: false });
    try {
      const kc = writeKubeconfig(path.join(dir, 'legacy-kubeconfig'), legacy.url, ['fake']);
      const run = (args: string[], input?: string) =>
        execa('kubectl', ['--kubeconfig', kc, '--context', 'fake', ...args], { reject: false, input, env: { KUBECACHEDIR: path.join(dir, 'legacy-cache') } });
      const r = await run(['apply', '--server-side', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata: {name: old}\n---\n' + deployment('web').replace('ns1', 'old'));
      assert.is(r.exitCode, 0, r.stderr);
      assert.ok(legacy.requests({ method: 'GET' }).some((q) => q.path === '/apis/apps/v1'), 'read the legacy group-version document');
      assert.ok(legacy.get('apps/v1', 'Deployment', 'old', 'web'));
    } finally {
      await legacy.close();
    }
  });
} else {
  test('fake server tests through kubectl are skipped: kubectl is missing', () => {});
}

test.run();
