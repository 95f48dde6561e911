// The release commit message: a readable summary, then git trailers that tools can parse
// (`git log --format='%(trailers:key=Kforge-Source-Commit,valueonly)'`).
import type { EnvChange } from './plan.js';

export interface ReleaseMessageInput {
  sourceCommit: string;
  sourceSubject: string;
  version: string;
  changes: readonly EnvChange[];
  /** Images of the changed environments. */
  images: readonly string[];
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function releaseMessage(m: ReleaseMessageInput): string {
  const envs = m.changes.map((c) => c.env);
  const short = m.sourceCommit.slice(0, 12);
  const subject = envs.length > 0 ? `Release ${envs.join(', ')} from ${short}` : `Release bookkeeping from ${short}`;
  const body = [`Source commit ${m.sourceCommit}: ${m.sourceSubject}`, ''];
  if (envs.length > 0) {
    body.push('Changed environments:');
    for (const c of m.changes) {
      body.push(`- ${c.env}: ${count(c.added.length, 'file')} added, ${c.modified.length} changed, ${c.removed.length} removed`);
    }
  } else {
    body.push('No environment changed; only the list of files kforge owns was updated.');
  }
  if (m.images.length > 0) body.push('', 'Images:', ...m.images.map((i) => `- ${i}`));
  const trailers = [
    `Kforge-Source-Commit: ${m.sourceCommit}`,
    `Kforge-Version: ${m.version}`,
    ...(envs.length > 0 ? [`Kforge-Environments: ${envs.join(', ')}`] : []),
    ...m.images.map((i) => `Kforge-Image: ${i}`),
  ];
  return [subject, '', ...body, '', ...trailers, ''].join('\n');
}
