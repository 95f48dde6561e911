// The text summary `kforge ci` ends with: what it decided, built, scanned and released. Pure.
import type { CiResult } from './run.js';

export function formatCiSummary(r: CiResult): string[] {
  const short = (c: string) => c.slice(0, 12);
  if (r.mode === 'pull-request' && r.diff) {
    return [
      `diff of the render: ${r.diff.base} -> ${r.diff.head}: ${r.diff.changed ? 'changes' : 'no change'}`,
      ...r.diff.environments.map((e) => `  ${e.name}: ${e.summary}`),
      `markdown written to ${r.diff.file}`,
    ];
  }
  // The run has already said why there is nothing to do, in one line.
  if (r.mode === 'none' || r.sameAsLastRun) return [];
  if (r.dryRun) {
    const changes = r.release?.changes ?? [];
    return [
      `dry run: would build ${r.wouldBuild?.length ? r.wouldBuild.join(', ') : 'no image'}${r.wouldBuild?.length ? ' (and scan them)' : ''}`,
      changes.length ? `dry run: would release ${r.release!.branch}:` : `dry run: nothing to release for ${r.environments.join(', ')}`,
      ...changes.map((c) => `  ${c.env}: ${c.added.length} added, ${c.modified.length} changed, ${c.removed.length} removed`),
    ];
  }
  const lines: string[] = [];
  const built = r.images.filter((i) => i.action === 'built');
  if (r.images.length) {
    lines.push(`images: ${built.length} built, ${r.images.length - built.length} already in the registry`);
    for (const i of r.images) lines.push(`  ${i.name}: ${i.action === 'built' ? 'built' : 'present'} ${i.reference}${i.digest ? `@${i.digest}` : ''}`);
  }
  for (const s of r.scans) lines.push(`  ${s.name}: scan ${s.passed ? 'passed' : `failed (exit code ${s.exitCode})`}`);
  const rel = r.release;
  if (rel?.commit) {
    lines.push(`released ${short(rel.sourceCommit)} to ${rel.branch} as ${short(rel.commit)}:`);
    for (const c of rel.changes) lines.push(`  ${c.env}: ${c.added.length} added, ${c.modified.length} changed, ${c.removed.length} removed`);
  } else if (rel) {
    lines.push(`nothing to release: ${rel.branch} already holds the render of ${short(rel.sourceCommit)} for ${r.environments.join(', ')}`);
  }
  if (rel?.pushed) lines.push(`pushed ${rel.branch} to ${rel.pushed}`);
  return lines;
}
