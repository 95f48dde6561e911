import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildArgs, pushArgs } from '../../src/images/builder.js';
import { isLoopbackHost, matchProjectImage, parseImageRef, registryLocation, splitRepository } from '../../src/images/reference.js';

const req = { reference: 'h:5000/c/app:t', contextDir: '/ctx', dockerfile: '/tmp/app.Dockerfile', buildArgs: { B: '2', A: '1' }, target: 'final', plainHttp: true };

test('builds are argument arrays: sorted build args, target, plain HTTP only for daemonless builders', () => {
  assert.equal(buildArgs('buildah', req), ['build', '--file', '/tmp/app.Dockerfile', '--tag', 'h:5000/c/app:t', '--build-arg', 'A=1', '--build-arg', 'B=2', '--target', 'final', '--tls-verify=false', '/ctx']);
  assert.equal(buildArgs('docker', { ...req, buildArgs: {}, target: undefined, platforms: ['linux/arm64'] }), ['build', '--file', '/tmp/app.Dockerfile', '--tag', 'h:5000/c/app:t', '--platform', 'linux/arm64', '/ctx']);
});

test('several platforms build into a manifest list, pushed with all its images; docker is refused', () => {
  const multi = { ...req, buildArgs: {}, target: undefined, platforms: ['linux/amd64', 'linux/arm64'], plainHttp: false };
  assert.equal(buildArgs('podman', multi), ['build', '--file', '/tmp/app.Dockerfile', '--manifest', 'h:5000/c/app:t', '--platform', 'linux/amd64,linux/arm64', '/ctx']);
  assert.equal(pushArgs('buildah', 'h/app:t', true, multi.platforms), ['manifest', 'push', '--all', '--tls-verify=false', 'h/app:t', 'docker://h/app:t']);
  assert.throws(() => buildArgs('docker', multi), /needs buildah or podman/);
});

test('pushes name the destination explicitly for buildah and podman', () => {
  assert.equal(pushArgs('buildah', 'h/app:t', true), ['push', '--tls-verify=false', 'h/app:t', 'docker://h/app:t']);
  assert.equal(pushArgs('podman', 'h/app:t', false), ['push', 'h/app:t', 'docker://h/app:t']);
  assert.equal(pushArgs('docker', 'h/app:t', true), ['push', 'h/app:t']);
});

test('references split into repository, tag and digest; a port is not a tag', () => {
  assert.equal(parseImageRef('127.0.0.1:5000/c/app:v1@sha256:ab'), { repository: '127.0.0.1:5000/c/app', tag: 'v1', digest: 'sha256:ab' });
  assert.equal(parseImageRef('127.0.0.1:5000/c/app'), { repository: '127.0.0.1:5000/c/app', digest: undefined });
});

test('registry prefixes locate the API host and repository path, Docker Hub included', () => {
  assert.equal(registryLocation('127.0.0.1:5000/coolapp'), { host: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', path: 'coolapp' });
  assert.equal(splitRepository('nginx').repo, 'library/nginx');
  assert.is(splitRepository('myorg/app').location.apiHost, 'registry-1.docker.io');
  assert.is(splitRepository('ghcr.io/o/app').repo, 'o/app');
});

test('loopback hosts are recognised; others are not', () => {
  for (const h of ['localhost:5000', '127.0.0.1', '127.1.2.3:80', '[::1]:5000']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['example.com', '10.0.0.1:5000', '127.0.0.1.nip.io']) assert.not.ok(isLoopbackHost(h), h);
});

test('a project image is named bare or under the registry, with any tag or digest', () => {
  const names = ['coolapp-base', 'coolapp'];
  assert.is(matchProjectImage('coolapp', names, 'r:5000/x'), 'coolapp');
  assert.is(matchProjectImage('coolapp-base:1.2', names, 'r:5000/x'), 'coolapp-base');
  assert.is(matchProjectImage('r:5000/x/coolapp@sha256:00', names, 'r:5000/x'), 'coolapp');
  assert.is(matchProjectImage('other/coolapp', names, 'r:5000/x'), undefined);
  assert.is(matchProjectImage('coolapp-base2', names, 'r:5000/x'), undefined);
});

test.run();
