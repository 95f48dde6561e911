// Every file of examples/ci/ parses as what it claims to be, runs only kforge commands and flags that exist
// (checked against the real CLI's --help), has valid shell, and the GitOps consumers point at folders a real
// release of the bundled example creates on the release branch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { tempRepo } from '../git/fixture.js';
import { memoryLogger } from '../../src/log.js';
import { loadProject } from '../../src/project/config.js';
import { release } from '../../src/release/release.js';
import { callsNamed, child, parseGroovyBlocks } from './groovy.js';
import { checkInvocation, checkShellSyntax, examplesDir, kforgeInvocations, repoRoot } from './commands.js';

type Obj = Record<string, unknown>;
const read = (name: string) => fs.readFileSync(path.join(examplesDir, name), 'utf8');
const obj = (v: unknown, what: string): Obj => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `${what} is a map`);
  return v as Obj;
};
const bundled = loadProject({ cwd: repoRoot });
const envNames = bundled.environments.map((e) => e.name);

async function checkScript(script: string, where: string): Promise<string[][]> {
  // GitHub's ${{ }} expressions are replaced before the shell sees the script.
  await checkShellSyntax(script.replace(/\$\{\{[^}]*\}\}/g, 'X'), where);
  const found = kforgeInvocations(script);
  for (const inv of found) await checkInvocation(inv);
  return found;
}

test('every file in examples/ci has a test here', () => {
  assert.equal(fs.readdirSync(examplesDir).sort(), ['.gitlab-ci.yml', 'Jenkinsfile', 'argocd-application.yaml', 'flux.yaml', 'github-actions.yml']);
});

test('the GitHub Actions workflow renders on every event, comments the diff on pull requests and releases on push', async () => {
  const wf = obj(yaml.load(read('github-actions.yml')), 'workflow');
  const on = obj(wf.on, 'on');
  assert.ok('pull_request' in on);
  assert.equal(obj(on.push, 'on.push').branches, ['main', 'production']);
  const jobs = obj(wf.jobs, 'jobs');
  assert.equal(Object.keys(jobs), ['render', 'diff', 'release']);
  const commands: Record<string, string[][]> = {};
  for (const [name, j] of Object.entries(jobs)) {
    const job = obj(j, name);
    const steps = job.steps as Obj[];
    assert.ok(Array.isArray(steps) && steps.length > 0, `${name} has steps`);
    commands[name] = [];
    for (const [i, s] of steps.entries()) {
      assert.ok(typeof s.uses === 'string' || typeof s.run === 'string', `${name} step ${i} uses an action or runs a script`);
      if (typeof s.run === 'string') commands[name].push(...(await checkScript(s.run, `${name} step ${i}`)));
    }
  }
  assert.equal(commands.render, [['kforge', 'render', '--out', 'rendered']]);
  assert.equal(commands.diff, [['kforge', 'ci', '--diff-file', 'kforge-diff.md']]);
  assert.equal(commands.release, [['kforge', 'ci', '--push']]);
  assert.match(String(obj(jobs.diff, 'diff').if), "github.event_name == 'pull_request'");
  assert.match(String(obj(jobs.release, 'release').if), "github.event_name == 'push'");
  // The diff starts at the fork point and the release continues the branch: both need the whole history.
  for (const name of ['diff', 'release']) {
    const checkout = (obj(jobs[name], name).steps as Obj[]).find((s) => String(s.uses).startsWith('actions/checkout'))!;
    assert.is(obj(checkout.with, 'with')['fetch-depth'], 0, name);
  }
  assert.match(read('github-actions.yml'), '--body-file kforge-diff.md');
});

