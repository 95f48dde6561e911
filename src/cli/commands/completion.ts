// `kforge completion`: prints yargs' completion script for bash (zsh runs it through bashcompinit). The script
// calls `kforge --get-yargs-completions ...`, which yargs answers from the same command definitions.
import type { CommandModule } from 'yargs';
import yargs from 'yargs';

export const completionCommand: CommandModule<object, object> = {
  command: 'completion',
  describe: 'print a shell completion script for bash and zsh',
  builder: (y) =>
    y
      .example('$0 completion >> ~/.bashrc', 'complete kforge commands and options in bash')
      .example('$0 completion >> ~/.zshrc', 'the same for zsh')
      .epilog('Or, for the current shell only: source <(kforge completion)'),
  handler: () => {
    // yargs writes the script with its logger (console.log): stdout, as a user redirects it.
    yargs([]).scriptName('kforge').showCompletionScript();
  },
};
