// The command list: one module per command, each about the size of uvu's CLI.
import type { CommandModule } from 'yargs';
import { renderCommand } from './render.js';
import { imagesCommand } from './images.js';
import { releaseCommand } from './release.js';
import { diffCommand } from './diff.js';
import { applyCommand } from './apply.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  renderCommand,
  imagesCommand,
  releaseCommand,
  diffCommand,
  applyCommand,
];