test('the GitLab pipeline has build, test, staging and production stages, with branch rules, running existing kforge commands', async () => {
  const ci = obj(yaml.load(read('.gitlab-ci.yml')), '.gitlab-ci.yml');
  assert.equal(ci.stages, ['build', 'test', 'staging', 'production']);
  const reserved = new Set(['stages', 'variables', 'workflow', 'default', 'include']);
  const jobs = Object.entries(ci).filter(([k]) => !reserved.has(k) && !k.startsWith('.'));
  const def = obj(ci.default, 'default');
  await checkScript((def.before_script as string[]).join('\n'), 'default.before_script');
  const byStage: Record<string, string[][]> = {};
  for (const [name, j] of jobs) {
    const job = obj(j, name);
    assert.ok((ci.stages as string[]).includes(String(job.stage)), `${name}: stage ${String(job.stage)} is declared`);
    const template = typeof job.extends === 'string' ? obj(ci[job.extends], job.extends) : {};
    const script = (job.script ?? template.script) as string[];
    assert.ok(Array.isArray(script), `${name} has a script`);
    assert.ok(Array.isArray(job.rules) || name === 'render', `${name} has rules`);
    (byStage[String(job.stage)] ??= []).push(...(await checkScript(script.join('\n'), name)));
  }
  assert.equal(byStage, {
    build: [['kforge', 'images', 'build']],
    test: [['kforge', 'render', '--out', 'rendered'], ['kforge', 'ci', '--diff-file', 'kforge-diff.md']],
    staging: [['kforge', 'ci', '--push']],
    production: [['kforge', 'ci', '--push']],
  });
  const rule = (job: string) => JSON.stringify(obj(ci[job], job).rules);
  assert.match(rule('staging'), '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
  assert.match(rule('production'), '$CI_COMMIT_BRANCH == \\"production\\"');
  assert.match(rule('diff'), 'merge_request_event');
});

test('the Jenkinsfile is a declarative pipeline that polls hourly and runs existing kforge commands', async () => {
  const root = parseGroovyBlocks(read('Jenkinsfile'));
  const pipeline = child(root, 'pipeline');
  assert.ok(pipeline, 'a pipeline block');
  for (const section of ['agent', 'triggers', 'stages', 'environment', 'options']) assert.ok(child(pipeline!, section), `pipeline has ${section}`);
  const [cron] = callsNamed(child(pipeline!, 'triggers')!, 'pollSCM');
  assert.ok(cron, 'triggers { pollSCM(...) }');
  const fields = cron[0].split(/\s+/);
  assert.is(fields.length, 5, 'five cron fields');
  assert.equal([/^(H|\d+)$/.test(fields[0]), fields.slice(1)], [true, ['*', '*', '*', '*']], 'once an hour, at one minute');
  const stages = child(pipeline!, 'stages')!.children;
  assert.ok(stages.every((s) => s.name === 'stage' && s.args.length === 1 && child(s, 'steps')), 'stage(name) { steps { } } each');
  assert.equal(stages.map((s) => s.args[0]), ['Install kforge', 'Render', 'Diff', 'Release']);
  const release = stages.find((s) => s.args[0] === 'Release')!;
  assert.equal(callsNamed(child(release, 'when')!, 'branch'), [['main'], ['production']]);
  const found: string[][] = [];
  for (const [script] of callsNamed(pipeline!, 'sh')) found.push(...(await checkScript(script, 'Jenkinsfile sh')));
  assert.equal(found.map((f) => f.slice(1).join(' ')), ['render --out rendered', 'ci --diff-file kforge-diff.md', 'ci --push']);
});

let releaseTree: Promise<string[]> | undefined;
/** The folders a real `kforge release` of the bundled example puts on the release branch. */
function releasedFolders(): Promise<string[]> {
  return (releaseTree ??= (async () => {
    const files: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
        const p = path.posix.join(rel, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name !== 'busybox') files[p] = fs.readFileSync(path.join(repoRoot, p), 'utf8');
      }
    };
    for (const d of ['base', 'overlays', 'app']) walk(d);
    const repo = tempRepo({ ...files, 'kforge.yaml': fs.readFileSync(path.join(repoRoot, 'kforge.yaml'), 'utf8'), '.gitignore': '.kforge-cache/\n' });
    // The base image's busybox is a build input git ignores (app/base/.gitignore); the release needs no images,
    // so a checkout without it (a fresh CI clone) releases the same folders, only with other image tags.
    const busybox = path.join(repoRoot, 'app/base/busybox');
    if (fs.existsSync(busybox)) fs.copyFileSync(busybox, path.join(repo.dir, 'app/base/busybox'));
    const r = await release({ cwd: repo.dir, logger: memoryLogger() });
    assert.ok(r.commit, 'released');
    const tree = repo.git('ls-tree', '-r', '--name-only', bundled.releaseBranch).split('\n');
    repo.remove();
    return [...new Set(tree.filter((f) => f.endsWith('.yaml')).map((f) => f.split('/')[0]))];
  })());
}

test("the Argo CD Applications sync an environment's folder of the release branch", async () => {
  const docs = yaml.loadAll(read('argocd-application.yaml')).map((d, i) => obj(d, `document ${i}`));
  assert.is(docs.length, 2);
  const folders = await releasedFolders();
  for (const app of docs) {
    assert.equal([app.apiVersion, app.kind], ['argoproj.io/v1alpha1', 'Application']);
    const spec = obj(app.spec, 'spec');
    const source = obj(spec.source, 'source');
    assert.is(source.targetRevision, bundled.releaseBranch);
    assert.ok(envNames.includes(String(source.path)), `${String(source.path)} is an environment of kforge.yaml`);
    assert.ok(folders.includes(String(source.path)), `${String(source.path)} is a folder of manifests on the release branch (${folders.join(', ')})`);
    assert.ok(obj(spec.destination, 'destination').server);
  }
});

test('the Flux GitRepository follows the release branch and the Kustomization applies an environment folder of it', async () => {
  const docs = yaml.loadAll(read('flux.yaml')).map((d, i) => obj(d, `document ${i}`));
  const [repo, ks] = docs;
  assert.equal([repo.apiVersion, repo.kind, ks.apiVersion, ks.kind], ['source.toolkit.fluxcd.io/v1', 'GitRepository', 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization']);
  assert.is(obj(obj(repo.spec, 'spec').ref, 'ref').branch, bundled.releaseBranch);
  const spec = obj(ks.spec, 'spec');
  assert.equal(spec.sourceRef, { kind: 'GitRepository', name: obj(repo.metadata, 'metadata').name });
  const folder = path.posix.normalize(String(spec.path));
  assert.ok(envNames.includes(folder));
  assert.ok((await releasedFolders()).includes(folder));
});

test.run();
