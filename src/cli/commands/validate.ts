// `kforge validate`: schema and policy checks of the project, its kustomizations and every rendered resource.
import type { CommandModule } from 'yargs';
import { CheckFailedError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { RULES } from '../../validate/policies.js';

interface ValidateArgs {
  env?: string[];
  output: 'text' | 'json';
  config?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'check kforge.yaml, kustomizations and rendered resources against schemas and policy rules',
  builder: (y) =>
    y
      .option('env', { type: 'string', array: true, describe: 'environment to validate (repeatable; default: all)' })
      .option('output', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'findings as lines of text or one JSON document' })
      .example('$0 validate', 'check every environment; exit 1 when anything is found')
      .example('$0 validate --env prod --output json', 'the findings of prod as JSON, for a CI annotation step')
      .epilog(`Policy rules (switch one off with environments.<env>.policies.<rule>: false in kforge.yaml):\n${RULES.map((r) => `  ${r.id}: ${r.explanation}`).join('\n')}\nSee docs/validate.md.`),
  handler: async (args) => {
    const logger = createLogger(args);
    const { validateProject } = await import('../../validate/run.js');
    const { formatFinding } = await import('../../validate/findings.js');
    const report = await validateProject({ config: args.config, envs: args.env });
    if (args.output === 'json') process.stdout.write(JSON.stringify({ ok: report.findings.length === 0, ...report }, null, 2) + '\n');
    else for (const f of report.findings) process.stdout.write(formatFinding(f) + '\n');
    const checked = `${report.environments.length} environment(s), ${report.kustomizations.length} kustomization(s)`;
    if (report.findings.length) {
      throw new CheckFailedError(`validation found ${report.findings.length} problem(s) in ${checked}`, { file: report.project }, 'each is listed above');
    }
    logger.info(`validated ${report.project}, ${checked}: no problems`);
  },
};
