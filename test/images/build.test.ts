// End to end with the real tools: buildah builds a busybox-static base FROM scratch and an app FROM it, pushes
// to a real docker-registry on a free loopback port; kforge rebuilds exactly what changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { buildPlanned, planProject, type BuildResult } from '../../src/images/build.js';
import { createBuilder } from '../../src/images/builder.js';
import { createRegistryClient } from '../../src/images/registry.js';
import { readLock } from '../../src/images/lock.js';
import type { Progress } from '../../src/images/progress.js';
import { projectImagesConfig } from '../../src/images/render-images.js';
import { injectProjectImages } from '../../src/compile/project-images.js';
import { renderProject } from '../../src/render.js';
import type { Project } from '../../src/project/config.js';
import type { JsonObject } from '../../src/resource.js';
import { requireTool, startRegistry, tempProject, writeTree, type FileMap, type TestRegistry } from './helpers.js';

// buildah in unprivileged sandboxes: chroot isolation for RUN, vfs storage (see notes-real-components.md).
const env = { ...process.env, BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION ?? 'chroot', STORAGE_DRIVER: process.env.STORAGE_DRIVER ?? 'vfs' };
const BUSYBOX = '/bin/busybox';

let reg: TestRegistry;
let gate: Promise<boolean> | undefined;
// Checked inside each test (not in a before hook), so that under CI=true a missing tool fails the run.
const toolsReady = () =>
  (gate ??= (async () => {
    const ok = (await requireTool('buildah')) && (await requireTool('docker-registry', ['--version'])) && (await requireTool(BUSYBOX, ['true']));
    if (ok) reg = await startRegistry();
    return ok;
  })());

// Everything the tests built, removed from buildah's local storage at the end so CI machines do not fill up.
const built = new Set<string>();
test.after(async () => {
  if (reg) await reg.stop();
  for (const ref of built) await execa('buildah', ['manifest', 'rm', ref], { env, reject: false });
  if (built.size) await execa('buildah', ['rmi', '--force', ...built], { env, reject: false });
});

function project(extra: FileMap = {}, repoPath = 'coolapp'): Project {
  return tempProject(
    {
      'app/base/Dockerfile': 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n',
      'app/base/busybox': { content: fs.readFileSync(BUSYBOX), mode: 0o755 },
      'app/Dockerfile': 'FROM coolapp-base:anything\nCOPY server.sh /bin/server\nRUN ["/bin/sh", "-c", "test -x /bin/server && echo ok > /built"]\n',
      'app/server.sh': { content: '#!/bin/sh\necho hello\n', mode: 0o755 },
      'app/.dockerignore': 'base/\n*.log\n',
      'app/debug.log': 'noise',
      ...extra,
    },
    '  - {name: coolapp-base, context: app/base}\n  - {name: coolapp, context: app}',
    `${reg.host}/${repoPath}`,
  );
}

async function build(p: Project): Promise<{ results: BuildResult[]; events: string[] }> {
  const registry = createRegistryClient({ env: {} });
  const events: string[] = [];
  const progress: Progress = { status: (n, s) => events.push(`${n}: ${s.split(' ')[0]}`), output: () => {}, close: () => {} };
  const results = await buildPlanned(p, await planProject(p, registry), { builder: createBuilder('buildah', env), registry, progress });
  for (const r of results) if (r.action === 'built') built.add(r.reference);
  return { results, events };
}
const actions = (rs: BuildResult[]) => Object.fromEntries(rs.map((r) => [r.name, r.action]));

