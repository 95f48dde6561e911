// Which environments a branch releases: those whose `branches` in kforge.yaml match it. A pattern is a branch
// name or a glob where `*` matches within one path segment and `**` across segments (GitHub's filter syntax).
import type { Environment } from '../project/config.js';

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function branchMatches(pattern: string, branch: string): boolean {
  return /[*?]/.test(pattern) ? globToRegExp(pattern).test(branch) : pattern === branch;
}

/** The environments whose `branches` match `branch`, in kforge.yaml's order. */
export function environmentsForBranch(environments: readonly Environment[], branch: string): Environment[] {
  return environments.filter((e) => (e.branches ?? []).some((p) => branchMatches(p, branch)));
}
