import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempRepo } from '../git/fixture.js';
import { kforge } from '../release/run-cli.js';
import { deployment, overlay, projectFiles, secretFile } from '../release/project.js';

function changedRepo() {
  const repo = tempRepo({ ...projectFiles(), 'overlays/prod/db.yaml': secretFile('db'), 'overlays/prod/kustomization.yaml': overlay('app-prod', 'info', ['db.yaml']) });
  const base = repo.git('rev-parse', 'HEAD');
  repo.commit({ 'base/deployment.yaml': deployment('registry.example/web:1.0.1', 2), 'overlays/prod/db.yaml': secretFile('db').replace('c3VwZXItc2VjcmV0', 'b3RoZXItc2VjcmV0') });
  return { repo, base };
}

test('diff exits 1 with a summary and unified diffs when the render changed', async () => {
  const { repo, base } = changedRepo();
  const r = await kforge(repo.dir, 'diff', '--base', base, '--head', 'HEAD');
  assert.is(r.exitCode, 1, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines.slice(2, 4), ['dev: 0 added, 1 changed, 0 removed', 'prod: 0 added, 2 changed, 0 removed']);
  assert.match(r.stdout, 'prod: changed apps/v1 Deployment app-prod/web\n--- a/prod/app-prod_deployment.apps_web.yaml\n+++ b/prod/app-prod_deployment.apps_web.yaml\n@@');
  assert.match(r.stdout, '-  replicas: 1\n+  replicas: 2');
  assert.match(r.stdout, '+  password: <redacted, changed>');
  assert.not.match(r.stdout, 'c3VwZXItc2VjcmV0');
  assert.not.match(r.stdout, 'b3RoZXItc2VjcmV0');
  repo.remove();
});

test('diff exits 0 when nothing rendered changed', async () => {
  const repo = tempRepo(projectFiles());
  const base = repo.git('rev-parse', 'HEAD');
  repo.commit({ 'README.md': 'docs\n' });
  const r = await kforge(repo.dir, 'diff', '--base', base, '--head', 'HEAD');
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, 'dev: no changes\nprod: no changes');
  repo.remove();
});

test('diff --format markdown is a PR comment with collapsible sections and no secret values', async () => {
  const { repo, base } = changedRepo();
  const r = await kforge(repo.dir, 'diff', '--base', base, '--head', 'HEAD', '--format', 'markdown');
  assert.is(r.exitCode, 1, r.stderr);
  assert.match(r.stdout, '| prod | 0 | 2 | 0 |');
  assert.match(r.stdout, '<details>\n<summary><b>prod</b>: 0 added, 2 changed, 0 removed</summary>');
  assert.not.match(r.stdout, 'c3VwZXItc2VjcmV0');
  assert.not.match(r.stdout, 'b3RoZXItc2VjcmV0');
  repo.remove();
});

test('diff --format json is machine-readable and has no secret values', async () => {
  const { repo, base } = changedRepo();
  const r = await kforge(repo.dir, 'diff', '--base', base, '--head', 'HEAD', '--format', 'json', '--env', 'prod');
  assert.is(r.exitCode, 1, r.stderr);
  const data = JSON.parse(r.stdout) as { changed: boolean; environments: { name: string; resources: { change: string; head: { kind: string } }[] }[] };
  assert.is(data.changed, true);
  assert.equal(data.environments.map((e) => e.name), ['prod']);
  assert.equal(data.environments[0].resources.map((x) => `${x.change} ${x.head.kind}`).sort(), ['changed Deployment', 'changed Secret']);
  assert.not.match(r.stdout, 'c3VwZXItc2VjcmV0');
  assert.not.match(r.stdout, 'b3RoZXItc2VjcmV0');
  repo.remove();
});

test('every diff error exits 2: an unknown revision, a broken overlay, conflicting flags', async () => {
  const repo = tempRepo(projectFiles());
  const unknown = await kforge(repo.dir, 'diff', '--base', 'no-such-ref');
  assert.is(unknown.exitCode, 2);
  assert.match(unknown.stderr, "kforge: unknown git revision 'no-such-ref'");
  repo.write({ 'overlays/dev/kustomization.yaml': 'resources:\n- missing.yaml\n' });
  const broken = await kforge(repo.dir, 'diff', '--base', 'HEAD');
  assert.is(broken.exitCode, 2, broken.stderr);
  assert.match(broken.stderr, "kforge: rendering env 'dev'");
  repo.commit({});
  const atRevision = await kforge(repo.dir, 'diff', '--base', 'HEAD', '--head', 'HEAD');
  assert.is(atRevision.exitCode, 2);
  assert.match(atRevision.stderr, /^kforge: at commit [0-9a-f]{12}: rendering env 'dev': /);
  assert.match(atRevision.stderr, 'overlays/dev/missing.yaml');
  assert.not.match(atRevision.stderr, 'kforge-', 'no temp folder paths');
  const conflicting = await kforge(repo.dir, 'diff', '--base', 'HEAD', '--release');
  assert.is(conflicting.exitCode, 2, 'conflicting flags are a usage error');
  repo.remove();
});

test.run();
