// `kforge ci` on the paths that need no images: a pull request's markdown diff, a branch that releases nothing,
// a project without images, and a job that cannot tell its branch. The first goes through the real CLI; the
// others call runCi in-process with an explicit environment, which is all the CLI passes it (and much faster).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempRepo } from '../git/fixture.js';
import { overlay, projectFile, projectFiles } from '../release/project.js';
import { kforge } from '../ci/run-cli.js';
import { runCi, type CiOptions } from '../../src/ci/run.js';
import { formatCiSummary } from '../../src/ci/summary.js';
import { memoryLogger } from '../../src/log.js';
import { isKforgeError } from '../../src/errors.js';

/** runCi as the CLI calls it, in `cwd`, with only `env` as the job's environment; output lines as the CLI prints them. */
async function ci(cwd: string, env: Record<string, string>, opts: Partial<CiOptions> = {}) {
  const logger = memoryLogger();
  const result = await runCi({ cwd, env, diffFile: 'kforge-diff.md', logger, ...opts });
  for (const l of formatCiSummary(result)) logger.info(l);
  return { result, text: logger.lines.join('\n') };
}

const files = () => ({
  ...projectFiles(),
  'kforge.yaml': projectFile().replace('    path: overlays/dev\n', '    path: overlays/dev\n    branches: [main]\n').replace('    path: overlays/prod\n', '    path: overlays/prod\n    branches: [production, "hotfix/*"]\n'),
});

test('a GitHub pull request writes the render diff since the fork point as markdown, and releases nothing', async () => {
  const repo = tempRepo(files());
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('app-dev', 'trace') }, 'dev: trace logging');
  repo.git('checkout', '-q', 'main');
  repo.commit({ 'overlays/prod/kustomization.yaml': overlay('app-prod', 'warn') }, 'prod: later change on main, not in the PR');
  repo.git('checkout', '-q', 'feature');
  const r = await kforge(repo.dir, ['ci', '--diff-file', 'out/comment.md'], { GITHUB_HEAD_REF: 'feature', GITHUB_BASE_REF: 'main', GITHUB_REF: 'refs/pull/5/merge', GITHUB_REF_NAME: '5/merge' });
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stderr, 'pull request #5 from feature into main (GITHUB_HEAD_REF)');
  const md = fs.readFileSync(path.join(repo.dir, 'out/comment.md'), 'utf8');
  assert.match(md, '### kforge diff');
  assert.match(md, '| dev | 0 | 2 | 0 |', md);
  assert.match(md, '| prod | 0 | 0 | 0 |', "main's later prod change is not the PR's");
  assert.match(md, /\n\+ +LEVEL: trace\n/);
  assert.match(r.stderr, `markdown written to ${fs.realpathSync(path.join(repo.dir, 'out/comment.md'))}`);
  assert.is(repo.git('branch', '--list', 'release'), '');
  repo.remove();
});

