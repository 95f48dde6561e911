// Runs the kforge CLI from source in a child process with a chosen environment: no CI variables from the
// machine running the tests (a test suite run by GitHub Actions must not look like a GitHub job to kforge).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { gitEnv } from '../git/fixture.js';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.ts');
const tsx = import.meta.resolve('tsx');

const CI_VARIABLES = /^(GITHUB_|CI_|GITLAB_|CHANGE_|BRANCH_NAME$|TAG_NAME$|GIT_BRANCH$|JENKINS_|BUILD_)/;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // FORCE_COLOR from test runners plus NO_COLOR makes node print a warning on stderr.
    if (v !== undefined && !CI_VARIABLES.test(k) && k !== 'FORCE_COLOR' && k !== 'NO_COLOR') env[k] = v;
  }
  return { ...env, ...gitEnv, ...extra };
}

export async function kforge(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const r = await execa(process.execPath, ['--import', tsx, main, ...args], { cwd, env: cleanEnv(extraEnv), extendEnv: false, reject: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
