import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plaintextSecrets, refuseSecrets } from '../../src/release/secrets.js';
import { imagesOf } from '../../src/release/images.js';
import { releaseMessage } from '../../src/release/message.js';
import { InputError } from '../../src/errors.js';

const secret = (name: string, extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'app' }, ...extra }) as never;

test('secrets with data or stringData are plaintext, SOPS-encrypted and empty ones are not', () => {
  const ids = plaintextSecrets([
    secret('data', { data: { a: 'eA==' } }),
    secret('string', { stringData: { a: 'x' } }),
    secret('empty', { data: {} }),
    secret('token', { type: 'kubernetes.io/service-account-token' }),
    secret('sops', { data: { a: 'ENC[AES256_GCM,data:x]' }, sops: { mac: 'ENC[...]' } }),
    { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'sealed' }, spec: { encryptedData: { a: 'AgB' } } },
  ]);
  assert.equal(ids.map((i) => i.name), ['data', 'string']);
});

test('refusing secrets names every environment and resource and points at the ways out', () => {
  try {
    refuseSecrets([
      { name: 'dev', resources: [secret('db', { data: { p: 'eA==' } })] },
      { name: 'staging', allowSecrets: true, resources: [secret('db', { data: { p: 'eA==' } })] },
      { name: 'prod', resources: [secret('db', { data: { p: 'eA==' } }), secret('api', { stringData: { t: 'x' } })] },
    ]);
    assert.unreachable('should refuse');
  } catch (e) {
    assert.instance(e, InputError);
    const msg = (e as InputError).format();
    assert.match(msg, 'dev: v1 Secret app/db; prod: v1 Secret app/db, v1 Secret app/api');
    assert.not.match(msg, 'staging');
    assert.match(msg, 'environments.dev.allowSecrets: true and environments.prod.allowSecrets: true');
    assert.match(msg, 'SOPS');
    assert.not.match(msg, '\n');
  }
});

test('images are collected from containers and init containers of any kind, once each', () => {
  const pod = (image: string) => ({ spec: { initContainers: [{ name: 'i', image: 'busybox:1.36' }], containers: [{ name: 'c', image }] } });
  const images = imagesOf([
    { kind: 'Deployment', spec: { template: pod('reg/app:abc') } },
    { kind: 'CronJob', spec: { jobTemplate: { spec: { template: pod('reg/job:def') } } } },
    { kind: 'Pod', ...pod('reg/app:abc') },
    { kind: 'ConfigMap', data: { image: 'not-a-container' } },
  ]);
  assert.equal(images, ['busybox:1.36', 'reg/app:abc', 'reg/job:def']);
});

test('the release message names the source and changed environments and ends with parseable trailers', () => {
  const msg = releaseMessage({
    sourceCommit: 'a'.repeat(40),
    sourceSubject: 'Bump replicas',
    version: '1.2.3',
    changes: [{ env: 'dev', added: ['dev/x.yaml'], modified: [], removed: ['dev/y.yaml'] }],
    images: ['reg/app:abc'],
  });
  const lines = msg.split('\n');
  assert.is(lines[0], `Release dev from ${'a'.repeat(12)}`);
  assert.match(msg, '- dev: 1 file added, 0 changed, 1 removed');
  assert.match(msg, `\n\nKforge-Source-Commit: ${'a'.repeat(40)}\nKforge-Version: 1.2.3\nKforge-Environments: dev\nKforge-Image: reg/app:abc\n`);
});

test.run();
