// `kforge init`: write a kforge.yaml for the kustomize repository in the current folder (see docs/init.md).
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { createLogger } from '../../log.js';
import { initProject } from '../../init/init.js';

interface InitArgs {
  dir: string;
  'dry-run'?: boolean;
  output: 'text' | 'json';
  quiet?: boolean;
  verbose?: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [dir]',
  describe: 'write a kforge.yaml for an existing kustomize repository (overlays, bases, Dockerfiles); never overwrites',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'the top of the kustomize repository' })
      .option('dry-run', { type: 'boolean', describe: 'print the kforge.yaml it would write to stdout; write nothing' })
      .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: print what was found and written on stdout' })
      .example('$0 init', 'detect overlays, bases and Dockerfiles here and write kforge.yaml')
      .example('$0 init --dry-run', 'show the kforge.yaml without writing it')
      .epilog('Only kforge.yaml is written, and only if it does not exist. Then: kforge render, and compare with kustomize build.'),
  handler: (args) => {
    const logger = createLogger(args);
    const r = initProject({ dir: args.dir, dryRun: args['dry-run'] });
    if (args.output === 'json') {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      return;
    }
    if (args['dry-run']) process.stdout.write(r.text);
    const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
    logger.info(`overlays (environments): ${r.environments.map((e) => `${e.name} = ${e.path}`).join(', ')}`);
    logger.info(`bases: ${list(r.found.bases)}; components: ${list(r.found.components)}`);
    logger.info(`images: ${r.images.length ? r.images.map((i) => `${i.name} (${i.dockerfile ? `${i.context}/${i.dockerfile}` : i.context})`).join(', ') : 'none'}; registry: ${r.registry ?? 'not found'}`);
    for (const n of r.notes) logger.warn(n);
    if (!r.cacheIgnored) logger.info('add .kforge-cache/ to .gitignore: kforge keeps machine-local hashes there (init changes no other file)');
    if (r.written) logger.info(`wrote ${path.relative(process.cwd(), r.file) || r.file}; next: kforge render, then compare with kustomize build`);
  },
};
