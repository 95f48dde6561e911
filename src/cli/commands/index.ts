// The command list. Each command module is imported only when its command runs (or for --help), so a
// `kforge render DIR` in CI does not load the registry, git or kubectl code.
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

export interface CommandEntry {
  name: string;
  load: () => Promise<AnyCommand>;
}

export const commands: CommandEntry[] = [
  { name: 'render', load: async () => (await import('./render.js')).renderCommand },
  { name: 'images', load: async () => (await import('./images.js')).imagesCommand },
  { name: 'release', load: async () => (await import('./release.js')).releaseCommand },
  { name: 'diff', load: async () => (await import('./diff.js')).diffCommand },
  { name: 'apply', load: async () => (await import('./apply.js')).applyCommand },
  { name: 'ci', load: async () => (await import('./ci.js')).ciCommand },
  { name: 'init', load: async () => (await import('./init.js')).initCommand },
  { name: 'completion', load: async () => (await import('./completion.js')).completionCommand },
  { name: 'validate', load: async () => (await import('./validate.js')).validateCommand },
];
