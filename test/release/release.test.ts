import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempRepo, type TempRepo } from '../git/fixture.js';
import { release } from '../../src/release/release.js';
import { memoryLogger } from '../../src/log.js';
import { CommandError, InputError } from '../../src/errors.js';
import { OWNED_FILES } from '../../src/release/plan.js';
import { deployment, overlay, projectFile, projectFiles, secretFile } from './project.js';

const run = (repo: TempRepo, opts: Partial<Parameters<typeof release>[0]> = {}) => release({ cwd: repo.dir, logger: memoryLogger(), ...opts });
const branchFiles = (repo: TempRepo) => repo.git('ls-tree', '-r', '--name-only', 'release').split('\n').sort();
const changedFiles = (repo: TempRepo) => repo.git('diff', '--name-only', 'release^', 'release').split('\n').sort();

test('the first release creates the branch with one folder per environment, laid out as render --out', async () => {
  const repo = tempRepo(projectFiles());
  const source = repo.git('rev-parse', 'HEAD');
  const r = await run(repo);
  assert.ok(r.commit);
  assert.is(repo.git('rev-parse', 'release'), r.commit);
  const files = branchFiles(repo);
  for (const env of ['dev', 'prod']) {
    assert.ok(files.includes(`${env}/app-${env}_deployment.apps_web.yaml`), files.join(' '));
    assert.ok(files.includes(`${env}/app-${env}_service_web.yaml`));
    assert.ok(files.some((f) => new RegExp(`^${env}/app-${env}_configmap_settings-[a-z0-9]{10}\\.yaml$`).test(f)), files.join(' '));
  }
  assert.ok(files.includes(OWNED_FILES));
  assert.match(repo.git('show', 'release:dev/app-dev_deployment.apps_web.yaml'), 'namespace: app-dev');
  const message = repo.git('log', '-1', '--format=%B', 'release');
  assert.match(message, `Release dev, prod from ${source.slice(0, 12)}`);
  const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)', 'release');
  assert.match(trailers, `Kforge-Source-Commit: ${source}`);
  assert.match(trailers, 'Kforge-Environments: dev, prod');
  assert.match(trailers, 'Kforge-Image: registry.example/web:1.0.0');
  assert.match(trailers, /Kforge-Version: \d+\.\d+\.\d+/);
  assert.is(repo.git('rev-list', '--count', 'release'), '1', 'the release branch has its own history');
  repo.remove();
});

test('the working tree, the index and HEAD are untouched by a release', async () => {
  const repo = tempRepo(projectFiles());
  repo.write({ 'notes.txt': 'untracked\n' });
  const status = repo.git('status', '--porcelain', '--untracked-files=all');
  const index = fs.readFileSync(path.join(repo.dir, '.git/index'));
  const head = repo.git('rev-parse', 'HEAD');
  await run(repo, { allowDirty: true });
  assert.is(repo.git('status', '--porcelain', '--untracked-files=all'), status);
  assert.equal(fs.readFileSync(path.join(repo.dir, '.git/index')), index);
  assert.is(repo.git('rev-parse', 'HEAD'), head);
  assert.is(repo.git('symbolic-ref', 'HEAD'), 'refs/heads/main');
  repo.remove();
});

test('a second release without a source change makes no commit and says so', async () => {
  const repo = tempRepo(projectFiles());
  const first = await run(repo);
  repo.commit({ 'docs.md': 'not part of the render\n' });
  const second = await run(repo);
  assert.is(second.commit, undefined);
  assert.equal(second.changes, []);
  assert.is(repo.git('rev-parse', 'release'), first.commit);
  repo.remove();
});

test('a change to overlays/dev changes only dev/ and the commit says so', async () => {
  const repo = tempRepo(projectFiles());
  await run(repo);
  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'trace') }, 'More logging in dev');
  const r = await run(repo);
  assert.equal(r.changes.map((c) => c.env), ['dev']);
  assert.ok(changedFiles(repo).every((f) => f.startsWith('dev/') || f === OWNED_FILES), changedFiles(repo).join(' '));
  const message = repo.git('log', '-1', '--format=%B', 'release');
  assert.match(message, /^Release dev from [0-9a-f]{12}\n/);
  assert.match(message, 'More logging in dev');
  assert.match(message, 'Kforge-Environments: dev\n');
  repo.remove();
});

