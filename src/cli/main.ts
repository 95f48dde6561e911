#!/usr/bin/env node
// kforge's entry point: parse the command line, run one command, map errors to exit codes.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.js';
import { isKforgeError } from '../errors.js';
import { kforgeVersion } from '../release/version.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('kforge')
    .usage('$0 <command> [options]\n\nA GitOps compiler. Renders kustomize overlays exactly as kustomize build does,\nbuilds immutable images, commits releases, diffs renders and applies\nenvironments, for the environments listed in kforge.yaml.')
    .option('config', { type: 'string', describe: 'path to kforge.yaml (default: search the current folder and its parents)', global: true })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'print only errors and the requested output', global: true })
    .option('verbose', { type: 'boolean', alias: 'v', describe: 'print more about what kforge does', global: true })
    .option('color', { type: 'boolean', describe: 'color on a terminal (default); --no-color, or NO_COLOR set, turns it off', global: true })
    // NO_COLOR (no-color.org) is the one switch every color decision reads, in kforge and in the tools it runs.
    .middleware((a) => {
      if (a.color === false) process.env.NO_COLOR = '1';
    })
    .strict()
    .demandCommand(1, 'name a command: see the list above')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    // yargs looks for package.json beside the entry module, which the bundle does not have: tell it.
    .version(kforgeVersion())
    .wrap(null)
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`kforge: ${msg.replace(/\n/g, ' ')} (run 'kforge --help' for usage)\n`);
      exitCode = 2;
    });
  try {
    // Load only the command being run; every command for help or an unknown word.
    const first = argv.find((a) => !a.startsWith('-'));
    const chosen = commands.filter((c) => c.name === first);
    for (const c of chosen.length ? chosen : commands) parser.command(await c.load());
    await parser.parseAsync();
    // Commands whose outcome is not an error but still non-zero (diff: 1 = changes) set process.exitCode.
    return exitCode || Number(process.exitCode ?? 0);
  } catch (e) {
    if (isKforgeError(e)) {
      process.stderr.write(`kforge: ${e.format()}\n`);
      return e.exitCode;
    }
    // A bug: one line for the user; the stack when KFORGE_DEBUG is set, for the report.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\n/g, ' ');
    process.stderr.write(`kforge: internal error: ${message} (this is a bug in kforge, please report it; KFORGE_DEBUG=1 shows the stack)\n`);
    if (process.env.KFORGE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    return 70;
  }
}

// Run only as the program itself (bin, `node dist/cli/main.js`, tsx), not when a test imports main().
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
