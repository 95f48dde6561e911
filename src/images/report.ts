// Text forms of a plan and of build results, for people (JSON output prints the same data as is). Pure.
import type { BuildResult } from './build.js';
import type { PlannedImage } from './plan.js';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function formatPlan(plan: readonly PlannedImage[]): string {
  if (plan.length === 0) return 'no images in kforge.yaml\n';
  const rows = [['IMAGE', 'TAG', 'FROM', 'REGISTRY', 'ACTION'], ...plan.map((p) => [
    p.name,
    p.tag,
    p.deps.join(',') || '-',
    p.inRegistry === undefined ? 'unknown' : p.inRegistry ? 'present' : 'missing',
    p.action,
  ])];
  const why = plan.flatMap((p) => p.reasons.map((r) => `  ${p.name}: ${r}`));
  return `${table(rows)}\nbuild order: ${plan.map((p) => p.name).join(' -> ')}\n${why.join('\n')}\n`;
}

export function formatBuildResults(results: readonly BuildResult[]): string {
  if (results.length === 0) return 'no images in kforge.yaml\n';
  return table([['IMAGE', 'ACTION', 'REFERENCE', 'DIGEST'], ...results.map((r) => [r.name, r.action, r.reference, r.digest ?? r.error ?? '-'])]);
}
