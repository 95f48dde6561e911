// The build scheduler with a scripted builder and registry (both are injected interfaces): which images run
// together, in which order, and what a failure does to the rest. The real tools are in build.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { buildPlanned, planProject } from '../../src/images/build.js';
import type { Builder, BuildRequest } from '../../src/images/builder.js';
import type { RegistryClient } from '../../src/images/registry.js';
import type { Progress } from '../../src/images/progress.js';
import { CommandError } from '../../src/errors.js';
import { HashCache } from '../../src/images/hash-cache.js';
import { tempProject } from './helpers.js';

const project = () =>
  tempProject(
    { 'base/Dockerfile': 'FROM scratch\n', 'app/Dockerfile': 'FROM base\n', 'tools/Dockerfile': 'FROM scratch\nLABEL x=1\n' },
    '  - {name: base, context: base}\n  - {name: app, context: app}\n  - {name: tools, context: tools}',
    '127.0.0.1:5000/s',
  );

/** A builder whose builds finish when the test says so; `started` resolves once `n` builds are running. */
function scriptedBuilder() {
  const running: string[] = [];
  const log: string[] = [];
  const finish = new Map<string, (ok: boolean) => void>();
  let waiter: { n: number; resolve: () => void } | undefined;
  const nameOf = (ref: string) => ref.split('/').at(-1)!.split(':')[0];
  const builder: Builder = {
    kind: 'buildah',
    build: (req: BuildRequest) =>
      new Promise<void>((resolve, reject) => {
        const name = nameOf(req.reference);
        running.push(name);
        log.push(`start ${name} ${fs.readFileSync(req.dockerfile, 'utf8').split('\n')[0]}`);
        if (waiter && running.length >= waiter.n) waiter.resolve();
        finish.set(name, (ok) => {
          running.splice(running.indexOf(name), 1);
          log.push(`end ${name}`);
          if (ok) resolve();
          else reject(Object.assign(new CommandError('buildah build', 1, 'boom'), { outputTail: ['step 1', 'boom'] }));
        });
      }),
    push: async () => {},
  };
  const runningAtLeast = (n: number) => new Promise<void>((resolve) => (running.length >= n ? resolve() : (waiter = { n, resolve })));
  return { builder, running, log, finish: (name: string, ok = true) => finish.get(name)!(ok), runningAtLeast };
}

function fakeRegistry(): RegistryClient & { pushed: Set<string> } {
  const pushed = new Set<string>();
  return {
    pushed,
    isPlainHttp: () => true,
    manifest: async (repo, tag) => (pushed.has(`${repo}:${tag}`) ? { exists: true, digest: `sha256:${'1'.repeat(64)}` } : { exists: false }),
  };
}

const quiet: Progress = { status: () => {}, output: () => {}, close: () => {} };

test('independent images build together; an image starts only after its base, FROM pinned to the base reference', async () => {
  const p = project();
  const registry = fakeRegistry();
  const b = scriptedBuilder();
  b.builder.push = async (ref) => void registry.pushed.add(ref);
  const planned = await planProject(p, registry, { cache: HashCache.memory() });
  const done = buildPlanned(p, planned, { builder: b.builder, registry, progress: quiet, jobs: 4 });
  await b.runningAtLeast(2);
  assert.equal([...b.running].sort(), ['base', 'tools']);
  b.finish('base');
  await b.runningAtLeast(2);
  assert.equal([...b.running].sort(), ['app', 'tools']);
  const baseRef = planned.images.find((i) => i.name === 'base')!.reference;
  assert.ok(b.log.includes(`start app FROM ${baseRef}`), b.log.join('\n'));
  b.finish('tools');
  b.finish('app');
  const results = await done;
  assert.equal(results.map((r) => [r.name, r.action]), [['base', 'built'], ['app', 'built'], ['tools', 'built']]);
  const lock = JSON.parse(fs.readFileSync(path.join(p.root, 'kforge.lock.json'), 'utf8')) as { images: { name: string }[] };
  assert.equal(lock.images.map((i) => i.name), ['app', 'base', 'tools']);
});

test('--jobs 1 runs one build at a time', async () => {
  const p = project();
  const registry = fakeRegistry();
  const b = scriptedBuilder();
  b.builder.push = async (ref) => void registry.pushed.add(ref);
  const done = buildPlanned(p, await planProject(p, registry, { cache: HashCache.memory() }), { builder: b.builder, registry, progress: quiet, jobs: 1 });
  for (let i = 0; i < 3; i++) {
    await b.runningAtLeast(1);
    assert.is(b.running.length, 1);
    b.finish(b.running[0]);
  }
  assert.equal((await done).map((r) => r.action), ['built', 'built', 'built']);
});

test('a failed base skips its dependents, independent images still build, and the lock only gains what was pushed', async () => {
  const p = project();
  const registry = fakeRegistry();
  const b = scriptedBuilder();
  b.builder.push = async (ref) => void registry.pushed.add(ref);
  const done = buildPlanned(p, await planProject(p, registry, { cache: HashCache.memory() }), { builder: b.builder, registry, progress: quiet });
  await b.runningAtLeast(2);
  b.finish('base', false);
  b.finish('tools');
  const results = Object.fromEntries((await done).map((r) => [r.name, r]));
  assert.is(results.base.action, 'failed');
  assert.equal(results.base.outputTail, ['step 1', 'boom']);
  assert.is(results.app.action, 'skipped');
  assert.is(results.tools.action, 'built');
  assert.not.ok(b.log.some((l) => l.startsWith('start app')));
  const lock = JSON.parse(fs.readFileSync(path.join(p.root, 'kforge.lock.json'), 'utf8')) as { images: { name: string }[] };
  assert.equal(lock.images.map((i) => i.name), ['tools']);
});

test('an unreachable registry, or no registry at all, stops the build before anything runs', async () => {
  const p = project();
  const down: RegistryClient = { isPlainHttp: () => true, manifest: async () => { throw new CommandError('registry', undefined, 'ECONNREFUSED', 'cannot reach registry: ECONNREFUSED'); } };
  const b = scriptedBuilder();
  const planned = await planProject(p, down, { cache: HashCache.memory() });
  try {
    await buildPlanned(p, planned, { builder: b.builder, registry: down, progress: quiet });
    assert.unreachable('should fail');
  } catch (e) {
    assert.match((e as Error).message, 'cannot tell whether 127.0.0.1:5000/s/base:');
  }
  delete p.spec.registry;
  try {
    await buildPlanned(p, planned, { builder: b.builder, registry: down, progress: quiet });
    assert.unreachable('should fail');
  } catch (e) {
    assert.match((e as Error).message, 'kforge.yaml has no registry');
  }
  assert.equal(b.log, []);
});

test.run();
