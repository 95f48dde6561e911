// `kforge diff`: what a change does to the rendered manifests, resource by resource (see docs/diff.md).
import type { CommandModule } from 'yargs';
import { createLogger } from '../../log.js';
import { isKforgeError } from '../../errors.js';
import { diffRenders } from '../../release/diff.js';
import { formatDiff, type DiffFormat } from '../../diff/format.js';

interface DiffArgs {
  base?: string;
  head?: string;
  release?: boolean;
  env?: string[];
  format: DiffFormat;
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff',
  describe: 'compare the rendered output of two revisions; exit 0 no change, 1 changes, 2 error',
  builder: (y) =>
    y
      .option('base', { type: 'string', describe: 'git revision to compare from (default: merge base of HEAD with origin/HEAD, main or master)' })
      .option('head', { type: 'string', describe: 'git revision to compare to (default: the working tree, uncommitted changes included)' })
      .option('release', { type: 'boolean', describe: 'compare with what the release branch holds: what would the next release change?' })
      .option('env', { type: 'string', array: true, describe: 'environment to compare (repeatable; default: all)' })
      .option('format', { choices: ['text', 'markdown', 'json'] as const, default: 'text' as DiffFormat, describe: 'output format; markdown fits a pull-request comment' })
      .conflicts('release', 'base')
      .example('$0 diff', 'what this branch and the uncommitted changes do to every environment')
      .example('$0 diff --base main --head HEAD --format markdown > comment.md', 'a pull-request comment')
      .example('$0 diff --release --env prod', 'what releasing prod now would change')
      .epilog('Secret data and stringData values are always redacted.'),
  handler: async (args) => {
    const logger = createLogger(args);
    // diff(1) exit codes: any failure is 2, whatever its kind, so a script can tell "changes" from "broken".
    try {
      const { diff, labels } = await diffRenders({ config: args.config, base: args.base, head: args.head, release: args.release, envs: args.env, logger });
      process.stdout.write(formatDiff(diff, args.format, labels));
      process.exitCode = diff.changed ? 1 : 0;
    } catch (e) {
      const text = isKforgeError(e) ? e.format() : `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
      process.stderr.write(`kforge: ${text}\n`);
      process.exitCode = 2;
    }
  },
};
