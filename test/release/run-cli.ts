// Runs the kforge CLI from source in a child process, as a user would, with the test git environment.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { gitEnv } from '../git/fixture.js';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/main.ts');
const tsx = import.meta.resolve('tsx');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function kforge(cwd: string, ...args: string[]): Promise<CliResult> {
  return kforgeWithEnv(cwd, {}, ...args);
}

export async function kforgeWithEnv(cwd: string, extra: Record<string, string>, ...args: string[]): Promise<CliResult> {
  // Test runners set FORCE_COLOR; with NO_COLOR from a CI too, node prints a warning that would pollute stderr.
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...inherited } = process.env;
  const env = { ...inherited, ...gitEnv, ...extra };
  const r = await execa(process.execPath, ['--import', tsx, main, ...args], { cwd, env, extendEnv: false, reject: false });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
