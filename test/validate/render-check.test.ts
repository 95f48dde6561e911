// The reproducibility rules as render runs them: one error naming every offending image, or nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isKforgeError } from '../../src/errors.js';
import type { JsonObject, Resource } from '../../src/resource.js';
import { refuseIrreproducible } from '../../src/validate/render-check.js';

const pod = (name: string, image: string): Resource => ({
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image }] } } as JsonObject,
  origin: { file: `base/${name}.yaml`, index: 0, line: 3 },
});
const images = { registry: 'reg', images: [{ name: 'app', repository: 'reg/app', tag: 'h-1234' }] };
const failure = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (isKforgeError(e)) return e;
    throw e;
  }
  return undefined;
};

test('pinned images and project images on their content-hash tag pass', () => {
  assert.is(failure(() => refuseIrreproducible({ name: 'dev' }, [pod('a', 'nginx:1.27'), pod('b', 'reg/app:h-1234')], images)), undefined);
});

test('every offending image is named in one error that points at the first', () => {
  const e = failure(() => refuseIrreproducible({ name: 'dev' }, [pod('a', 'nginx'), pod('b', 'ghcr.io/x/app:v1')], images));
  assert.ok(e);
  assert.is(
    e!.format(),
    "base/a.yaml:3: 2 images are not reproducible: v1 Pod a: container 'c': image 'nginx' has no tag; v1 Pod b: container 'c': image 'ghcr.io/x/app:v1' is the project image 'app' without its content-hash tag h-1234 at spec.containers[0].image (pin a tag or digest, or switch the rule off: environments.dev.policies.image-tag-pinned: false)",
  );
});

test('--allow-mutable-tags and a policy switch let their rule through', () => {
  assert.is(failure(() => refuseIrreproducible({ name: 'dev' }, [pod('a', 'nginx:latest')], { ...images, allowMutableTags: true })), undefined);
  assert.is(failure(() => refuseIrreproducible({ name: 'dev', policies: { 'project-image-hash-tag': false } }, [pod('b', 'ghcr.io/x/app:v1')], images)), undefined);
});

test.run();
