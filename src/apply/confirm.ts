// Who must say yes before an apply changes a cluster. Pure rules (tests call them directly) plus the terminal
// prompt. Default is No; a protected environment wants its name typed, or --yes with --confirm-env NAME.
import readline from 'node:readline/promises';
import { InputError } from '../errors.js';
import type { Environment } from '../project/config.js';

export interface ConfirmFlags {
  yes?: boolean;
  confirmEnv?: string;
}

export type Confirmation =
  | { mode: 'skip' }
  | { mode: 'yes-no'; question: string }
  | { mode: 'type-name'; question: string; expected: string };

export function confirmationFor(env: Environment, target: string, flags: ConfirmFlags, interactive: boolean): Confirmation {
  if (flags.confirmEnv !== undefined && flags.confirmEnv !== env.name) {
    throw new InputError(`--confirm-env '${flags.confirmEnv}' does not match environment '${env.name}'`);
  }
  if (env.protected) {
    if (flags.yes && flags.confirmEnv === env.name) return { mode: 'skip' };
    if (flags.yes) throw new InputError(`environment '${env.name}' is protected: --yes alone is refused`, {}, `add --confirm-env ${env.name} to apply without a prompt`);
    if (!interactive) throw new InputError(`environment '${env.name}' is protected and there is no terminal to confirm on`, {}, `pass --yes --confirm-env ${env.name}`);
    return { mode: 'type-name', question: `Environment '${env.name}' is protected. Type its name to apply to ${target}: `, expected: env.name };
  }
  if (flags.yes) return { mode: 'skip' };
  if (!interactive) throw new InputError(`refusing to apply environment '${env.name}' without confirmation: there is no terminal to ask on`, {}, 'pass --yes');
  return { mode: 'yes-no', question: `Apply environment '${env.name}' to ${target}? [y/N] ` };
}

/** Whether an answer confirms: yes/no questions accept y or yes; protected ones only the exact name. */
export function isConfirmed(c: Confirmation, answer: string): boolean {
  if (c.mode === 'skip') return true;
  if (c.mode === 'type-name') return answer.trim() === c.expected;
  return /^(y|yes)$/i.test(answer.trim());
}

export interface Prompter {
  /** Whether there is a terminal to ask on. */
  interactive: boolean;
  ask(question: string): Promise<string>;
}

/** Asks on the terminal: the question on stderr (stdout may carry the diff or JSON), the answer from stdin. */
export function terminalPrompter(): Prompter {
  return {
    interactive: Boolean(process.stdin.isTTY),
    async ask(question) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
