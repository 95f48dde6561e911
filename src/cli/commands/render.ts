// `kforge render`: one kustomization to stdout, or the project's environments into --out.
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { buildKustomization } from '../../kustomize/build.js';
import { emitDocuments } from '../../emit/yaml.js';
import { createLogger } from '../../log.js';

interface RenderArgs {
  dir?: string;
  env?: string[];
  out: string;
  stdout?: boolean;
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
  'require-images'?: boolean;
  'allow-mutable-tags'?: boolean;
  'insecure-registry'?: string[];
  'load-restrictor'?: 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';
  cache: boolean;
  'enable-managedby-label'?: boolean;
  output?: string;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  command: 'render [dir]',
  describe: 'render a kustomization (like kustomize build), or every environment of kforge.yaml',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', describe: 'a kustomization folder: print its build to stdout' })
      .option('env', { type: 'string', array: true, describe: 'environment to render (repeatable; default: all)' })
      .option('out', { type: 'string', default: 'rendered', describe: 'output folder, one subfolder per environment (replaced atomically)' })
      .option('stdout', { type: 'boolean', describe: 'print the environments to stdout instead of writing --out' })
      .option('require-images', { type: 'boolean', describe: 'fail when an image tag the render uses is not in the registry' })
      .option('allow-mutable-tags', { type: 'boolean', describe: 'let images with no tag or tag latest through' })
      .option('cache', {
        type: 'boolean',
        default: true,
        describe: 'skip environments whose inputs and output folder are unchanged since the last render (--no-cache: render all)',
      })
      .option('load-restrictor', {
        choices: ['LoadRestrictionsRootOnly', 'LoadRestrictionsNone'] as const,
        describe: 'with DIR: may files outside the kustomization folder be read (as kustomize build --load-restrictor)',
      })
      .option('enable-managedby-label', { type: 'boolean', describe: 'with DIR: label resources app.kubernetes.io/managed-by (as kustomize build)' })
      .option('output', { alias: 'o', type: 'string', describe: 'with DIR: write to this file, or one file per resource into this existing folder (as kustomize build -o)' })
      .option('insecure-registry', { type: 'string', array: true, describe: 'a non-loopback registry host[:port] to speak plain HTTP to' })
      .example('$0 render --require-images', 'render with project images pinned, after checking the registry has them')
      .example('$0 render overlays/dev', 'print the build of one overlay, exactly as kustomize build would')
      .example('$0 render', 'render every environment of kforge.yaml into rendered/<env>/')
      .example('$0 render --env prod --stdout', 'print the prod environment')
      .epilog('Files in --out are named <namespace|_cluster>_<kind>[.<group>]_<name>.yaml.\nProject images (kforge.yaml images) are rewritten to <registry>/<name>:<content-hash tag>[@<digest from kforge.lock.json>].'),
  handler: async (args) => {
    const logger = createLogger(args);
    if (args.dir) {
      const built = buildKustomization(args.dir, { loadRestrictor: args['load-restrictor'], enableManagedByLabel: args['enable-managedby-label'] });
      for (const w of built.warnings) logger.warn(w);
      const objects = built.resources.map((r) => r.object);
      if (args.output) await (await import('../../kustomize/write-output.js')).writeKustomizeOutput(args.output, objects);
      else process.stdout.write(emitDocuments(objects));
      return;
    }
    // Loaded here, not at the top: `render DIR` in CI should not pay for the project, image and registry code.
    const [{ loadProject, selectEnvironments }, { renderToFolders, renderToText }, images_] = await Promise.all([
      import('../../project/config.js'),
      import('../../render-to-folders.js'),
      import('../../images/render-images.js'),
    ]);
    const { projectImagesConfig, requireImagesInRegistry } = images_;
    const project = loadProject({ config: args.config });
    const envs = selectEnvironments(project, args.env);
    const images = await projectImagesConfig(project, { allowMutableTags: args['allow-mutable-tags'] });
    const out = path.resolve(args.out);
    // The common paths: environments render (and write) in parallel where that pays.
    if (args.stdout && !args['require-images']) {
      const texts = await renderToText(project, envs, { logger, images });
      for (const t of texts) for (const w of t.warnings) logger.warn(`env '${t.env}': ${w}`);
      process.stdout.write(texts.map((t) => t.text).join('---\n'));
      return;
    }
    if (!args['require-images']) {
      for (const r of await renderToFolders(project, envs, out, { logger, images }, { cache: args.cache })) {
        for (const w of r.warnings) logger.warn(`env '${r.env}': ${w}`);
        logger.info(`${r.env}: ${r.files} resources -> ${path.relative(process.cwd(), r.folder) || '.'}${r.cached ? ' (unchanged)' : ''}`);
      }
      return;
    }
    // --require-images: everything renders first, then the registry must hold every project image used.
    const [{ renderProject }, { createRegistryClient }, { usedProjectImages }] = await Promise.all([
      import('../../render.js'),
      import('../../images/registry.js'),
      import('../../compile/project-images.js'),
    ]);
    const rendered = renderProject(project, envs, { logger, images });
    const used = usedProjectImages(rendered.environments.flatMap((e) => e.resources), images);
    await requireImagesInRegistry(images, used, createRegistryClient({ insecureHosts: args['insecure-registry'] }));
    for (const env of rendered.environments) for (const w of env.warnings) logger.warn(`env '${env.env.name}': ${w}`);
    if (args.stdout) {
      const { documentStream } = await import('../../emit/layout.js');
      process.stdout.write(rendered.environments.map((e) => documentStream(e.files)).join('---\n'));
      return;
    }
    const { writeTreesAtomically } = await import('../../fs/write-tree.js');
    const folders = rendered.environments.map((env) => path.join(out, env.env.name));
    writeTreesAtomically(rendered.environments.map((env, i) => ({ dir: folders[i], files: env.files })));
    for (const [i, env] of rendered.environments.entries()) {
      logger.info(`${env.env.name}: ${env.files.length} resources -> ${path.relative(process.cwd(), folders[i]) || '.'}`);
    }
  },
};
