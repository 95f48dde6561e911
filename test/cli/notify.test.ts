// kforge.yaml's notify.webhook hears of a committed release; a broken webhook only warns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempRepo } from '../git/fixture.js';
import { kforgeWithEnv } from '../release/run-cli.js';
import { projectFiles } from '../release/project.js';

async function webhookServer() {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, close: () => server.close() };
}

const withNotify = () => {
  const files = projectFiles();
  return { ...files, 'kforge.yaml': `${files['kforge.yaml']}notify:\n  webhook: {urlEnv: RELEASE_HOOK}\n` };
};

test('a release that commits posts one summary; a release with nothing to commit posts none', async () => {
  const hook = await webhookServer();
  const repo = tempRepo(withNotify());
  try {
    const first = await kforgeWithEnv(repo.dir, { RELEASE_HOOK: hook.url }, 'release');
    assert.is(first.exitCode, 0, first.stderr);
    assert.is(hook.bodies.length, 1);
    const body = hook.bodies[0] as { text: string; kforge: { event: string; outcome: string; environments: string[]; releaseCommit?: string } };
    assert.is(body.kforge.event, 'release');
    assert.is(body.kforge.outcome, 'released');
    assert.equal(body.kforge.environments.sort(), ['dev', 'prod']);
    assert.match(body.kforge.releaseCommit ?? '', /^[0-9a-f]{40}$/);
    const second = await kforgeWithEnv(repo.dir, { RELEASE_HOOK: hook.url }, 'release');
    assert.is(second.exitCode, 0, second.stderr);
    assert.is(hook.bodies.length, 1, 'nothing released, nothing posted');
  } finally {
    hook.close();
    repo.remove();
  }
});

test('an unreachable webhook warns and the release still succeeds', async () => {
  const repo = tempRepo(withNotify());
  try {
    const r = await kforgeWithEnv(repo.dir, { RELEASE_HOOK: 'http://127.0.0.1:9/unreachable' }, 'release');
    assert.is(r.exitCode, 0, r.stderr);
    assert.match(r.stderr, /warning: notify/);
    assert.not.match(r.stderr, /unreachable/, 'the secret part of the URL (its path) is never printed');
  } finally {
    repo.remove();
  }
});

test.run();
