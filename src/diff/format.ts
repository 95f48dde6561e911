// Prints a render diff as text (terminals), markdown (a pull-request comment under GitHub's size limit) or JSON.
import type { ResId } from '../resource.js';
import { describeId } from '../resource.js';
import type { EnvDiff, RenderDiff, ResourceChange } from './compare.js';

export type DiffFormat = 'text' | 'markdown' | 'json';

export interface DiffLabels {
  base: string; // e.g. "main (merge base 1a2b3c4)"
  head: string; // e.g. "working tree"
}

/** GitHub rejects comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export function envSummary(e: EnvDiff): string {
  if (!e.inHead) return `environment removed (${e.removed} resources)`;
  if (!e.inBase) return `new environment (${e.added} resources)`;
  if (e.changes.length === 0) return 'no changes';
  const renamed = e.changes.filter((c) => c.change === 'renamed').length;
  return `${e.added} added, ${e.changed} changed${renamed ? ` (${renamed} renamed)` : ''}, ${e.removed} removed`;
}

export function changeTitle(c: ResourceChange): string {
  const id = (c.head ?? c.base) as ResId;
  if (c.change === 'renamed') return `renamed ${describeId(c.base!)} -> ${c.head!.name}`;
  return `${c.change} ${describeId(id)}`;
}

export function formatText(diff: RenderDiff, labels: DiffLabels): string {
  const out = [`base: ${labels.base}`, `head: ${labels.head}`];
  for (const e of diff.environments) out.push(`${e.name}: ${envSummary(e)}`);
  for (const e of diff.environments) {
    for (const c of e.changes) out.push('', `${e.name}: ${changeTitle(c)}`, c.diff.replace(/\n$/, ''));
  }
  return out.join('\n') + '\n';
}

const idJson = (id: ResId | undefined) =>
  id && { group: id.group, version: id.version, kind: id.kind, namespace: id.namespace, name: id.name };

export function formatJson(diff: RenderDiff, labels: DiffLabels): string {
  return JSON.stringify(
    {
      base: labels.base,
      head: labels.head,
      changed: diff.changed,
      environments: diff.environments.map((e) => ({
        name: e.name,
        inBase: e.inBase,
        inHead: e.inHead,
        added: e.added,
        changed: e.changed,
        removed: e.removed,
        resources: e.changes.map((c) => ({ change: c.change, base: idJson(c.base), head: idJson(c.head), diff: c.diff })),
      })),
    },
    null,
    2,
  ) + '\n';
}

/** A code fence longer than any run of backticks inside, so a diff can never close it early. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** One resource's diff; cut at a line boundary to at most `room` characters when given. */
function block(c: ResourceChange, room = Infinity): string {
  const f = fence(c.diff);
  const open = `\`${changeTitle(c)}\`\n\n${f}diff\n`;
  const close = `\n${f}\n\n`;
  let body = c.diff.replace(/\n$/, '');
  if (open.length + body.length + close.length > room) {
    const cutNote = '\n… (cut short)';
    body = body.slice(0, Math.max(0, room - open.length - close.length - cutNote.length));
    body = body.slice(0, Math.max(0, body.lastIndexOf('\n'))) + cutNote;
  }
  return open + body + close;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Markdown for a pull-request comment; diffs that do not fit in `limit` characters are left out with a note. */
export function formatMarkdown(diff: RenderDiff, labels: DiffLabels, limit = GITHUB_COMMENT_LIMIT): string {
  const head: string[] = ['### kforge diff', '', `Base: ${escapeHtml(labels.base)} · Head: ${escapeHtml(labels.head)}`, ''];
  if (!diff.changed) return head.concat('No changes in the rendered manifests.', '').join('\n');
  head.push('| Environment | Added | Changed | Removed |', '| --- | ---: | ---: | ---: |');
  for (const e of diff.environments) head.push(`| ${e.name} | ${e.added} | ${e.changed} | ${e.removed} |`);
  head.push('', '');

  const total = diff.environments.reduce((n, e) => n + e.changes.length, 0);
  // Room kept for closing tags and the truncation note, so the result is under the limit whatever happens.
  const reserve = 600;
  let out = head.join('\n');
  let shown = 0;
  let cut = 0;
  let full = false;
  for (const e of diff.environments) {
    if (e.changes.length === 0) continue;
    const open = `<details>\n<summary><b>${e.name}</b>: ${envSummary(e)}</summary>\n\n`;
    const close = '</details>\n\n';
    if (full || out.length + open.length + close.length + reserve > limit) {
      full = true;
      continue;
    }
    out += open;
    for (const c of e.changes) {
      const b = block(c);
      const room = limit - reserve - close.length - out.length;
      if (b.length > room) {
        full = true;
        // A diff too big for what is left still shows its beginning when a useful part fits.
        if (room > 1000) {
          out += block(c, room);
          cut++;
        }
        break;
      }
      out += b;
      shown++;
    }
    out += close;
  }
  if (shown < total) {
    const partly = cut ? ` (${cut} of them cut short)` : '';
    out +=
      `> [!NOTE]\n> Truncated to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ` +
      `${total - shown} of ${total} resource diffs are not shown in full${partly}. Run \`kforge diff\` locally for all of them.\n`;
  }
  return out;
}

export function formatDiff(diff: RenderDiff, format: DiffFormat, labels: DiffLabels): string {
  if (format === 'json') return formatJson(diff, labels);
  if (format === 'markdown') return formatMarkdown(diff, labels);
  return formatText(diff, labels);
}