test('first build builds base then app; the lock holds the pushed digests; the app is pinned to that base', async () => {
  if (!(await toolsReady())) return;
  const p = project();
  const { results, events } = await build(p);
  assert.equal(actions(results), { 'coolapp-base': 'built', coolapp: 'built' }, JSON.stringify(results));
  assert.ok(events.indexOf('coolapp-base: pushed') < events.indexOf('coolapp: building'), events.join('\n'));
  const lock = readLock(path.join(p.root, 'kforge.lock.json'));
  const [base, app] = results;
  assert.equal(lock.images.map((i) => [i.name, i.reference, i.digest]), [['coolapp', app.reference, app.digest], ['coolapp-base', base.reference, base.digest]]);
  // buildah records the base it built FROM in the manifest: it must be the exact reference kforge computed.
  const res = await fetch(`http://${reg.host}/v2/coolapp/coolapp/manifests/${app.tag}`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const annotations = ((await res.json()) as { annotations: Record<string, string> }).annotations;
  assert.is(annotations['org.opencontainers.image.base.name'], base.reference);
  assert.is(annotations['org.opencontainers.image.base.digest'], base.digest);
});

test('a second run builds nothing; an ignored file changes nothing; an app change rebuilds only the app', async () => {
  if (!(await toolsReady())) return;
  const p = project();
  await build(p);
  assert.equal(actions((await build(p)).results), { 'coolapp-base': 'present', coolapp: 'present' });
  writeTree(p.root, { 'app/debug.log': 'different noise', 'app/base/../other.log': 'x' });
  assert.equal(actions((await build(p)).results), { 'coolapp-base': 'present', coolapp: 'present' });
  const before = readLock(path.join(p.root, 'kforge.lock.json'));
  writeTree(p.root, { 'app/server.sh': { content: '#!/bin/sh\necho changed\n', mode: 0o755 } });
  const plan = await planProject(p, createRegistryClient({ env: {} }));
  assert.equal(plan.plan.find((x) => x.name === 'coolapp')!.changes, ['~server.sh']);
  const { results } = await build(p);
  assert.equal(actions(results), { 'coolapp-base': 'present', coolapp: 'built' });
  const after = readLock(path.join(p.root, 'kforge.lock.json'));
  assert.equal(after.images.find((i) => i.name === 'coolapp-base'), before.images.find((i) => i.name === 'coolapp-base'));
  assert.is.not(after.images.find((i) => i.name === 'coolapp')!.digest, before.images.find((i) => i.name === 'coolapp')!.digest);
});

test('a base Dockerfile change rebuilds the base, then the app', async () => {
  if (!(await toolsReady())) return;
  const p = project();
  await build(p);
  writeTree(p.root, { 'app/base/Dockerfile': 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nENV BASE_VERSION=2\n' });
  const { results, events } = await build(p);
  assert.equal(actions(results), { 'coolapp-base': 'built', coolapp: 'built' });
  assert.ok(events.indexOf('coolapp-base: pushed') < events.indexOf('coolapp: building'), events.join('\n'));
});

test('a failed base build stops the app, reports the builder output and leaves the lock file as it was', async () => {
  if (!(await toolsReady())) return;
  const p = project();
  await build(p);
  const lockFile = path.join(p.root, 'kforge.lock.json');
  const lockBefore = fs.readFileSync(lockFile, 'utf8');
  writeTree(p.root, { 'app/base/Dockerfile': 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "echo boom-from-build; exit 7"]\n' });
  const { results } = await build(p);
  assert.equal(actions(results), { 'coolapp-base': 'failed', coolapp: 'skipped' });
  assert.ok(results[0].outputTail!.some((l) => l.includes('boom-from-build')), results[0].outputTail!.join('\n'));
  assert.match(results[0].error!, "image 'coolapp-base': buildah build failed with exit code");
  assert.is(results[1].error, "not built: base image 'coolapp-base' was not built");
  assert.is(fs.readFileSync(lockFile, 'utf8'), lockBefore);
});

test('the CLI builds with --output json, and exits non-zero when a build fails', async () => {
  if (!(await toolsReady())) return;
  const p = project({}, 'cli');
  const cli = (args: string[]) => execa('node', ['--import', import.meta.resolve('tsx'), path.resolve('src/cli/main.ts'), ...args], { cwd: p.root, env: { ...env, CI: 'true' }, reject: false });
  const ok = await cli(['images', 'build', '--builder', 'buildah', '--output', 'json']);
  assert.is(ok.exitCode, 0, ok.stderr);
  const out = JSON.parse(ok.stdout) as { images: { name: string; reference: string; tag: string; digest: string; action: string }[] };
  for (const i of out.images) built.add(i.reference);
  assert.equal(out.images.map((i) => [i.name, i.action]), [['coolapp-base', 'built'], ['coolapp', 'built']]);
  for (const i of out.images) assert.match(i.digest, /^sha256:[0-9a-f]{64}$/);
  assert.match(ok.stderr, 'coolapp-base: pushed sha256:');
  writeTree(p.root, { 'app/Dockerfile': 'FROM coolapp-base\nRUN ["/bin/sh", "-c", "exit 3"]\n' });
  const bad = await cli(['images', 'build', '--builder', 'buildah']);
  assert.is(bad.exitCode, 1, bad.stderr);
  assert.match(bad.stderr, "kforge: 1 image(s) not built: coolapp (image 'coolapp': buildah build failed with exit code");
});

test('injection gives the rendered Deployment the pushed tag and digest', async () => {
  if (!(await toolsReady())) return;
  const p = project();
  const { results } = await build(p);
  const app = results.find((r) => r.name === 'coolapp')!;
  const config = await projectImagesConfig(p);
  const deployment: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'coolapp' }] } } } };
  const [out] = injectProjectImages([{ object: deployment, origin: { file: 'x.yaml', index: 0 } }], config);
  assert.match(JSON.stringify(out.object), `"image":"${app.reference}@${app.digest}"`);
});

