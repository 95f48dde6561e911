// Release and diff point workloads at the project's content-hash image tags, exactly as `kforge render` does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempRepo } from '../git/fixture.js';
import { release } from '../../src/release/release.js';
import { diffRenders } from '../../src/release/diff.js';
import { memoryLogger } from '../../src/log.js';
import { loadProject } from '../../src/project/config.js';
import { projectImagesConfig } from '../../src/images/render-images.js';
import { HashCache } from '../../src/images/hash-cache.js';
import { deployment, projectFiles } from './project.js';

const files = () => ({
  ...projectFiles(),
  'kforge.yaml': projectFiles()['kforge.yaml'].replace('kind: Project\n', 'kind: Project\nregistry: registry.example\nimages:\n- name: web\n  context: app\n'),
  'base/deployment.yaml': deployment('web'),
  'app/Dockerfile': 'FROM scratch\nCOPY server /server\nCOPY tool /tool\n',
  'app/server': 'v1\n',
  'app/.gitignore': '/tool\n',
});

/** The tag `kforge images plan` computes for the working tree. */
async function workingTreeTag(dir: string): Promise<string> {
  const config = await projectImagesConfig(loadProject({ cwd: dir }), { cache: HashCache.memory() });
  return config.images.find((i) => i.name === 'web')!.tag;
}

test('release uses the tag images build computes, ignored build inputs included, and the digest of an uncommitted lock', async () => {
  const repo = tempRepo(files());
  // The ignored file exists only in the working tree, as a binary copied in before a build would.
  repo.write({ 'app/tool': 'binary\n' });
  const tag = await workingTreeTag(repo.dir);
  const digest = `sha256:${'ab'.repeat(32)}`;
  repo.write({ 'kforge.lock.json': JSON.stringify({ apiVersion: 'kforge.dev/v1alpha1', kind: 'ImageLock', images: [{ name: 'web', reference: `registry.example/web:${tag}`, tag, digest }] }) });
  const r = await release({ cwd: repo.dir, logger: memoryLogger() });
  assert.equal(r.images, [`registry.example/web:${tag}@${digest}`]);
  assert.match(repo.git('show', 'release:dev/app-dev_deployment.apps_web.yaml'), `image: registry.example/web:${tag}@${digest}`);
  repo.remove();
});

test('diff shows an image tag change only when the image sources changed', async () => {
  const repo = tempRepo(files());
  repo.write({ 'app/tool': 'binary\n' });
  const base = repo.git('rev-parse', 'HEAD');
  const same = await diffRenders({ cwd: repo.dir, base, logger: memoryLogger() });
  assert.is(same.diff.changed, false, 'a base revision hashes the same ignored inputs as the working tree');
  fs.writeFileSync(path.join(repo.dir, 'app/server'), 'v2\n');
  const changed = await diffRenders({ cwd: repo.dir, base, logger: memoryLogger() });
  const dev = changed.diff.environments.find((e) => e.name === 'dev')!;
  assert.equal(dev.changes.map((c) => `${c.change} ${c.head!.kind}`), ['changed Deployment']);
  assert.match(dev.changes[0].diff, /\n-        image: registry\.example\/web:\S+\n\+        image: registry\.example\/web:\S+\n/);
  repo.remove();
});

test.run();
