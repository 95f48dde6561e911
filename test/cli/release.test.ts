import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempRepo } from '../git/fixture.js';
import { kforge } from '../release/run-cli.js';
import { overlay, projectFiles, secretFile } from '../release/project.js';

test('release commits, then reports that there is nothing more to release', async () => {
  const repo = tempRepo(projectFiles());
  const first = await kforge(repo.dir, 'release');
  assert.is(first.exitCode, 0, first.stderr);
  assert.match(first.stderr, /released [0-9a-f]{12} to release as [0-9a-f]{12}:/);
  assert.match(first.stderr, '  dev: 3 added, 0 changed, 0 removed');
  assert.match(first.stderr, '  images: registry.example/web:1.0.0');
  const second = await kforge(repo.dir, 'release');
  assert.is(second.exitCode, 0);
  assert.match(second.stderr, 'nothing to release: release already holds the render of');
  repo.remove();
});

test('release --dry-run lists the files it would change', async () => {
  const repo = tempRepo(projectFiles());
  await kforge(repo.dir, 'release');
  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'trace') });
  const r = await kforge(repo.dir, 'release', '--dry-run', '--env', 'dev');
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stderr, /dry run: releasing [0-9a-f]{12} would change release:/);
  assert.match(r.stderr, /\n {4}\+ dev\/app-dev_configmap_settings-[a-z0-9]{10}\.yaml\n/);
  assert.match(r.stderr, /\n {4}- dev\/app-dev_configmap_settings-[a-z0-9]{10}\.yaml\n/);
  assert.match(r.stderr, '    ~ dev/app-dev_deployment.apps_web.yaml');
  repo.remove();
});

test('release refuses a Secret with data with exit code 2 and a one-line message', async () => {
  const repo = tempRepo({ ...projectFiles(), 'overlays/dev/db.yaml': secretFile('db'), 'overlays/dev/kustomization.yaml': overlay('app-dev', 'debug', ['db.yaml']) });
  const r = await kforge(repo.dir, 'release');
  assert.is(r.exitCode, 2);
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, 'kforge: refusing to commit Secrets with data to git (dev: v1 Secret app-dev/db)');
  repo.remove();
});

test('concurrent releases from two processes both land, one on top of the other, no commit lost', async () => {
  const repo = tempRepo(projectFiles());
  await kforge(repo.dir, 'release');
  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'trace'), 'overlays/prod/kustomization.yaml': overlay('app-prod', 'warn') });
  const tip = repo.git('rev-parse', 'release');
  const [dev, prod] = await Promise.all([kforge(repo.dir, 'release', '--env', 'dev'), kforge(repo.dir, 'release', '--env', 'prod')]);
  for (const r of [dev, prod]) {
    // Either both land, or the loser says clearly that the branch kept moving: never a silent loss.
    if (r.exitCode !== 0) assert.match(r.stderr, "release branch 'release' kept moving while releasing");
  }
  const landed = [dev, prod].filter((r) => r.exitCode === 0).length;
  assert.ok(landed >= 1);
  assert.is(repo.git('rev-list', '--count', `${tip}..release`), String(landed), 'one commit per successful release, in one line of history');
  const envs = repo.git('log', '--format=%(trailers:key=Kforge-Environments,valueonly)', `${tip}..release`).split('\n').filter(Boolean).sort();
  assert.equal(envs, [dev, prod].flatMap((r, i) => (r.exitCode === 0 ? [['dev', 'prod'][i]] : [])).sort());
  if (landed === 2) {
    const after = await kforge(repo.dir, 'release');
    assert.match(after.stderr, 'nothing to release', 'both environments are on the branch');
  }
  repo.remove();
});

test('release --output json prints the result for scripts', async () => {
  const repo = tempRepo(projectFiles());
  const r = await kforge(repo.dir, 'release', '--output', 'json');
  assert.is(r.exitCode, 0, r.stderr);
  const data = JSON.parse(r.stdout) as { branch: string; sourceCommit: string; commit: string; changes: { env: string }[]; images: string[] };
  assert.is(data.branch, 'release');
  assert.is(data.sourceCommit, repo.git('rev-parse', 'HEAD'));
  assert.is(data.commit, repo.git('rev-parse', 'release'));
  assert.equal(data.changes.map((c) => c.env), ['dev', 'prod']);
  assert.equal(data.images, ['registry.example/web:1.0.0']);
  repo.remove();
});

test('release --help shows examples', async () => {
  const r = await kforge(process.cwd(), 'release', '--help');
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, 'kforge release --env dev --dry-run');
});

test.run();
