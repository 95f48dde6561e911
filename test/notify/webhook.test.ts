import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryLogger } from '../../src/log.js';
import { notifyWebhook, webhookPayload, type NotifySummary } from '../../src/notify/webhook.js';

const summary: NotifySummary = {
  event: 'ci',
  outcome: 'released',
  environments: ['dev', 'test'],
  images: ['reg.example/app/web:0123@sha256:abc'],
  sourceCommit: '0123456789abcdef0123456789abcdef01234567',
  branch: 'main',
  releaseBranch: 'release',
  releaseCommit: 'fedcba9876543210fedcba9876543210fedcba98',
};

async function server(status: number): Promise<{ url: string; requests: { headers: http.IncomingHttpHeaders; body: string }[]; close(): Promise<void> }> {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.statusCode = status;
      res.end(status === 200 ? 'ok' : 'invalid_token');
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/secret-token`, requests, close: () => new Promise((r) => srv.close(() => r())) };
}

test('the payload has a Slack text line and the whole summary under kforge', () => {
  const p = webhookPayload(summary);
  assert.is(p.text, 'kforge released dev, test from 0123456789ab (main) to release as fedcba987654\nimages:\n• reg.example/app/web:0123@sha256:abc');
  assert.equal(p.kforge, summary);
  assert.is(webhookPayload({ ...summary, outcome: 'failed', error: 'scan failed for web' }).text.split('\n')[0], 'kforge ci failed for dev, test from 0123456789ab (main): scan failed for web');
});

test('the summary is POSTed as JSON to the URL read from the named environment variable', async () => {
  const s = await server(200);
  const logger = memoryLogger();
  const ok = await notifyWebhook(summary, { webhook: { urlEnv: 'HOOK_URL' }, env: { HOOK_URL: s.url }, logger });
  assert.ok(ok);
  assert.is(s.requests.length, 1);
  assert.is(s.requests[0].headers['content-type'], 'application/json');
  assert.equal(JSON.parse(s.requests[0].body).kforge.environments, ['dev', 'test']);
  assert.equal(logger.warnings, []);
  await s.close();
});

test('an error answer is a warning that never shows the secret URL, and never a failure', async () => {
  const s = await server(403);
  const logger = memoryLogger();
  assert.is(await notifyWebhook(summary, { webhook: { urlEnv: 'HOOK_URL' }, env: { HOOK_URL: s.url }, logger }), false);
  assert.equal(logger.warnings.length, 1);
  assert.match(logger.warnings[0], /answered HTTP 403; the ci itself is unaffected/);
  assert.not.match(logger.warnings[0], 'secret-token');
  await s.close();
});

test('an unreachable webhook and an unset variable are warnings', async () => {
  const s = await server(200);
  const url = s.url;
  await s.close();
  const logger = memoryLogger();
  assert.is(await notifyWebhook(summary, { webhook: { urlEnv: 'HOOK_URL' }, env: { HOOK_URL: url }, logger }), false);
  assert.is(await notifyWebhook(summary, { webhook: { urlEnv: 'HOOK_URL' }, env: {}, logger }), false);
  assert.match(logger.warnings[0], 'could not reach 127.0.0.1:');
  assert.match(logger.warnings[1], '$HOOK_URL is not set');
});

test('without notify.webhook in kforge.yaml nothing is sent and nothing is said', async () => {
  const logger = memoryLogger();
  assert.is(await notifyWebhook(summary, { webhook: undefined, env: { HOOK_URL: 'http://127.0.0.1:9/' }, logger }), false);
  assert.equal(logger.lines, []);
});

test.run();
