import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtStateOf, changesSince, planImages, type RegistryAnswer } from '../../src/images/plan.js';
import type { HashedImage } from '../../src/images/project-hashes.js';
import type { HashedEntry } from '../../src/images/image-hash.js';

function image(name: string, tag: string, deps: string[] = [], entries: HashedEntry[] = []): HashedImage {
  return {
    name, tag, deps, entries, hash: tag.padEnd(64, '0'), repository: `r/${name}`, reference: `r/${name}:${tag}`,
    spec: { name, context: name }, contextDir: `/x/${name}`, dockerfilePath: `/x/${name}/Dockerfile`,
    dockerfile: { file: 'Dockerfile', text: '', instructions: [], stages: [], images: [] }, dockerfileSha256: 'd', projectUses: [],
  };
}
const file = (path: string, sha256: string): HashedEntry => ({ path, kind: 'file', exec: false, sha256 });

test('an image whose tag is in the registry is present; a missing tag is built and says why', () => {
  const plan = planImages([image('base', 'b1'), image('app', 'a1', ['base'])], new Map<string, RegistryAnswer>([['base', { exists: true, digest: 'sha256:x' }], ['app', { exists: false }]]), new Map());
  assert.equal(plan.map((p) => [p.name, p.action, p.inRegistry, p.reasons[0]]), [
    ['base', 'present', true, 'tag b1 is in the registry'],
    ['app', 'build', false, 'tag a1 is not in the registry'],
  ]);
  assert.is(plan[0].digest, 'sha256:x');
});

test('--force builds everything; an unreachable registry leaves the action unknown', () => {
  const imgs = [image('base', 'b1')];
  assert.is(planImages(imgs, new Map([['base', { exists: true }]]), new Map(), { force: true })[0].action, 'build');
  const unknown = planImages(imgs, new Map([['base', { error: 'ECONNREFUSED' }]]), new Map())[0];
  assert.is(unknown.action, 'unknown');
  assert.is(unknown.inRegistry, undefined);
  assert.is(unknown.reasons[0], 'registry not checked: ECONNREFUSED');
});

test('the changes since the last build list the Dockerfile, args, bases and files added, removed and changed', () => {
  const tags = new Map([['base', 'b2']]);
  const before = builtStateOf(image('app', 'a1', ['base'], [file('a', '1'), file('b', '2'), file('c', '3')]), new Map([['base', 'b1']]));
  const now = image('app', 'a2', ['base'], [file('a', '1'), file('b', '9'), file('d', '4')]);
  now.dockerfileSha256 = 'other';
  now.spec.buildArgs = { X: '1' };
  assert.equal(changesSince(before, builtStateOf(now, tags)), ['Dockerfile', 'build args', 'base base', '~b', '-c', '+d']);
  const plan = planImages([now], new Map([['app', { exists: false }]]), new Map([['app', before]]));
  assert.is(plan[0].reasons[1], 'changed since the last build: Dockerfile, build args, base base, ~b, -c, +d');
});

test.run();
