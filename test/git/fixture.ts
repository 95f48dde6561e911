// Real git repositories in temp folders, built from an inline file map (changesets style). Tests never touch
// the repository they run in: every command runs with cwd inside the temp folder and a private git config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-test-home-'));
fs.writeFileSync(path.join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[user]\n\tname = Kforge Test\n\temail = test@kforge.invalid\n');
/** Environment for git in tests: no user or system config, a fixed identity. Child processes inherit it. */
export const gitEnv: Record<string, string> = {
  GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Kforge Test',
  GIT_AUTHOR_EMAIL: 'test@kforge.invalid',
  GIT_COMMITTER_NAME: 'Kforge Test',
  GIT_COMMITTER_EMAIL: 'test@kforge.invalid',
};
Object.assign(process.env, gitEnv);
for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY']) delete process.env[v];

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  /** Writes files (null deletes), commits them all, returns the new commit id. */
  commit(files: Record<string, string | null>, message?: string): string;
  write(files: Record<string, string | null>): void;
  remove(): void;
}

export function tempRepo(files: Record<string, string> = {}): TempRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-repo-'));
  const run = (...args: string[]) => execaSync('git', args, { cwd: dir, stripFinalNewline: false }).stdout as string;
  const write = (map: Record<string, string | null>) => {
    for (const [p, content] of Object.entries(map)) {
      const target = path.join(dir, p);
      if (content === null) fs.rmSync(target, { force: true });
      else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
    }
  };
  run('init', '-q', '-b', 'main');
  const repo: TempRepo = {
    dir,
    git: (...args) => run(...args).trim(),
    write,
    commit(map, message = 'change') {
      write(map);
      run('add', '-A');
      run('commit', '-q', '--allow-empty', '-m', message);
      return run('rev-parse', 'HEAD').trim();
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  if (Object.keys(files).length > 0) repo.commit(files, 'initial');
  return repo;
}
