import { test } from 'uvu';
import * as assert from 'uvu/assert';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRegistryClient, findCredentials, parseWwwAuthenticate } from '../../src/images/registry.js';
import { isKforgeError } from '../../src/errors.js';
import { freePort, requireTool, startRegistry, tempTree } from './helpers.js';

const sha = (b: Buffer | string) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

/** Pushes a minimal OCI image (empty config, no layers) through the distribution API, returns its digest. */
async function pushTinyImage(host: string, repo: string, tag: string): Promise<string> {
  const config = Buffer.from('{}');
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  assert.is(start.status, 202);
  const loc = new URL(start.headers.get('location')!, `http://${host}`);
  loc.searchParams.set('digest', sha(config));
  const put = await fetch(loc, { method: 'PUT', body: config, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.is(put.status, 201);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers: [] }));
  const m = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' } });
  assert.is(m.status, 201);
  return sha(manifest);
}

test('against a real docker-registry: a missing tag does not exist, a pushed one answers its manifest digest', async () => {
  if (!(await requireTool('docker-registry', ['--version']))) return;
  const reg = await startRegistry();
  try {
    const client = createRegistryClient({ env: {} });
    assert.equal(await client.manifest(`${reg.host}/coolapp/web`, 'nope'), { exists: false });
    const digest = await pushTinyImage(reg.host, 'coolapp/web', 'v1');
    assert.equal(await client.manifest(`${reg.host}/coolapp/web`, 'v1'), { exists: true, digest });
  } finally {
    await reg.stop();
  }
});