test('environments not named keep their folders, files kforge did not write are kept, stale files are removed', async () => {
  const repo = tempRepo({ ...projectFiles(), 'overlays/dev/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n', 'overlays/dev/kustomization.yaml': overlay('app-dev', 'debug', ['extra.yaml']) });
  await run(repo);
  // Someone adds a README and CI config to the release branch by hand.
  const tip = repo.git('rev-parse', 'release');
  repo.git('checkout', '-q', 'release');
  repo.commit({ 'README.md': 'release branch\n', '.ci.yml': 'ci: true\n', 'dev/NOTES.md': 'kept\n' }, 'Add a README');
  repo.git('checkout', '-q', 'main');
  assert.is.not(repo.git('rev-parse', 'release'), tip);

  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'debug'), 'overlays/dev/extra.yaml': null, 'base/deployment.yaml': deployment('registry.example/web:1.1.0') });
  const prodBefore = repo.git('rev-parse', 'release:prod');
  const r = await run(repo, { envs: ['dev'] });
  assert.equal(r.changes.map((c) => c.env), ['dev']);
  assert.equal(r.changes[0].removed, ['dev/app-dev_configmap_extra.yaml']);
  assert.equal(r.changes[0].modified, ['dev/app-dev_deployment.apps_web.yaml']);
  assert.is(repo.git('rev-parse', 'release:prod'), prodBefore, 'prod was not named: unchanged although its render changed');
  const files = branchFiles(repo);
  for (const kept of ['README.md', '.ci.yml', 'dev/NOTES.md']) assert.ok(files.includes(kept), `${kept} kept`);
  assert.not.ok(files.includes('dev/app-dev_configmap_extra.yaml'));
  repo.remove();
});

test('a dirty working tree is refused unless allowed, and even then only HEAD is released', async () => {
  const repo = tempRepo(projectFiles());
  repo.write({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'uncommitted') });
  try {
    await run(repo);
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as InputError).format(), 'uncommitted changes (overlays/dev/kustomization.yaml)');
    assert.match((e as InputError).format(), '--allow-dirty');
  }
  assert.is(repo.git('branch', '--list', 'release'), '');
  await run(repo, { allowDirty: true });
  const dev = repo.git('ls-tree', '--name-only', 'release', 'dev/').split('\n').find((f) => f.includes('configmap_settings'))!;
  assert.match(repo.git('show', `release:${dev}`), 'LEVEL: debug');
  repo.remove();
});

test('a rendered Secret with data is refused, naming it; allowSecrets lets it through', async () => {
  const files = { ...projectFiles(), 'overlays/prod/db.yaml': secretFile('db'), 'overlays/prod/kustomization.yaml': overlay('app-prod', 'info', ['db.yaml']) };
  const repo = tempRepo(files);
  try {
    await run(repo);
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as InputError).format(), 'refusing to commit Secrets with data to git (prod: v1 Secret app-prod/db)');
    assert.match((e as InputError).format(), 'environments.prod.allowSecrets: true');
  }
  assert.is(repo.git('branch', '--list', 'release'), '', 'nothing was committed');
  await run(repo, { envs: ['dev'] });
  assert.ok(branchFiles(repo).every((f) => !f.startsWith('prod/')), 'dev alone releases');
  repo.commit({ 'kforge.yaml': projectFile().replace('path: overlays/prod', 'path: overlays/prod\n    allowSecrets: true') });
  const r = await run(repo);
  assert.equal(r.changes.map((c) => c.env), ['prod']);
  repo.remove();
});

test('provenance annotations are opt-in and do not change generated names', async () => {
  const plain = tempRepo(projectFiles());
  await run(plain);
  const annotated = tempRepo({ ...projectFiles(), 'kforge.yaml': projectFile().replace('branch: release', 'branch: release\n  provenanceAnnotation: true') });
  const source = annotated.git('rev-parse', 'HEAD');
  await run(annotated);
  assert.equal(branchFiles(annotated), branchFiles(plain), 'same file names, so same generated names');
  assert.not.match(plain.git('show', 'release:dev/app-dev_deployment.apps_web.yaml'), 'kforge.dev/source-commit');
  for (const f of branchFiles(annotated).filter((f) => f.endsWith('.yaml'))) {
    assert.match(annotated.git('show', `release:${f}`), `kforge.dev/source-commit: ${source}`);
  }
  plain.remove();
  annotated.remove();
});

test('a dry run reports the changes and commits nothing', async () => {
  const repo = tempRepo(projectFiles());
  const r = await run(repo, { dryRun: true });
  assert.ok(r.dryRun);
  assert.equal(r.changes.map((c) => c.env), ['dev', 'prod']);
  assert.is(r.commit, undefined);
  assert.is(repo.git('branch', '--list', 'release'), '');
  repo.remove();
});