test('kforge render (through the kustomize compiler) pins the Deployment to the pushed tag and digest', async () => {
  if (!(await toolsReady())) return;
  const p = project({
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: web, image: coolapp}\n',
    'overlays/dev/kustomization.yaml': 'resources: [../../base]\nnamespace: dev\n',
  });
  const { results } = await build(p);
  const app = results.find((r) => r.name === 'coolapp')!;
  const rendered = renderProject(p, p.environments, { images: await projectImagesConfig(p) });
  const dep = rendered.environments[0].resources.find((r) => r.kind === 'Deployment')!;
  assert.match(JSON.stringify(dep), `"image":"${app.reference}@${app.digest}"`);
  assert.ok(rendered.environments[0].files.some((f) => f.content.includes(`image: ${app.reference}@${app.digest}`)));
});

test('kforge render --require-images fails until the images are pushed; mutable tags are refused unless allowed', async () => {
  if (!(await toolsReady())) return;
  const p = project({
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: web, image: coolapp}\n',
    'overlays/dev/kustomization.yaml': 'resources: [../../base]\n',
    'overlays/mutable/kustomization.yaml': 'resources: [../../base, sidecar.yaml]\n',
    'overlays/mutable/sidecar.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: side}\nspec:\n  containers:\n  - {name: proxy, image: envoy}\n',
  }, 'render');
  fs.appendFileSync(path.join(p.root, 'kforge.yaml'), '  mutable: {path: overlays/mutable}\n');
  const cli = (args: string[]) => execa('node', ['--import', import.meta.resolve('tsx'), path.resolve('src/cli/main.ts'), ...args], { cwd: p.root, env: { ...env, CI: 'true' }, reject: false });
  const missing = await cli(['render', '--env', 'dev', '--stdout', '--require-images']);
  assert.is(missing.exitCode, 1, missing.stderr);
  assert.match(missing.stderr, `images not in the registry: ${reg.host}/render/coolapp:`);
  const { results } = await build(p);
  const app = results.find((r) => r.name === 'coolapp')!;
  const ok = await cli(['render', '--env', 'dev', '--stdout', '--require-images']);
  assert.is(ok.exitCode, 0, ok.stderr);
  assert.match(ok.stdout, `image: ${app.reference}@${app.digest}`);
  const refused = await cli(['render', '--env', 'mutable', '--stdout']);
  assert.is(refused.exitCode, 2, refused.stderr);
  assert.match(refused.stderr, "v1 Pod side: container 'proxy': image 'envoy' has no tag");
  assert.match(refused.stderr, 'policies.image-tag-pinned: false');
  const allowed = await cli(['render', '--env', 'mutable', '--stdout', '--allow-mutable-tags']);
  assert.is(allowed.exitCode, 0, allowed.stderr);
  assert.match(allowed.stdout, 'image: envoy');
});

test('several platforms build and push a manifest list; each platform of the app is built on the same platform of the base', async () => {
  if (!(await toolsReady())) return;
  const p = tempProject(
    { 'base/Dockerfile': 'FROM scratch\nCOPY f /f\n', 'base/f': 'base', 'app/Dockerfile': 'FROM coolapp-base\nCOPY g /g\n', 'app/g': 'app' },
    '  - {name: coolapp-base, context: base, platforms: [linux/amd64, linux/arm64]}\n  - {name: coolapp, context: app, platforms: [linux/amd64, linux/arm64]}',
    `${reg.host}/multi`,
  );
  const { results } = await build(p);
  assert.equal(actions(results), { 'coolapp-base': 'built', coolapp: 'built' }, JSON.stringify(results));
  const get = async (repo: string, ref: string, accept: string) =>
    (await (await fetch(`http://${reg.host}/v2/multi/${repo}/manifests/${ref}`, { headers: { Accept: accept } })).json()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
      annotations: Record<string, string>;
    };
  const INDEX = 'application/vnd.oci.image.index.v1+json';
  const [base, app] = results;
  const baseIndex = await get('coolapp-base', base.digest!, INDEX);
  const appIndex = await get('coolapp', app.digest!, INDEX);
  assert.equal(appIndex.manifests.map((m) => m.platform.architecture).sort(), ['amd64', 'arm64']);
  for (const arch of ['amd64', 'arm64']) {
    const appImage = await get('coolapp', appIndex.manifests.find((m) => m.platform.architecture === arch)!.digest, 'application/vnd.oci.image.manifest.v1+json');
    assert.is(appImage.annotations['org.opencontainers.image.base.digest'], baseIndex.manifests.find((m) => m.platform.architecture === arch)!.digest, arch);
  }
  assert.equal(actions((await build(p)).results), { 'coolapp-base': 'present', coolapp: 'present' });
});

test.run();
