// `kforge apply --env NAME`: diff, confirm, apply in waves with readiness waits, prune; guarded by kube context.
import type { CommandModule } from 'yargs';
import { applyEnvironment } from '../../apply/run.js';
import { terminalPrompter } from '../../apply/confirm.js';
import { parseDuration } from '../../kube/duration.js';
import { loadProject, selectEnvironments } from '../../project/config.js';
import { createLogger } from '../../log.js';

interface ApplyArgs {
  env: string;
  kubeconfig?: string;
  'from-release'?: boolean;
  'allow-dirty'?: boolean;
  yes?: boolean;
  'confirm-env'?: string;
  'dry-run'?: boolean;
  prune?: boolean;
  'prune-namespaces'?: boolean;
  'force-conflicts'?: boolean;
  timeout: string;
  output: 'text' | 'json';
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export const applyCommand: CommandModule<object, ApplyArgs> = {
  command: 'apply',
  describe: 'diff an environment against its cluster, confirm, apply it in waves and wait until it is ready',
  builder: (y) =>
    y
      .option('env', { type: 'string', demandOption: true, describe: 'the environment to apply' })
      .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)' })
      .option('from-release', { type: 'boolean', describe: "apply the environment's folder from the release branch instead of rendering HEAD" })
      .option('allow-dirty', { type: 'boolean', describe: 'apply the working tree even if uncommitted changes alter the render (never for protected environments)' })
      .option('yes', { type: 'boolean', alias: 'y', describe: 'do not ask for confirmation (protected environments also need --confirm-env)' })
      .option('confirm-env', { type: 'string', describe: 'the environment name again, required with --yes for a protected environment' })
      .option('dry-run', { type: 'boolean', describe: 'check the target, show the diff and the plan of waves and prunes; change nothing' })
      .option('prune', { type: 'boolean', describe: 'delete what kforge applied to this environment before and the render no longer has' })
      .option('prune-namespaces', { type: 'boolean', implies: 'prune', describe: 'with --prune, also delete Namespaces that left the render' })
      .option('force-conflicts', { type: 'boolean', describe: 'take over fields another field manager owns (e.g. objects once applied client-side)' })
      .option('timeout', { type: 'string', default: '5m', describe: 'how long each wave may take to become ready (90s, 5m, 1h)' })
      .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: print per-resource outcomes on stdout (the diff goes to stderr)' })
      .example('$0 apply --env dev', 'show the diff for dev, ask, apply in waves and wait for readiness')
      .example('$0 apply --env dev --dry-run', 'show the target, the diff and the plan; change nothing')
      .example('$0 apply --env prod --yes --confirm-env prod --prune', 'apply protected prod without a prompt and prune what left the render')
      .example('$0 apply --env test --from-release --output json', 'apply what the release branch holds for test, report outcomes as JSON')
      .epilog('Waves: Namespaces, CRDs, PersistentVolumes and StorageClasses first, then by the annotation kforge.dev/apply-wave (default 0), lowest first.'),
  handler: async (args) => {
    const timeoutMs = parseDuration(args.timeout);
    const logger = createLogger(args);
    const project = loadProject({ config: args.config });
    const [env] = selectEnvironments(project, [args.env]);
    const json = args.output === 'json';
    const report = await applyEnvironment({
      project, env, logger, timeoutMs,
      kubeconfig: args.kubeconfig,
      fromRelease: args['from-release'],
      allowDirty: args['allow-dirty'],
      yes: args.yes,
      confirmEnv: args['confirm-env'],
      dryRun: args['dry-run'],
      prune: args.prune,
      pruneNamespaces: args['prune-namespaces'],
      forceConflicts: args['force-conflicts'],
      showDiff: (text) => (json ? process.stderr : process.stdout).write(text),
      color: Boolean((json ? process.stderr : process.stdout).isTTY) && !process.env.NO_COLOR,
      prompter: terminalPrompter(),
    });
    if (json) {
      const { failure, ...rest } = report;
      process.stdout.write(JSON.stringify({ ...rest, ...(failure ? { error: failure.format() } : {}) }, null, 2) + '\n');
    }
    if (!report.dryRun && (report.changed || report.failure)) {
      // kforge.yaml's notify.webhook hears of every apply that changed the cluster or failed (best effort).
      const { notifyWebhook } = await import('../../notify/webhook.js');
      await notifyWebhook(
        { event: 'apply', outcome: report.failure ? 'failed' : 'applied', environments: [report.env], images: [], error: report.failure?.format() },
        { webhook: project.spec.notify?.webhook, env: process.env, logger },
      );
    }
    if (report.failure) throw report.failure;
  },
};
