// End to end, in process: applyEnvironment drives the real kubectl against the fake API server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { applyEnvironment, type ApplyOptions, type ApplyReport } from '../../src/apply/run.js';
import { isKforgeError } from '../../src/errors.js';
import { memoryLogger } from '../../src/log.js';
import { loadProject, selectEnvironments } from '../../src/project/config.js';
import type { JsonObject } from '../../src/resource.js';
import { startFakeApiServer, type FakeServerOptions } from '../fake-apiserver/server.js';
import { writeKubeconfig } from '../fake-apiserver/kubeconfig.js';
import {
  commitFiles, configMap, deployment, git, job, kubectlAvailable, makeRepo, sampleProject, startCluster, writeFiles, writes, type Cluster,
} from './helpers.js';

const enabled = kubectlAvailable('test/apply/run.test.ts');

interface Run {
  report?: ApplyReport;
  error?: unknown;
  diff: string;
  lines: string[];
  asked: string[];
}

async function apply(repo: string, cluster: Cluster, env: string, extra: Partial<ApplyOptions> = {}, answer?: string): Promise<Run> {
  const project = loadProject({ config: path.join(repo, 'kforge.yaml') });
  const [e] = selectEnvironments(project, [env]);
  const logger = memoryLogger();
  const run: Run = { diff: '', lines: logger.lines, asked: [] };
  try {
    run.report = await applyEnvironment({
      project, env: e, logger, kubeconfig: cluster.kubeconfig, timeoutMs: 10_000, color: false, yes: true,
      showDiff: (t) => { run.diff += t; },
      prompter: { interactive: answer !== undefined, ask: async (q) => { run.asked.push(q); return answer ?? ''; } },
      ...extra,
    });
    if (run.report.failure) run.error = run.report.failure;
  } catch (e) {
    run.error = e;
  }
  return run;
}

function errorText(run: Run): string {
  assert.ok(run.error, `expected an error, got: ${run.lines.join(' / ')}`);
  assert.ok(isKforgeError(run.error), `expected a kforge error, got ${String(run.error)}`);
  return run.error.format();
}

function ok(run: Run): ApplyReport {
  if (run.error) assert.unreachable(`unexpected error: ${isKforgeError(run.error) ? run.error.format() : String(run.error)}\n${run.lines.join('\n')}`);
  return run.report!;
}

async function withCluster(fn: (cluster: Cluster) => Promise<void>, contexts: string[] = ['kind-dev', 'prod'], opts: FakeServerOptions = {}) {
  const cluster = await startCluster(contexts, opts);
  try {
    await fn(cluster);
  } finally {
    await cluster.close();
  }
}

const seqOf = (cluster: Cluster, pred: (e: (typeof cluster.server.log)[number]) => boolean) => {
  const e = cluster.server.log.find(pred);
  assert.ok(e, 'expected log entry missing');
  return e.seq;
};
const applied = (kind: string, name: string) => (e: Cluster['server']['log'][number]) => e.type === 'request' && e.method === 'PATCH' && !e.dryRun && e.kind === kind && e.name === name;

