import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { branchMatches, environmentsForBranch } from '../../src/ci/branches.js';

test('a plain pattern matches only the same branch name', () => {
  assert.ok(branchMatches('main', 'main'));
  assert.not.ok(branchMatches('main', 'main2'));
  assert.not.ok(branchMatches('release.1', 'release-1'), 'a dot is not a wildcard');
});

test('* stays within one path segment, ** crosses segments', () => {
  assert.ok(branchMatches('release/*', 'release/1.2'));
  assert.not.ok(branchMatches('release/*', 'release/1.2/hotfix'));
  assert.ok(branchMatches('release/**', 'release/1.2/hotfix'));
  assert.ok(branchMatches('hotfix-?', 'hotfix-1'));
});

test('environments are picked by their branches, in kforge.yaml order; environments without branches never are', () => {
  const envs = [
    { name: 'dev', path: 'a', branches: ['main', 'feature/**'] },
    { name: 'test', path: 'b', branches: ['main'] },
    { name: 'prod', path: 'c', branches: ['production'] },
    { name: 'local', path: 'd' },
  ];
  assert.equal(environmentsForBranch(envs, 'main').map((e) => e.name), ['dev', 'test']);
  assert.equal(environmentsForBranch(envs, 'feature/a/b').map((e) => e.name), ['dev']);
  assert.equal(environmentsForBranch(envs, 'production').map((e) => e.name), ['prod']);
  assert.equal(environmentsForBranch(envs, 'other'), []);
});

test.run();
