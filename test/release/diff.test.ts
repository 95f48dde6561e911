import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempRepo } from '../git/fixture.js';
import { diffRenders } from '../../src/release/diff.js';
import { release } from '../../src/release/release.js';
import { memoryLogger } from '../../src/log.js';
import { NotFoundError } from '../../src/errors.js';
import { deployment, overlay, projectFile, projectFiles, secretFile } from './project.js';

const summary = (d: Awaited<ReturnType<typeof diffRenders>>['diff']) =>
  Object.fromEntries(d.environments.map((e) => [e.name, e.changes.map((c) => `${c.change} ${c.head?.kind ?? c.base!.kind}/${(c.head ?? c.base)!.name.replace(/-[a-z0-9]{10}$/, '-*')}`).sort()]));

test('diff between two commits reports exactly the changed resources of each environment', async () => {
  const repo = tempRepo(projectFiles());
  const base = repo.git('rev-parse', 'HEAD');
  const head = repo.commit({
    'overlays/dev/kustomization.yaml': overlay('app-dev', 'trace', ['job.yaml']),
    'overlays/dev/job.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n',
  });
  const { diff, labels } = await diffRenders({ cwd: repo.dir, base, head, logger: memoryLogger() });
  assert.ok(diff.changed);
  assert.equal(summary(diff), {
    dev: ['added ConfigMap/extra', 'changed Deployment/web', 'renamed ConfigMap/settings-*'],
    prod: [],
  });
  assert.is(labels.base, base.slice(0, 12));
  repo.remove();
});

test('the default head is the working tree, uncommitted changes included, and the default base is the fork point from main', async () => {
  const repo = tempRepo(projectFiles());
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit({ 'base/deployment.yaml': deployment('registry.example/web:2.0.0') });
  repo.write({ 'overlays/prod/kustomization.yaml': overlay('app-prod', 'warn') });
  // git status may refresh the index itself: read it first, so only diffRenders runs between the two reads.
  const status = repo.git('status', '--porcelain');
  const index = fs.readFileSync(path.join(repo.dir, '.git/index'));
  const { diff, labels } = await diffRenders({ cwd: repo.dir, logger: memoryLogger() });
  assert.equal(fs.readFileSync(path.join(repo.dir, '.git/index')), index, 'the index is untouched');
  assert.is(repo.git('status', '--porcelain'), status);
  assert.is(repo.git('worktree', 'list').split('\n').length, 1, 'no worktree left behind');
  assert.equal(summary(diff), {
    dev: ['changed Deployment/web'],
    prod: ['changed Deployment/web', 'renamed ConfigMap/settings-*'],
  });
  assert.is(labels.head, 'working tree');
  assert.match(labels.base, 'merge base with main');
  assert.match(repo.git('status', '--porcelain'), 'overlays/prod/kustomization.yaml', 'the working tree is left as it was');
  repo.remove();
});

test('no change between two revisions is reported as unchanged', async () => {
  const repo = tempRepo(projectFiles());
  const base = repo.git('rev-parse', 'HEAD');
  repo.commit({ 'README.md': 'docs only\n' });
  const { diff } = await diffRenders({ cwd: repo.dir, base, head: 'HEAD', logger: memoryLogger() });
  assert.is(diff.changed, false);
  repo.remove();
});

test('--env filters environments, and an unknown one is an error', async () => {
  const repo = tempRepo(projectFiles());
  const base = repo.git('rev-parse', 'HEAD');
  repo.write({ 'base/deployment.yaml': deployment('registry.example/web:3') });
  const { diff } = await diffRenders({ cwd: repo.dir, base, envs: ['prod'], logger: memoryLogger() });
  assert.equal(diff.environments.map((e) => e.name), ['prod']);
  try {
    await diffRenders({ cwd: repo.dir, base, envs: ['qa'], logger: memoryLogger() });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, NotFoundError);
    assert.match((e as Error).message, "unknown environment 'qa'");
  }
  repo.remove();
});