if (enabled) {
  test('first apply creates everything in wave order: the database is applied and ready before the app', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const report = ok(await apply(repo, cluster, 'dev'));
      assert.equal(report.waves.map((w) => [w.name, w.status]), [['prerequisites', 'ready'], ['0', 'ready'], ['1', 'ready']]);
      assert.ok(report.resources.every((r) => r.outcome === 'applied' && r.action === 'create'), JSON.stringify(report.resources));
      const ns = seqOf(cluster, applied('Namespace', 'shop-dev'));
      const db = seqOf(cluster, applied('Deployment', 'db'));
      const dbReady = seqOf(cluster, (e) => e.type === 'controller' && e.name === 'db' && e.state === 'ready');
      // rollout status lists (and, unless already done, watches) the Deployment by name.
      const dbWatched = seqOf(cluster, (e) => e.type === 'request' && e.method === 'GET' && e.query.fieldSelector === 'metadata.name=db');
      const app = seqOf(cluster, applied('Deployment', 'app'));
      assert.ok(ns < db && db < dbWatched && dbReady < app, `order: ns ${ns}, db ${db}, db watched ${dbWatched}, db ready ${dbReady}, app ${app}`);
      const dep = cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'app')!;
      const mf = (dep.metadata as JsonObject).managedFields as JsonObject[];
      assert.equal(mf.map((m) => m.manager), ['kforge'], 'applied with field manager kforge');
    });
  });

  test('every kubectl call that reaches the cluster names the context, and the diff runs server-side first', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'dev');
      ok(run);
      assert.match(run.lines.join('\n'), /target: context 'kind-dev', cluster 'cluster-kind-dev' at http:\/\/127\.0\.0\.1:\d+/);
      assert.match(run.lines.join('\n'), /namespaces: shop-dev/);
      const firstDryRun = cluster.server.requests().find((r) => r.dryRun)!;
      const firstWrite = writes(cluster.server)[0];
      assert.ok(firstDryRun.seq < firstWrite.seq, 'diff before apply');
      assert.match(run.diff, /\+kind: Namespace/);
      assert.match(run.diff, /NEW\/apps\.v1\.Deployment\.shop-dev\.app/);
    });
  });

  test('a second apply says nothing to apply and writes nothing', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev'));
      const before = writes(cluster.server).length;
      const run = await apply(repo, cluster, 'dev');
      const report = ok(run);
      assert.equal(report.changed, false);
      assert.ok(run.lines.includes('nothing to apply'), run.lines.join('\n'));
      assert.equal(run.diff, '');
      assert.equal(writes(cluster.server).length, before);
      assert.ok(report.resources.every((r) => r.outcome === 'unchanged'));
    });
  });

  test('an overlay change applies only the changed resource', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev'));
      commitFiles(repo, { 'overlays/dev/config.yaml': configMap('settings', 'shop-dev', { LOG_LEVEL: 'debug' }) });
      const before = writes(cluster.server).length;
      const run = await apply(repo, cluster, 'dev');
      const report = ok(run);
      const after = writes(cluster.server).slice(before);
      assert.equal(after.map((w) => `${w.method} ${w.kind}/${w.name}`), ['PATCH ConfigMap/settings']);
      assert.match(run.diff, /-  LOG_LEVEL: info\n\+  LOG_LEVEL: debug/);
      assert.equal(report.resources.filter((r) => r.outcome === 'applied').map((r) => r.name), ['settings']);
      assert.equal((cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'settings')!.data as JsonObject).LOG_LEVEL, 'debug');
    });
  });

  test('Secret values never appear in the diff, new or changed', async () => {
    const secret = (value: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-password\n  namespace: shop-dev\nstringData:\n  password: ${value}\n`;
    const files = sampleProject();
    files['overlays/dev/secret.yaml'] = secret('hunter2-first');
    files['overlays/dev/kustomization.yaml'] += '- secret.yaml\n';
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      const first = await apply(repo, cluster, 'dev');
      ok(first);
      assert.match(first.diff, /kind: Secret/);
      assert.not.ok(first.diff.includes('hunter2'), first.diff);
      commitFiles(repo, { 'overlays/dev/secret.yaml': secret('hunter2-second') });
      const second = await apply(repo, cluster, 'dev');
      ok(second);
      assert.match(second.diff, /password: '\*\*\* \(before\)'/);
      assert.not.ok(second.diff.includes('hunter2') || second.diff.includes(Buffer.from('hunter2-first').toString('base64')), second.diff);
    });
  });

  test('a field another manager owns stops the diff with the conflict; --force-conflicts takes it over', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev'));
      cluster.server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop-dev' }, data: { LOG_LEVEL: 'warn' } }, 'kubectl-client-side-apply');
      const refused = await apply(repo, cluster, 'dev');
      assert.match(errorText(refused), /^kubectl diff failed with exit code \d+: .*conflict with "kubectl-client-side-apply"/);
      const forced = await apply(repo, cluster, 'dev', { forceConflicts: true });
      ok(forced);
      assert.equal((cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'settings')!.data as JsonObject).LOG_LEVEL, 'info');
    });
  });

  test('a context missing from the kubeconfig is refused before any request', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const msg = errorText(await apply(repo, cluster, 'dev'));
      assert.match(msg, /kube context 'kind-dev' of environment 'dev' is not in the kubeconfig \(known contexts: kind-test, prod\)/);
      assert.equal(cluster.server.log.length, 0);
    }, ['kind-test', 'prod']);
  });

  test('the context named in kforge.yaml is used, not the current one: the other cluster gets no request', async () => {
    const repo = makeRepo(sampleProject());
    const prodServer = await startFakeApiServer();
    try {
      await withCluster(async (cluster) => {
        // Same kubeconfig, current context prod (another server): dev must still go to kind-dev's server.
        writeKubeconfig(cluster.kubeconfig, cluster.server.url, ['kind-dev', { name: 'prod', server: prodServer.url }], 'prod');
        ok(await apply(repo, cluster, 'dev'));
        assert.ok(cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'app'));
        assert.equal(prodServer.log.filter((e) => e.type === 'request'), []);
      });
    } finally {
      await prodServer.close();
    }
  });

  test('an environment without kubeContext uses the current context and says so', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'staging', { dryRun: true });
      ok(run);
      assert.ok(run.lines.some((l) => l.includes("environment 'staging' names no kubeContext in kforge.yaml: using the current context 'some-context'")), run.lines.join('\n'));
    }, ['some-context']);
  });

  test('a protected environment refuses --yes alone, before any request', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const msg = errorText(await apply(repo, cluster, 'prod', { yes: true }));
      assert.match(msg, /environment 'prod' is protected: --yes alone is refused \(add --confirm-env prod/);
      assert.equal(cluster.server.log.length, 0);
      ok(await apply(repo, cluster, 'prod', { yes: true, confirmEnv: 'prod' }));
      assert.ok(cluster.server.get('apps/v1', 'Deployment', 'shop-prod', 'app'));
    });
  });

  test('a protected environment asks for its name on a terminal, and a wrong answer changes nothing', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'prod', { yes: false }, 'yes');
      assert.match(errorText(run), /apply of environment 'prod' was not confirmed: nothing was changed/);
      assert.match(run.asked[0], /Environment 'prod' is protected\. Type its name to apply to context 'prod'/);
      assert.equal(writes(cluster.server).length, 0);
      ok(await apply(repo, cluster, 'prod', { yes: false }, 'prod'));
      assert.ok(writes(cluster.server).length > 0);
    });
  });

  test('without a terminal and without --yes the apply is refused', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const msg = errorText(await apply(repo, cluster, 'dev', { yes: false }));
      assert.match(msg, /refusing to apply environment 'dev' without confirmation: there is no terminal to ask on \(pass --yes\)/);
      assert.equal(writes(cluster.server).length, 0);
    });
  });

  test('a never-ready Deployment stops the apply, names it, and leaves later waves untouched', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'dev', { timeoutMs: 1500 });
      const msg = errorText(run);
      assert.match(msg, /^wave 0 is not ready \(waited up to 1500ms\): apps\/v1 Deployment shop-dev\/db \(timed out waiting for the condition; last status: Waiting for deployment "db" rollout to finish: 0 of 1 updated replicas are available\.\.\.\); later waves \(1\) were not applied$/);
      assert.equal(run.error && isKforgeError(run.error) ? run.error.exitCode : 0, 1);
      assert.not.ok(cluster.server.requests({ kind: 'Deployment', name: 'app' }).some((r) => !r.dryRun && r.method === 'PATCH'), 'the app was never applied');
      assert.equal(cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'app'), undefined);
      const report = run.report!;
      assert.equal(report.waves.map((w) => w.status), ['ready', 'not-ready', 'not-applied']);
      assert.equal(report.resources.find((r) => r.name === 'app' && r.kind === 'Deployment')!.outcome, 'not-applied');
    }, ['kind-dev'], { readyAfter: (obj) => ((obj.metadata as JsonObject).name === 'db' ? 'never' : undefined) });
  });

  test('a Job must complete before the next wave; a failed Job stops the apply without waiting for the timeout', async () => {
    const files = sampleProject();
    files['overlays/dev/migrate.yaml'] = job('migrate', 'shop-dev', 0);
    files['overlays/dev/kustomization.yaml'] += '- migrate.yaml\n';
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev'));
      const done = seqOf(cluster, (e) => e.type === 'controller' && e.name === 'migrate' && e.state === 'ready');
      assert.ok(done < seqOf(cluster, applied('Deployment', 'app')), 'the app waits for the Job');
    });
    await withCluster(async (cluster) => {
      // A long timeout: the failure must be noticed from the Job's Failed condition, not by timing out.
      const run = await apply(repo, cluster, 'dev', { timeoutMs: 600_000 });
      assert.match(errorText(run), /^wave 0 is not ready \(waited up to 10m\): batch\/v1 Job shop-dev\/migrate \(the Job failed\); later waves \(1\) were not applied$/);
      assert.equal(cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'app'), undefined);
    }, ['kind-dev'], { readyAfter: (obj) => ((obj.metadata as JsonObject).name === 'migrate' ? 'fail' : undefined) });
  });

  test('--dry-run shows the diff and the plan and changes nothing', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'dev', { dryRun: true, yes: false });
      const report = ok(run);
      assert.equal(writes(cluster.server).length, 0);
      assert.ok(report.resources.every((r) => r.outcome === 'planned'));
      const text = run.lines.join('\n');
      assert.match(text, /wave prerequisites: create v1 Namespace shop-dev\nwave 0: create v1 ConfigMap shop-dev\/settings, create v1 Service shop-dev\/db, create apps\/v1 Deployment shop-dev\/db\nwave 1: create apps\/v1 Deployment shop-dev\/app\ndry run: nothing was changed/);
    });
  });

  test('--prune deletes a removed resource and nothing else', async () => {
    const files = sampleProject();
    files['overlays/dev/old.yaml'] = configMap('old', 'shop-dev', { A: '1' });
    files['overlays/dev/kustomization.yaml'] += '- old.yaml\n';
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev', { prune: true }));
      // Someone else's objects in the same namespace, one of them of a kind kforge applies.
      cluster.server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours', namespace: 'shop-dev' }, data: { B: '2' } });
      cluster.server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-set', namespace: 'shop-dev', labels: { 'applyset.kubernetes.io/part-of': 'applyset-someone-else-v1' } } });
      commitFiles(repo, { 'overlays/dev/old.yaml': null, 'overlays/dev/kustomization.yaml': files['overlays/dev/kustomization.yaml'].replace('- old.yaml\n', '') });
      const dry = await apply(repo, cluster, 'dev', { prune: true, dryRun: true });
      ok(dry);
      assert.is(dry.diff, '# prune: v1 ConfigMap shop-dev/old\n');
      assert.ok(dry.lines.includes('prune after all waves are ready: v1 ConfigMap shop-dev/old'), dry.lines.join('\n'));
      assert.ok(cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'old'), 'a dry run deletes nothing');
      const run = await apply(repo, cluster, 'dev', { prune: true });
      const report = ok(run);
      assert.match(run.diff, /# prune: v1 ConfigMap shop-dev\/old/);
      assert.equal(cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'old'), undefined);
      const deletes = writes(cluster.server).filter((w) => w.method === 'DELETE');
      assert.equal(deletes.map((d) => `${d.kind}/${d.name}`), ['ConfigMap/old']);
      for (const [kind, apiVersion, name] of [['ConfigMap', 'v1', 'not-ours'], ['ConfigMap', 'v1', 'other-set'], ['ConfigMap', 'v1', 'settings'], ['Deployment', 'apps/v1', 'app'], ['Deployment', 'apps/v1', 'db']]) {
        assert.ok(cluster.server.get(apiVersion, kind, 'shop-dev', name), `${kind}/${name} survives`);
      }
      assert.equal(report.resources.filter((r) => r.action === 'prune').map((r) => [r.name, r.outcome]), [['old', 'pruned']]);
      const parent = cluster.server.get('v1', 'Secret', 'shop-dev', 'kforge-dev')!;
      assert.ok(parent, 'the ApplySet parent Secret exists');
    });
  });

  test('--prune also removes what earlier applies without --prune put there: kforge labels every object it applies', async () => {
    const files = sampleProject();
    files['overlays/dev/old.yaml'] = configMap('old', 'shop-dev', { A: '1' });
    files['overlays/dev/kustomization.yaml'] += '- old.yaml\n';
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev'));
      assert.equal(cluster.server.get('v1', 'Secret', 'shop-dev', 'kforge-dev'), undefined, 'no ApplySet parent without --prune');
      commitFiles(repo, { 'overlays/dev/old.yaml': null, 'overlays/dev/kustomization.yaml': files['overlays/dev/kustomization.yaml'].replace('- old.yaml\n', '') });
      const report = ok(await apply(repo, cluster, 'dev', { prune: true }));
      assert.equal(report.resources.filter((r) => r.action === 'prune').map((r) => `${r.name} ${r.outcome}`), ['old pruned']);
      assert.equal(cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'old'), undefined);
      assert.ok(cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'settings'));
    });
  });

  test('a Namespace that leaves the render is kept unless --prune-namespaces is given', async () => {
    const files = sampleProject();
    files['overlays/dev/extra-ns.yaml'] = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: scratch\n';
    files['overlays/dev/kustomization.yaml'] += '- extra-ns.yaml\n';
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev', { prune: true }));
      commitFiles(repo, { 'overlays/dev/extra-ns.yaml': null, 'overlays/dev/kustomization.yaml': files['overlays/dev/kustomization.yaml'].replace('- extra-ns.yaml\n', '') });
      const kept = await apply(repo, cluster, 'dev', { prune: true });
      ok(kept);
      assert.ok(kept.lines.some((l) => l.startsWith('keeping v1 Namespace scratch')), kept.lines.join('\n'));
      assert.ok(cluster.server.get('v1', 'Namespace', '', 'scratch'), 'kept');
      const pruned = await apply(repo, cluster, 'dev', { prune: true, pruneNamespaces: true });
      assert.equal(ok(pruned).resources.filter((r) => r.action === 'prune').map((r) => [r.kind, r.name, r.outcome]), [['Namespace', 'scratch', 'pruned']]);
      assert.equal(cluster.server.get('v1', 'Namespace', '', 'scratch'), undefined);
      assert.ok(cluster.server.get('v1', 'Namespace', '', 'shop-dev'));
    });
  });

  test('a namespace whose resources all left the render has its members deleted, the namespace itself kept', async () => {
    const files = sampleProject();
    files['overlays/dev/extra.yaml'] = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n---\n' + configMap('extra-settings', 'extra', { A: '1' });
    files['overlays/dev/kustomization.yaml'] += '- extra.yaml\n';
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev', { prune: true }));
      assert.ok(cluster.server.get('v1', 'Secret', 'extra', 'kforge-dev'), 'an ApplySet parent per namespace');
      cluster.server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours', namespace: 'extra' } });
      commitFiles(repo, { 'overlays/dev/extra.yaml': null, 'overlays/dev/kustomization.yaml': files['overlays/dev/kustomization.yaml'].replace('- extra.yaml\n', '') });
      const report = ok(await apply(repo, cluster, 'dev', { prune: true }));
      assert.equal(report.resources.filter((r) => r.action === 'prune' || r.action === 'keep').map((r) => `${r.kind}/${r.name} ${r.outcome}`), ['ConfigMap/extra-settings pruned', 'Namespace/extra kept']);
      assert.equal(cluster.server.get('v1', 'ConfigMap', 'extra', 'extra-settings'), undefined);
      assert.ok(cluster.server.get('v1', 'ConfigMap', 'extra', 'not-ours'));
      assert.ok(cluster.server.get('v1', 'Namespace', '', 'extra'));
      assert.equal(cluster.server.get('v1', 'Secret', 'extra', 'kforge-dev'), undefined, 'the emptied set has no parent left');
    });
  });

  test('an object the server rejects fails the diff with its message, and nothing is applied', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      ok(await apply(repo, cluster, 'dev'));
      commitFiles(repo, {
        'overlays/dev/config.yaml': configMap('settings', 'shop-dev', { LOG_LEVEL: 'debug' }),
        'overlays/dev/app.yaml': deployment('app', 'shop-dev', 1).replace('labels: {app: app}', 'labels: {app: other}'),
      });
      const before = writes(cluster.server).length;
      const msg = errorText(await apply(repo, cluster, 'dev'));
      assert.match(msg, /^kubectl diff failed with exit code \d+: .*The Deployment "app" is invalid: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
      assert.equal(writes(cluster.server).length, before);
    });
  });

  test('a wave that the server refuses stops the apply there; earlier waves stay applied', async () => {
    const files = sampleProject();
    files['overlays/dev/app.yaml'] = deployment('app', 'shop-dev', 1).replace('labels: {app: app}', 'labels: {app: other}');
    const repo = makeRepo(files);
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'dev');
      assert.match(errorText(run), /^applying wave 1: kubectl apply failed with exit code 1: The Deployment "app" is invalid/);
      assert.ok(cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'db'));
      assert.equal(run.report!.waves.map((w) => w.status), ['ready', 'ready', 'failed']);
      assert.equal(run.report!.resources.find((r) => r.kind === 'Deployment' && r.name === 'app')!.outcome, 'failed');
    });
  });

  test('uncommitted changes that alter the render are refused unless --allow-dirty, and always for protected environments', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      writeFiles(repo, { 'overlays/dev/config.yaml': configMap('settings', 'shop-dev', { LOG_LEVEL: 'trace' }), 'overlays/prod/config.yaml': configMap('settings', 'shop-prod', { LOG_LEVEL: 'trace' }) });
      assert.match(errorText(await apply(repo, cluster, 'dev')), /uncommitted changes would change environment 'dev': overlays\/dev\/config\.yaml, overlays\/prod\/config\.yaml \(commit them, or pass --allow-dirty/);
      assert.equal(cluster.server.log.length, 0);
      assert.match(errorText(await apply(repo, cluster, 'prod', { allowDirty: true, confirmEnv: 'prod' })), /--allow-dirty is refused for protected environment 'prod'/);
      const run = await apply(repo, cluster, 'dev', { allowDirty: true });
      ok(run);
      assert.ok(run.lines.some((l) => l.startsWith('source: working tree (uncommitted changes, --allow-dirty)')));
      assert.equal((cluster.server.get('v1', 'ConfigMap', 'shop-dev', 'settings')!.data as JsonObject).LOG_LEVEL, 'trace');
    });
  });

  test('uncommitted changes outside the environment do not block it, and HEAD is what gets applied', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (cluster) => {
      writeFiles(repo, { 'overlays/prod/config.yaml': configMap('settings', 'shop-prod', { LOG_LEVEL: 'trace' }), 'notes.txt': 'scratch' });
      const run = await apply(repo, cluster, 'dev');
      ok(run);
      assert.ok(run.lines.some((l) => /^source: HEAD [0-9a-f]{12} \(uncommitted changes elsewhere/.test(l)), run.lines.join('\n'));
    });
  });

  test('--from-release applies the environment folder of the release branch', async () => {
    const repo = makeRepo(sampleProject());
    git(repo, 'checkout', '-q', '--orphan', 'release');
    git(repo, 'rm', '-rq', '--cached', '.');
    commitFiles(repo, {
      'dev/_cluster_namespace_shop-dev.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop-dev\n',
      'dev/shop-dev_deployment.apps_web.yaml': deployment('web', 'shop-dev', 0, 'example/web:released'),
      'README.md': 'release branch\n',
    }, 'release');
    git(repo, 'checkout', '-q', '-f', 'main');
    await withCluster(async (cluster) => {
      const run = await apply(repo, cluster, 'dev', { fromRelease: true });
      ok(run);
      assert.ok(run.lines.some((l) => /^source: release branch 'release' [0-9a-f]{12}, folder dev\/, 2 resources$/.test(l)), run.lines.join('\n'));
      const web = cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'web')!;
      assert.match(JSON.stringify(web.spec), /example\/web:released/);
      assert.equal(cluster.server.get('apps/v1', 'Deployment', 'shop-dev', 'app'), undefined);
    });
  });
} else {
  test('apply end-to-end tests are skipped: kubectl is missing', () => {});
}

test.run();