/** A fake registry on loopback that demands a bearer token, granted for the right basic credentials. */
async function bearerRegistry(opts: { digestHeader: boolean }) {
  const port = await freePort();
  const body = Buffer.from('{"schemaVersion":2}');
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    if (req.url!.startsWith('/token') && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.push(`form ${form.get('grant_type')} ${form.get('refresh_token')} ${form.get('scope')}`);
        const ok = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'REFRESH';
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end(ok ? '{"access_token":"T0K"}' : '{}');
      });
      return;
    }
    if (req.url!.startsWith('/token')) {
      const ok = req.headers.authorization === `Basic ${Buffer.from('me:secret').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end(ok ? '{"token":"T0K"}' : '{}');
      return;
    }
    if (req.headers.authorization !== 'Bearer T0K') {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="reg",scope="repository:team/app:pull"` }).end();
      return;
    }
    if (req.url === '/v2/team/app/manifests/v1') {
      res.writeHead(200, { ...(opts.digestHeader ? { 'Docker-Content-Digest': 'sha256:feed' } : {}), 'Content-Length': body.length });
      res.end(req.method === 'GET' ? body : undefined);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { host: `127.0.0.1:${port}`, seen, body, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function authFile(host: string): string {
  const dir = tempTree({});
  const file = path.join(dir, 'auth.json');
  fs.writeFileSync(file, JSON.stringify({ auths: { [`https://${host}/v1/`]: { auth: Buffer.from('me:secret').toString('base64') } } }));
  return file;
}

test('bearer auth: the token is fetched with the credentials of the auth file, then reused', async () => {
  const reg = await bearerRegistry({ digestHeader: true });
  try {
    const client = createRegistryClient({ env: { REGISTRY_AUTH_FILE: authFile(reg.host), HOME: '/nonexistent' } });
    assert.equal(await client.manifest(`${reg.host}/team/app`, 'v1'), { exists: true, digest: 'sha256:feed' });
    assert.equal(await client.manifest(`${reg.host}/team/app`, 'v2'), { exists: false });
    assert.is(reg.seen.filter((s) => s.startsWith('GET /token')).length, 1);
    assert.ok(reg.seen.some((s) => s.includes('scope=repository%3Ateam%2Fapp%3Apull')), reg.seen.join('\n'));
  } finally {
    await reg.close();
  }
});

test('an identity token is exchanged for an access token with an OAuth2 refresh_token grant', async () => {
  const reg = await bearerRegistry({ digestHeader: true });
  try {
    const dir = tempTree({ 'auth.json': JSON.stringify({ auths: { [reg.host]: { auth: '', identitytoken: 'REFRESH' } } }) });
    const client = createRegistryClient({ env: { REGISTRY_AUTH_FILE: path.join(dir, 'auth.json'), HOME: '/nonexistent' } });
    assert.equal(await client.manifest(`${reg.host}/team/app`, 'v1'), { exists: true, digest: 'sha256:feed' });
    assert.ok(reg.seen.includes('form refresh_token REFRESH repository:team/app:pull'), reg.seen.join('\n'));
  } finally {
    await reg.close();
  }
});

test('without a Docker-Content-Digest header the digest is the sha256 of the manifest bytes', async () => {
  const reg = await bearerRegistry({ digestHeader: false });
  try {
    const client = createRegistryClient({ env: { REGISTRY_AUTH_FILE: authFile(reg.host), HOME: '/nonexistent' } });
    assert.equal(await client.manifest(`${reg.host}/team/app`, 'v1'), { exists: true, digest: sha(reg.body) });
  } finally {
    await reg.close();
  }
});

test('without credentials the token request fails with a one-line error that says so', async () => {
  const reg = await bearerRegistry({ digestHeader: true });
  try {
    await createRegistryClient({ env: { HOME: '/nonexistent' } }).manifest(`${reg.host}/team/app`, 'v1');
    assert.unreachable('should fail');
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(e.format().includes('answered 401 (no credentials found in the docker/podman auth files)'), e.format());
  } finally {
    await reg.close();
  }
});

test('an unreachable registry is a one-line error naming the URL', async () => {
  const port = await freePort();
  try {
    await createRegistryClient({ env: {} }).manifest(`127.0.0.1:${port}/x/y`, 't');
    assert.unreachable('should fail');
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(e.format().includes(`cannot reach registry at http://127.0.0.1:${port}/v2/x/y/manifests/t: ECONNREFUSED`), e.format());
  }
});

test('credentials are found under any spelling of the host; non-loopback hosts need https unless insecure', async () => {
  const dir = tempTree({ 'a.json': '{"auths": {}}', 'b.json': JSON.stringify({ auths: { 'http://ghcr.io': { username: 'u', password: 'p' } } }) });
  assert.equal(await findCredentials('ghcr.io', [path.join(dir, 'missing.json'), path.join(dir, 'a.json'), path.join(dir, 'b.json')]), { username: 'u', password: 'p' });
  const client = createRegistryClient({ env: {}, insecureHosts: ['lab.example:5000'] });
  assert.ok(client.isPlainHttp('lab.example:5000'));
  assert.ok(client.isPlainHttp('localhost:5000'));
  assert.not.ok(client.isPlainHttp('ghcr.io'));
  assert.equal(parseWwwAuthenticate('Bearer realm="https://a/token",service=reg'), { scheme: 'bearer', params: { realm: 'https://a/token', service: 'reg' } });
});

test('docker credential helpers are asked: per-host credHelpers first, then credsStore; "not found" means anonymous', async () => {
  // No real helper (desktop keychains, cloud logins) can run here: a fake executable on PATH speaks the protocol.
  const dir = tempTree({
    'bin/docker-credential-fake': {
      content: '#!/bin/sh\nread server\ncase "$server" in\n  ghcr.io) echo \'{"ServerURL":"ghcr.io","Username":"helper-user","Secret":"s3"}\' ;;\n  https://index.docker.io/v1/) echo \'{"Username":"hub","Secret":"h"}\' ;;\n  *) echo "credentials not found in native keychain"; exit 1 ;;\nesac\n',
      mode: 0o755,
    },
    'config.json': JSON.stringify({ auths: { 'ghcr.io': {}, 'quay.io': { auth: Buffer.from('q:p').toString('base64') } }, credHelpers: { 'ghcr.io': 'fake' }, credsStore: 'fake' }),
  });
  const env = { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
  const files = [path.join(dir, 'config.json')];
  assert.equal(await findCredentials('ghcr.io', files, env), { username: 'helper-user', password: 's3' });
  assert.equal(await findCredentials('quay.io', files, env), { username: 'q', password: 'p' });
  assert.equal(await findCredentials('docker.io', files, env), { username: 'hub', password: 'h' });
  assert.is(await findCredentials('example.com', files, env), undefined);
});

test.run();
