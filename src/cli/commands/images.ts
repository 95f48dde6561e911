// `kforge images plan|build`: content-hash tags for the project's images, and building what the registry lacks.
import type { Argv, CommandModule } from 'yargs';
import { loadProject } from '../../project/config.js';
import { createLogger } from '../../log.js';
import { CheckFailedError } from '../../errors.js';
import { BUILDER_KINDS, createBuilder, detectBuilder, type BuilderKind } from '../../images/builder.js';
import { buildPlanned, planProject } from '../../images/build.js';
import { createRegistryClient } from '../../images/registry.js';
import { plainProgress, ttyProgress } from '../../images/progress.js';
import { formatPlan, formatBuildResults } from '../../images/report.js';

interface ImagesArgs {
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
  output: 'text' | 'json';
  'insecure-registry'?: string[];
  force?: boolean;
  builder?: BuilderKind;
  jobs: number;
  images?: string[];
}

const common = <T>(y: Argv<T>) =>
  y.positional('images', { type: 'string', array: true, describe: 'only these images (and the images they are built FROM); default: all' })
    .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
    .option('insecure-registry', { type: 'string', array: true, describe: 'a non-loopback registry host[:port] to speak plain HTTP to (repeatable)' });

async function plan(args: ImagesArgs) {
  const project = loadProject({ config: args.config });
  const registry = createRegistryClient({ insecureHosts: args['insecure-registry'] });
  return { project, registry, planned: await planProject(project, registry, { force: args.force, only: args.images }) };
}

const print = (text: string) => process.stdout.write(text);

const planCommand: CommandModule<object, ImagesArgs> = {
  command: 'plan [images..]',
  describe: 'show each image\'s tag, whether the registry has it, the build order and what would be built and why',
  builder: (y) => common(y).option('force', { type: 'boolean', describe: 'plan as images build --force would' }).option('jobs', { type: 'number', default: 4, hidden: true })
    .example('$0 images plan', 'tags, registry state and build order of every image in kforge.yaml')
    .example('$0 images plan --output json', 'the same as JSON'),
  handler: async (args) => {
    const { planned } = await plan(args);
    print(args.output === 'json' ? `${JSON.stringify({ order: planned.plan.map((p) => p.name), images: planned.plan }, null, 2)}\n` : formatPlan(planned.plan));
  },
};

const buildCommand: CommandModule<object, ImagesArgs> = {
  command: 'build [images..]',
  describe: 'build and push the images whose tag the registry lacks, bases first; lock their digests',
  builder: (y) => common(y)
    .option('force', { type: 'boolean', describe: 'rebuild and push every image, even when its tag exists' })
    .option('builder', { choices: BUILDER_KINDS, describe: 'image builder (default: the first installed of buildah, podman, docker)' })
    .option('jobs', { type: 'number', default: 4, describe: 'images built at the same time, at most' })
    .example('$0 images build', 'build and push what changed')
    .example('$0 images build coolapp --force', 'rebuild coolapp and its bases'),
  handler: async (args) => {
    const logger = createLogger(args);
    const { project, registry, planned } = await plan(args);
    const builder = createBuilder(await detectBuilder(args.builder));
    const live = process.stderr.isTTY && !process.env.CI && !args.quiet;
    const progress = live ? ttyProgress(process.stderr, planned.plan.map((p) => p.name)) : plainProgress(logger);
    const results = await buildPlanned(project, planned, { builder, registry, progress, jobs: args.jobs });
    for (const r of results) for (const l of r.outputTail ?? []) logger.info(`${r.name} | ${l}`);
    print(args.output === 'json' ? `${JSON.stringify({ images: results }, null, 2)}\n` : formatBuildResults(results));
    const failed = results.filter((r) => r.action === 'failed' || r.action === 'skipped');
    if (failed.length) throw new CheckFailedError(`${failed.length} image(s) not built: ${failed.map((r) => `${r.name} (${r.error})`).join('; ')}`);
  },
};

export const imagesCommand: CommandModule<object, object> = {
  command: 'images',
  describe: 'content-hash image tags: plan and build the images of kforge.yaml',
  builder: (y) => y.command(planCommand).command(buildCommand).demandCommand(1, 'name a subcommand: plan or build')
    .epilog('Tags are the first 20 hex digits of a sha256 over the Dockerfile, the visible build context (.dockerignore\nhonoured), build args, target, platforms and the hashes of project base images. See docs/images.md.'),
  handler: () => {},
};