test('a GitLab merge request reports the diff per environment', async () => {
  const repo = tempRepo(files());
  repo.git('checkout', '-q', '-b', 'fix');
  repo.commit({ 'overlays/prod/kustomization.yaml': overlay('app-prod', 'warn') }, 'prod: warn');
  const { result } = await ci(repo.dir, { CI_MERGE_REQUEST_IID: '3', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'fix', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' });
  assert.is(result.mode, 'pull-request');
  assert.equal(result.diff?.environments, [{ name: 'dev', summary: 'no changes' }, { name: 'prod', summary: '0 added, 2 changed (1 renamed), 0 removed' }]);
  assert.ok(fs.existsSync(path.join(repo.dir, 'kforge-diff.md')));
  repo.remove();
});

test('a branch that no environment lists is a quick no-op that says so', async () => {
  const repo = tempRepo(files());
  const { result, text } = await ci(repo.dir, { BRANCH_NAME: 'feature/x' });
  assert.is(result.outcome, 'nothing-to-do');
  assert.is(text, "branch 'feature/x' (BRANCH_NAME) releases no environment: no environments.<env>.branches in kforge.yaml matches it; nothing to do");
  assert.is(repo.git('branch', '--list', 'release'), '');
  repo.remove();
});

test('a tag build is a no-op too, even with a tag checked out', async () => {
  const repo = tempRepo(files());
  repo.git('tag', 'v1');
  repo.git('checkout', '-q', 'v1');
  const { result, text } = await ci(repo.dir, { GITHUB_REF_NAME: 'v1', GITHUB_REF: 'refs/tags/v1', GITHUB_REF_TYPE: 'tag' });
  assert.is(result.outcome, 'nothing-to-do');
  assert.is(text, 'this job builds a tag (GITHUB_REF_TYPE=tag), not a branch: it releases no environment; nothing to do');
  repo.remove();
});

test('a project without images releases the environments of the branch the glob matches, once', async () => {
  const repo = tempRepo(files());
  const first = await ci(repo.dir, {}, { branch: 'hotfix/db' });
  assert.match(first.text, "branch 'hotfix/db' (--branch) releases prod");
  assert.match(first.text, /released [0-9a-f]{12} to release as [0-9a-f]{12}:\n {2}prod: 3 added/);
  assert.equal(repo.git('ls-tree', '--name-only', 'release').split('\n').filter((n) => !n.startsWith('.')), ['prod']);
  const again = await ci(repo.dir, {}, { branch: 'hotfix/db' });
  assert.match(again.text, 'nothing changed since the last run');
  assert.is(again.result.sameAsLastRun, true);
  repo.remove();
});

test('without CI variables the branch comes from git, and a detached HEAD is an error that suggests --branch', async () => {
  const repo = tempRepo(files());
  const { result } = await ci(repo.dir, {});
  assert.equal([result.branchSource, result.environments], ['git', ['dev']]);
  repo.git('checkout', '-q', '--detach');
  try {
    await ci(repo.dir, {});
    assert.unreachable('a detached HEAD without variables');
  } catch (e) {
    assert.ok(isKforgeError(e));
    assert.is(e.exitCode, 2);
    assert.is(e.format(), 'cannot tell which branch this job builds (no CI branch variable, and HEAD is detached) (pass --branch NAME)');
  }
  repo.remove();
});

test('--push pushes the release branch to the remote, and the next run with nothing new pushes nothing', async () => {
  const repo = tempRepo(files());
  const remote = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-remote-'));
  repo.git('init', '-q', '--bare', remote);
  repo.git('remote', 'add', 'origin', remote);
  const first = await ci(repo.dir, { GITHUB_REF_NAME: 'main', GITHUB_REF: 'refs/heads/main' }, { push: 'origin' });
  assert.is(first.result.release?.pushed, 'origin');
  assert.match(first.text, 'pushed release to origin');
  assert.is(repo.git('--git-dir', remote, 'rev-parse', 'release'), repo.git('rev-parse', 'release'));
  const again = await ci(repo.dir, { GITHUB_REF_NAME: 'main', GITHUB_REF: 'refs/heads/main' }, { push: 'origin' });
  assert.is(again.result.sameAsLastRun, true);
  repo.remove();
  fs.rmSync(remote, { recursive: true, force: true });
});

test('two runs at once both succeed and release once', async () => {
  const repo = tempRepo(files());
  const env = { CI_COMMIT_BRANCH: 'main' };
  const [a, b] = await Promise.all([ci(repo.dir, env), ci(repo.dir, env)]);
  assert.equal([a.result.outcome, b.result.outcome].sort(), ['released', 'unchanged']);
  assert.is(repo.git('rev-list', '--count', 'release'), '1');
  repo.remove();
});

test('--dry-run says what would be built and released, and commits nothing', async () => {
  const repo = tempRepo(files());
  const { result, text } = await ci(repo.dir, {}, { branch: 'main', dryRun: true });
  assert.equal(text.split('\n').slice(1), ['dry run: would build no image', 'dry run: would release release:', '  dev: 3 added, 0 changed, 0 removed']);
  assert.is(result.dryRun, true);
  assert.is(repo.git('branch', '--list', 'release'), '', 'no release branch');
  const real = await ci(repo.dir, {}, { branch: 'main' });
  assert.is(real.result.outcome, 'released', 'a dry run leaves no record that would stop the real run');
  repo.remove();
});

test.run();