test('concurrent releases of different environments both land in one line of history', async () => {
  const repo = tempRepo(projectFiles());
  const first = await run(repo);
  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'trace'), 'overlays/prod/kustomization.yaml': overlay('app-prod', 'warn') });
  const [dev, prod] = await Promise.all([run(repo, { envs: ['dev'] }), run(repo, { envs: ['prod'] })]);
  assert.ok(dev.commit && prod.commit);
  assert.is(repo.git('rev-list', '--count', `${first.commit}..release`), '2');
  assert.ok([dev.commit, prod.commit].includes(repo.git('rev-parse', 'release')));
  const again = await run(repo);
  assert.is(again.commit, undefined, 'both environments are on the branch');
  repo.remove();
});

test('push sends the branch to a remote, and a fresh clone continues the remote history', async () => {
  const repo = tempRepo(projectFiles());
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-remote-'));
  repo.git('init', '-q', '--bare', bare);
  repo.git('remote', 'add', 'origin', bare);
  repo.git('push', '-q', 'origin', 'main');
  const first = await run(repo, { push: 'origin' });
  assert.is(first.pushed, 'origin');
  assert.is(repo.git('--git-dir', bare, 'rev-parse', 'release'), first.commit);

  const cloneDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-clone-'));
  repo.git('clone', '-q', bare, cloneDir);
  const clone: TempRepo = { ...repo, dir: cloneDir, git: (...args) => repo.git('-C', cloneDir, ...args) };
  fs.writeFileSync(path.join(cloneDir, 'overlays/dev/kustomization.yaml'), overlay('app-dev', 'warn'));
  clone.git('commit', '-q', '-am', 'warn in dev');
  const second = await release({ cwd: cloneDir, logger: memoryLogger(), push: 'origin' });
  assert.is(clone.git('rev-parse', `${second.commit}^`), first.commit);
  assert.is(repo.git('--git-dir', bare, 'rev-parse', 'release'), second.commit);
  fs.rmSync(cloneDir, { recursive: true });
  fs.rmSync(bare, { recursive: true });
  repo.remove();
});

test('two clones releasing with push in turn both land on the remote, each on top of the other', async () => {
  const repo = tempRepo(projectFiles());
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-remote-'));
  repo.git('init', '-q', '--bare', bare);
  repo.git('remote', 'add', 'origin', bare);
  repo.git('push', '-q', 'origin', 'main');
  const cloneDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-clone-'));
  repo.git('clone', '-q', bare, cloneDir);
  const first = await run(repo, { push: 'origin' });
  // The clone never fetched the release branch: --push must fetch it and build on it.
  fs.writeFileSync(path.join(cloneDir, 'overlays/prod/kustomization.yaml'), overlay('app-prod', 'warn'));
  repo.git('-C', cloneDir, 'commit', '-q', '-am', 'warn in prod');
  const second = await release({ cwd: cloneDir, logger: memoryLogger(), push: 'origin' });
  assert.is(repo.git('--git-dir', bare, 'rev-parse', 'release'), second.commit);
  assert.is(repo.git('--git-dir', bare, 'rev-parse', 'release^'), first.commit);
  assert.equal(second.changes.map((c) => c.env), ['prod']);
  fs.rmSync(cloneDir, { recursive: true });
  fs.rmSync(bare, { recursive: true });
  repo.remove();
});

test('a rejected push is a clear error and keeps the local release commit', async () => {
  const repo = tempRepo(projectFiles());
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-remote-'));
  repo.git('init', '-q', '--bare', bare);
  fs.writeFileSync(path.join(bare, 'hooks/pre-receive'), '#!/bin/sh\necho "release branch is protected" >&2\nexit 1\n', { mode: 0o755 });
  repo.git('remote', 'add', 'origin', bare);
  try {
    await run(repo, { push: 'origin' });
    assert.unreachable('the push should fail');
  } catch (e) {
    assert.instance(e, CommandError);
    assert.match((e as CommandError).format(), 'pushing release to origin failed:');
    assert.match((e as CommandError).format(), 'release branch is protected');
  }
  assert.match(repo.git('log', '-1', '--format=%s', 'release'), /^Release dev, prod from /);
  fs.rmSync(bare, { recursive: true });
  repo.remove();
});

test('releasing while the release branch is checked out, here or in another worktree, is refused', async () => {
  const repo = tempRepo(projectFiles());
  repo.git('checkout', '-q', '-b', 'release');
  try {
    await run(repo);
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as InputError).format(), 'HEAD is the release branch refs/heads/release');
  }
  repo.git('checkout', '-q', 'main');
  const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-wt-'));
  repo.git('worktree', 'add', '-q', path.join(other, 'wt'), 'release');
  try {
    await run(repo);
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as InputError).format(), 'is checked out in the worktree');
  }
  repo.git('worktree', 'remove', '--force', path.join(other, 'wt'));
  await run(repo);
  fs.rmSync(other, { recursive: true, force: true });
  repo.remove();
});

test.run();
