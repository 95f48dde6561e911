// Which branch a CI job builds, and whether it builds a pull request (and into which branch), read from the
// variables GitHub Actions, GitLab CI and Jenkins set. Pure: the environment is passed in.

export interface CiContext {
  /** The source branch; undefined when the variables do not name one (a tag build, or not a CI job). */
  branch?: string;
  /** Set for a pull/merge request: the branch it would merge into, and its number when the CI says. */
  pullRequest?: { target?: string; number?: string };
  /** Which variables answered, for the log: `GITHUB_REF_NAME`, `CI_MERGE_REQUEST_IID`, ... */
  source: string;
}

type Env = Readonly<Record<string, string | undefined>>;
const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** The context from CI variables alone; `{ source: 'none' }` outside a known CI. */
export function ciContextFromEnv(env: Env): CiContext {
  // GitHub Actions: GITHUB_HEAD_REF is set only for pull_request(_target) events; GITHUB_REF_NAME is then
  // "<number>/merge", so the PR check comes first.
  if (set(env.GITHUB_HEAD_REF)) {
    const number = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '')?.[1];
    return { branch: env.GITHUB_HEAD_REF, pullRequest: { target: orUndefined(env.GITHUB_BASE_REF), number }, source: 'GITHUB_HEAD_REF' };
  }
  if (set(env.GITHUB_REF_NAME)) {
    // A tag push has GITHUB_REF_TYPE=tag: it builds no branch.
    if (env.GITHUB_REF_TYPE === 'tag' || (env.GITHUB_REF ?? '').startsWith('refs/tags/')) return { source: 'GITHUB_REF_TYPE=tag' };
    return { branch: env.GITHUB_REF_NAME, source: 'GITHUB_REF_NAME' };
  }
  // GitLab CI: merge request pipelines have CI_MERGE_REQUEST_IID; CI_COMMIT_REF_NAME is a tag name in tag pipelines.
  if (set(env.CI_MERGE_REQUEST_IID)) {
    return {
      branch: orUndefined(env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME),
      pullRequest: { target: orUndefined(env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME), number: env.CI_MERGE_REQUEST_IID },
      source: 'CI_MERGE_REQUEST_IID',
    };
  }
  if (set(env.CI_COMMIT_TAG)) return { source: 'CI_COMMIT_TAG' };
  if (set(env.CI_COMMIT_BRANCH)) return { branch: env.CI_COMMIT_BRANCH, source: 'CI_COMMIT_BRANCH' };
  if (set(env.CI_COMMIT_REF_NAME)) return { branch: env.CI_COMMIT_REF_NAME, source: 'CI_COMMIT_REF_NAME' };
  // Jenkins multibranch pipelines: CHANGE_ID marks a pull request, BRANCH_NAME is then "PR-<id>".
  if (set(env.CHANGE_ID)) {
    return { branch: orUndefined(env.CHANGE_BRANCH), pullRequest: { target: orUndefined(env.CHANGE_TARGET), number: env.CHANGE_ID }, source: 'CHANGE_ID' };
  }
  // A tag build sets TAG_NAME, and BRANCH_NAME to the tag's name: it builds no branch.
  if (set(env.TAG_NAME)) return { source: 'TAG_NAME' };
  if (set(env.BRANCH_NAME)) return { branch: env.BRANCH_NAME, source: 'BRANCH_NAME' };
  // A plain Jenkins pipeline job with the git plugin: GIT_BRANCH is "origin/main".
  if (set(env.GIT_BRANCH)) return { branch: env.GIT_BRANCH.replace(/^(refs\/heads\/|refs\/remotes\/[^/]+\/|origin\/)/, ''), source: 'GIT_BRANCH' };
  return { source: 'none' };
}

function orUndefined(v: string | undefined): string | undefined {
  return set(v) ? v : undefined;
}
