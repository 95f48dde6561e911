import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { injectProjectImages, usedProjectImages, type ProjectImagesConfig } from '../../src/compile/project-images.js';
import type { JsonObject, Resource } from '../../src/resource.js';
import { isKforgeError } from '../../src/errors.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const config: ProjectImagesConfig = {
  registry: '127.0.0.1:5000/coolapp',
  images: [
    { name: 'coolapp', repository: '127.0.0.1:5000/coolapp/coolapp', tag: 'abc123', digest: DIGEST },
    { name: 'coolapp-base', repository: '127.0.0.1:5000/coolapp/coolapp-base', tag: 'def456' },
  ],
};

const res = (object: JsonObject, file = 'base/app.yaml'): Resource => ({ object, origin: { file, index: 0, line: 1 } });
const deployment = (containers: JsonObject[], initContainers: JsonObject[] = []) =>
  res({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'dev' }, spec: { template: { spec: { containers, initContainers } } } });
const images = (r: Resource) => {
  const spec = ((r.object.spec as JsonObject).template as JsonObject).spec as JsonObject;
  return [...(spec.initContainers as JsonObject[]), ...(spec.containers as JsonObject[])].map((c) => c.image);
};

function failsWith(fn: () => unknown, text: string) {
  try {
    fn();
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(e.format().includes(text), `"${e.format()}" should contain "${text}"`);
    return e.format();
  }
  assert.unreachable(`expected an error containing "${text}"`);
}

test('a bare project image becomes registry/name:tag@digest when the lock holds the digest', () => {
  const [out] = injectProjectImages([deployment([{ name: 'app', image: 'coolapp' }])], config);
  assert.equal(images(out), [`127.0.0.1:5000/coolapp/coolapp:abc123@${DIGEST}`]);
});

test('tagged, digested and registry-prefixed names of project images are all rewritten; init containers too', () => {
  const [out] = injectProjectImages([deployment(
    [{ name: 'a', image: 'coolapp:dev' }, { name: 'b', image: '127.0.0.1:5000/coolapp/coolapp-base@sha256:00' }],
    [{ name: 'i', image: '127.0.0.1:5000/coolapp/coolapp-base:old' }],
  )], config);
  assert.equal(images(out), ['127.0.0.1:5000/coolapp/coolapp-base:def456', `127.0.0.1:5000/coolapp/coolapp:abc123@${DIGEST}`, '127.0.0.1:5000/coolapp/coolapp-base:def456']);
});

test('containers anywhere count: a CronJob and a custom resource with a pod template', () => {
  const cron = res({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x', image: 'coolapp-base' }] } } } } } });
  const custom = res({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { pod: { containers: [{ name: 'y', image: 'coolapp' }] } } });
  const out = injectProjectImages([cron, custom], config);
  assert.match(JSON.stringify(out[0].object), '"image":"127.0.0.1:5000/coolapp/coolapp-base:def456"');
  assert.match(JSON.stringify(out[1].object), `"image":"127.0.0.1:5000/coolapp/coolapp:abc123@${DIGEST}"`);
});

test('other images are left alone, and the input is never mutated', () => {
  const input = deployment([{ name: 'db', image: 'postgres:16.4' }, { name: 'app', image: 'coolapp' }]);
  const before = JSON.stringify(input.object);
  const [out] = injectProjectImages([input], config);
  assert.is(JSON.stringify(input.object), before);
  assert.is(images(out)[0], 'postgres:16.4');
  assert.is(out.origin, input.origin);
});

test('images with no tag or tag latest are refused together, naming resource, container and file', () => {
  const msg = failsWith(() => injectProjectImages([deployment([{ name: 'db', image: 'postgres' }, { name: 'cache', image: 'redis:latest' }, { name: 'ok', image: 'redis:latest@sha256:00' }])], config), '2 images are not reproducible');
  assert.ok(msg!.startsWith('base/app.yaml:1: '), msg);
  assert.ok(msg!.includes("apps/v1 Deployment dev/web container 'db': image 'postgres' has no tag"), msg);
  assert.ok(msg!.includes("container 'cache': image 'redis:latest' is tagged 'latest'"), msg);
  assert.ok(msg!.includes('at spec.template.spec.containers[0].image'), msg);
  assert.not.ok(msg!.includes('\n'));
});

test('--allow-mutable-tags lets them through', () => {
  const [out] = injectProjectImages([deployment([{ name: 'db', image: 'postgres' }])], { ...config, allowMutableTags: true });
  assert.equal(images(out), ['postgres']);
});

test('the project images a render uses are listed in declaration order', () => {
  const out = injectProjectImages([deployment([{ name: 'a', image: 'coolapp' }, { name: 'db', image: 'postgres:16' }])], config);
  assert.equal(usedProjectImages(out.map((r) => r.object), config), ['coolapp']);
});

test.run();
