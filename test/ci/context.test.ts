import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ciContextFromEnv } from '../../src/ci/context.js';

test('a GitHub push names its branch with GITHUB_REF_NAME', () => {
  assert.equal(ciContextFromEnv({ GITHUB_REF_NAME: 'main', GITHUB_REF: 'refs/heads/main', GITHUB_REF_TYPE: 'branch' }), { branch: 'main', source: 'GITHUB_REF_NAME' });
});

test('a GitHub pull request is recognised by GITHUB_HEAD_REF, with its target and number', () => {
  assert.equal(ciContextFromEnv({ GITHUB_HEAD_REF: 'feature/x', GITHUB_BASE_REF: 'main', GITHUB_REF: 'refs/pull/42/merge', GITHUB_REF_NAME: '42/merge' }), {
    branch: 'feature/x',
    pullRequest: { target: 'main', number: '42' },
    source: 'GITHUB_HEAD_REF',
  });
});

test('an empty GITHUB_HEAD_REF (push events define it empty) is not a pull request', () => {
  assert.equal(ciContextFromEnv({ GITHUB_HEAD_REF: '', GITHUB_REF_NAME: 'main' }).pullRequest, undefined);
});

test('a GitHub tag push builds no branch', () => {
  assert.equal(ciContextFromEnv({ GITHUB_REF_NAME: 'v1.0.0', GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_REF_TYPE: 'tag' }).branch, undefined);
});

test('a GitLab merge request pipeline names source and target branch', () => {
  assert.equal(
    ciContextFromEnv({ CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'fix', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_REF_NAME: 'fix' }),
    { branch: 'fix', pullRequest: { target: 'main', number: '7' }, source: 'CI_MERGE_REQUEST_IID' },
  );
});

test('a GitLab branch pipeline prefers CI_COMMIT_BRANCH, and a tag pipeline builds no branch', () => {
  assert.equal(ciContextFromEnv({ CI_COMMIT_BRANCH: 'production', CI_COMMIT_REF_NAME: 'production' }), { branch: 'production', source: 'CI_COMMIT_BRANCH' });
  assert.equal(ciContextFromEnv({ CI_COMMIT_REF_NAME: 'main' }), { branch: 'main', source: 'CI_COMMIT_REF_NAME' });
  assert.equal(ciContextFromEnv({ CI_COMMIT_TAG: 'v2', CI_COMMIT_REF_NAME: 'v2' }).branch, undefined);
});

test('a Jenkins multibranch pull request has CHANGE_ID; a branch job has BRANCH_NAME', () => {
  assert.equal(ciContextFromEnv({ CHANGE_ID: '12', CHANGE_BRANCH: 'feature', CHANGE_TARGET: 'main', BRANCH_NAME: 'PR-12' }), {
    branch: 'feature',
    pullRequest: { target: 'main', number: '12' },
    source: 'CHANGE_ID',
  });
  assert.equal(ciContextFromEnv({ BRANCH_NAME: 'main' }), { branch: 'main', source: 'BRANCH_NAME' });
});

test('a Jenkins tag build names no branch, although BRANCH_NAME holds the tag', () => {
  assert.equal(ciContextFromEnv({ TAG_NAME: 'v1.2.0', BRANCH_NAME: 'v1.2.0' }), { source: 'TAG_NAME' });
});

test("a plain Jenkins job's GIT_BRANCH loses its remote prefix", () => {
  assert.equal(ciContextFromEnv({ GIT_BRANCH: 'origin/release/1.2' }), { branch: 'release/1.2', source: 'GIT_BRANCH' });
});

test('outside a known CI the context names no branch', () => {
  assert.equal(ciContextFromEnv({ HOME: '/root' }), { source: 'none' });
});

test.run();