test('an environment added to kforge.yaml shows as new, a base without kforge.yaml counts everything as new', async () => {
  const files = projectFiles();
  const repo = tempRepo({ 'README.md': 'before kforge\n' });
  const before = repo.git('rev-parse', 'HEAD');
  repo.commit({ ...files, 'kforge.yaml': projectFile().replace('  prod:\n    path: overlays/prod\n', '') });
  const onlyDev = repo.git('rev-parse', 'HEAD');
  const fresh = await diffRenders({ cwd: repo.dir, base: before, head: onlyDev, logger: memoryLogger() });
  assert.equal(fresh.diff.environments.map((e) => [e.name, e.inBase, e.added]), [['dev', false, 3]]);
  repo.commit({ 'kforge.yaml': files['kforge.yaml'] });
  const added = await diffRenders({ cwd: repo.dir, base: onlyDev, head: 'HEAD', logger: memoryLogger() });
  assert.equal(added.diff.environments.map((e) => [e.name, e.inBase, e.inHead]), [['dev', true, true], ['prod', false, true]]);
  // prod removed again in the working tree: --env prod still names an environment the base has.
  fs.writeFileSync(path.join(repo.dir, 'kforge.yaml'), projectFile().replace('  prod:\n    path: overlays/prod\n', ''));
  const removed = await diffRenders({ cwd: repo.dir, base: 'HEAD', envs: ['prod'], logger: memoryLogger() });
  assert.equal(removed.diff.environments.map((e) => [e.name, e.inBase, e.inHead, e.removed]), [['prod', true, false, 3]]);
  repo.remove();
});

test('secret values are redacted in the diff', async () => {
  const files = { ...projectFiles(), 'overlays/dev/db.yaml': secretFile('db'), 'overlays/dev/kustomization.yaml': overlay('app-dev', 'debug', ['db.yaml']) };
  const repo = tempRepo(files);
  const base = repo.git('rev-parse', 'HEAD');
  repo.commit({ 'overlays/dev/db.yaml': secretFile('db').replace('c3VwZXItc2VjcmV0', 'bmV3LXNlY3JldA==') });
  const { diff } = await diffRenders({ cwd: repo.dir, base, head: 'HEAD', logger: memoryLogger() });
  const text = JSON.stringify(diff);
  assert.not.match(text, 'c3VwZXItc2VjcmV0');
  assert.not.match(text, 'bmV3LXNlY3JldA==');
  assert.match(diff.environments[0].changes[0].diff, '+  password: <redacted, changed>');
  repo.remove();
});

test('--release compares the working tree with what the release branch holds', async () => {
  const repo = tempRepo({ ...projectFiles(), 'kforge.yaml': projectFile().replace('branch: release', 'branch: release\n  provenanceAnnotation: true') });
  const none = await diffRenders({ cwd: repo.dir, release: true, logger: memoryLogger() });
  assert.match(none.labels.base, 'not created yet');
  assert.equal(none.diff.environments.map((e) => e.added), [3, 3]);
  await release({ cwd: repo.dir, logger: memoryLogger() });
  const same = await diffRenders({ cwd: repo.dir, release: true, logger: memoryLogger() });
  assert.is(same.diff.changed, false, 'provenance annotations are not a change');
  fs.writeFileSync(path.join(repo.dir, 'overlays/prod/kustomization.yaml'), overlay('app-prod', 'error'));
  const next = await diffRenders({ cwd: repo.dir, release: true, logger: memoryLogger() });
  assert.equal(summary(next.diff), { dev: [], prod: ['changed Deployment/web', 'renamed ConfigMap/settings-*'] });
  repo.remove();
});

test('a project in a subfolder of the repository is found at every revision', async () => {
  const files = Object.fromEntries(Object.entries(projectFiles()).map(([p, c]) => [`deploy/${p}`, c]));
  const repo = tempRepo({ ...files, 'src/app.js': 'console.log(1)\n' });
  const base = repo.git('rev-parse', 'HEAD');
  repo.commit({ 'deploy/base/deployment.yaml': deployment('registry.example/web:9') });
  const { diff } = await diffRenders({ cwd: path.join(repo.dir, 'deploy/overlays'), base, head: 'HEAD', logger: memoryLogger() });
  assert.equal(summary(diff), { dev: ['changed Deployment/web'], prod: ['changed Deployment/web'] });
  await release({ cwd: path.join(repo.dir, 'deploy'), logger: memoryLogger() });
  assert.match(repo.git('ls-tree', '--name-only', 'release'), 'dev\nprod');
  repo.remove();
});

test.run();
