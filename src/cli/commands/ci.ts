// `kforge ci`: the pipeline step of a CI job (see docs/ci.md): images, scan, release and notify for the
// environments of this branch, or the markdown diff of a pull request.
import type { CommandModule } from 'yargs';
import { createLogger } from '../../log.js';
import { isKforgeError } from '../../errors.js';
import { BUILDER_KINDS, type BuilderKind } from '../../images/builder.js';
import { runCi } from '../../ci/run.js';
import { ttyProgress } from '../../images/progress.js';
import { formatCiSummary } from '../../ci/summary.js';

interface CiArgs {
  branch?: string;
  'pull-request'?: string;
  'diff-file': string;
  push?: string;
  recheck?: boolean;
  'dry-run'?: boolean;
  builder?: BuilderKind;
  jobs: number;
  'insecure-registry'?: string[];
  output: 'text' | 'json';
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export const ciCommand: CommandModule<object, CiArgs> = {
  command: 'ci',
  describe: "a CI job's step: build, scan and release the environments of this branch, or write a pull request's diff",
  builder: (y) =>
    y
      .option('branch', { type: 'string', describe: 'the branch being built (default: from GITHUB_*, CI_COMMIT_*/CI_MERGE_REQUEST_*, BRANCH_NAME/CHANGE_*, else git)' })
      .option('pull-request', { type: 'string', describe: 'treat the run as a pull request into this branch (default: from the CI variables)' })
      .option('diff-file', { type: 'string', default: 'kforge-diff.md', describe: "where a pull request's markdown diff is written" })
      .option('push', { type: 'string', describe: 'push the release branch to REMOTE (default remote: origin)' })
      .option('dry-run', { type: 'boolean', describe: 'say what would be built and released; build, commit, push and notify nothing' })
      .option('recheck', { type: 'boolean', describe: 'ignore the record of the last run: ask the registry and the release branch again' })
      .option('builder', { choices: BUILDER_KINDS, describe: 'image builder (default: the first installed of buildah, podman, docker)' })
      .option('jobs', { type: 'number', default: 4, describe: 'images built at the same time, at most' })
      .option('insecure-registry', { type: 'string', array: true, describe: 'a non-loopback registry host[:port] to speak plain HTTP to (repeatable)' })
      .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: print the result on stdout for scripts' })
      .example('$0 ci --push', 'on main: build what changed, scan, release the environments main deploys, push the release branch')
      .example('$0 ci --diff-file diff.md', 'in a pull request: write the render diff as markdown for a comment')
      .example('$0 ci --branch production --dry-run', 'what a run on the production branch would build and release')
      .epilog('Environments are chosen by environments.<env>.branches in kforge.yaml. A run with nothing new exits 0 at once.\nExit codes: 0 done (also nothing to do), 1 a build or scan failed (nothing released), 2 bad input, 3 a command failed.'),
  handler: async (args) => {
    const logger = createLogger(args);
    const json = args.output === 'json';
    const result = await runCi({
      env: process.env,
      config: args.config,
      branch: args.branch,
      pullRequestTarget: args['pull-request'],
      diffFile: args['diff-file'],
      push: args.push === undefined ? undefined : args.push || 'origin',
      recheck: args.recheck,
      dryRun: args['dry-run'],
      builder: args.builder,
      jobs: args.jobs,
      insecureRegistries: args['insecure-registry'],
      logger,
      // A person at a terminal sees one live line per image; CI logs get plain lines.
      progress: process.stderr.isTTY && !process.env.CI && !args.quiet ? (names) => ttyProgress(process.stderr, names) : undefined,
    }).catch((e: unknown) => {
      // A script reading stdout gets an answer on failure too; the error itself still goes to stderr with its exit code.
      if (json && isKforgeError(e)) process.stdout.write(JSON.stringify({ outcome: 'failed', error: e.format(), exitCode: e.exitCode }, null, 2) + '\n');
      throw e;
    });
    if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else for (const line of formatCiSummary(result)) logger.info(line);
  },
};
