// `kforge release`: commit the rendered environments of HEAD to the release branch (see docs/release.md).
import type { CommandModule } from 'yargs';
import { createLogger } from '../../log.js';
import { release, type ReleaseResult } from '../../release/release.js';

interface ReleaseArgs {
  env?: string[];
  allowDirty?: boolean;
  allowMutableTags?: boolean;
  dryRun?: boolean;
  push?: string;
  output: 'text' | 'json';
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

function report(r: ReleaseResult): string[] {
  const source = r.sourceCommit.slice(0, 12);
  if (r.changes.length === 0 && !r.commit) return [`nothing to release: ${r.branch} already holds the render of ${source}`];
  const lines = [r.dryRun ? `dry run: releasing ${source} would change ${r.branch}:` : `released ${source} to ${r.branch} as ${r.commit!.slice(0, 12)}:`];
  for (const c of r.changes) {
    lines.push(`  ${c.env}: ${c.added.length} added, ${c.modified.length} changed, ${c.removed.length} removed`);
    if (r.dryRun) lines.push(...c.added.map((p) => `    + ${p}`), ...c.modified.map((p) => `    ~ ${p}`), ...c.removed.map((p) => `    - ${p}`));
  }
  if (r.images.length > 0) lines.push(`  images: ${r.images.join(', ')}`);
  if (r.dryRun) lines.push('(kforge diff --release shows the changes resource by resource)');
  return lines;
}

export const releaseCommand: CommandModule<object, ReleaseArgs> = {
  command: 'release',
  describe: 'commit the rendered environments of HEAD to the release branch (kforge.yaml release.branch)',
  builder: (y) =>
    y
      .option('env', { type: 'string', array: true, describe: 'environment to release (repeatable; default: all); the others keep their folders' })
      .option('allow-dirty', { type: 'boolean', describe: 'release HEAD even though the working tree has uncommitted changes (they are not released)' })
      .option('allow-mutable-tags', { type: 'boolean', describe: 'let images with no tag or tag latest into the release' })
      .option('dry-run', { type: 'boolean', describe: 'show which files would change, commit nothing' })
      .option('push', { type: 'string', describe: 'push the release branch to REMOTE afterwards (default remote: origin)' })
      .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: print the result to stdout for scripts' })
      .example('$0 release', 'render every environment of HEAD and commit them to the release branch')
      .example('$0 release --env dev --dry-run', 'show what releasing dev would change')
      .example('$0 release --push', 'release, then push the branch to origin')
      .epilog('One folder per environment, laid out as `render --out`. Files kforge did not write are kept. Exits 0 on success, also when there is nothing to release.'),
  handler: async (args) => {
    const logger = createLogger(args);
    const result = await release({
      config: args.config,
      envs: args.env,
      allowDirty: args.allowDirty,
      allowMutableTags: args.allowMutableTags,
      dryRun: args.dryRun,
      push: args.push === undefined ? undefined : args.push || 'origin',
      logger,
    });
    if (args.output === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else for (const line of report(result)) logger.info(line);
    if (result.pushed) logger.info(`pushed ${result.branch} to ${result.pushed}`);
    if (result.commit) {
      // kforge.yaml's notify.webhook hears of every release that committed (best effort: it only warns).
      const [{ loadProject }, { notifyWebhook }] = await Promise.all([import('../../project/config.js'), import('../../notify/webhook.js')]);
      const webhook = loadProject({ config: args.config }).spec.notify?.webhook;
      await notifyWebhook(
        { event: 'release', outcome: 'released', environments: result.changes.map((c) => c.env), images: result.images, sourceCommit: result.sourceCommit, releaseBranch: result.branch, releaseCommit: result.commit },
        { webhook, env: process.env, logger },
      );
    }
  },
};
