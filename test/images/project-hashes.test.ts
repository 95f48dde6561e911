import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { hashProjectImages } from '../../src/images/project-hashes.js';
import { HashCache } from '../../src/images/hash-cache.js';
import { TAG_LENGTH } from '../../src/images/image-hash.js';
import { isKforgeError } from '../../src/errors.js';
import { tempProject, writeTree } from './helpers.js';

const IMAGES = '  - {name: base, context: base}\n  - {name: app, context: app}';
const files = () => ({
  'base/Dockerfile': 'FROM scratch\nCOPY bin /bin\n',
  'base/bin': 'binary',
  'app/Dockerfile': 'FROM base\nCOPY . /app\n',
  'app/main.sh': { content: 'echo hi\n', mode: 0o755 },
  'app/.dockerignore': '*.log\nsecret/\n',
  'app/debug.log': 'noise',
});

const tags = async (p: ReturnType<typeof tempProject>) =>
  Object.fromEntries((await hashProjectImages(p, { cache: HashCache.memory() })).map((i) => [i.name, i.tag]));

test('images come out bases first, with tags that are hex prefixes of the hash and references under the registry', async () => {
  const p = tempProject(files(), '  - {name: app, context: app}\n  - {name: base, context: base}', '127.0.0.1:5000/cool');
  const imgs = await hashProjectImages(p, { cache: HashCache.memory() });
  assert.equal(imgs.map((i) => i.name), ['base', 'app']);
  assert.equal(imgs[1].deps, ['base']);
  for (const i of imgs) {
    assert.match(i.tag, new RegExp(`^[0-9a-f]{${TAG_LENGTH}}$`));
    assert.ok(i.hash.startsWith(i.tag));
    assert.is(i.reference, `127.0.0.1:5000/cool/${i.name}:${i.tag}`);
  }
});

test('the same sources give the same tags in another folder (no absolute paths, no mtimes)', async () => {
  const a = await tags(tempProject(files(), IMAGES));
  const later = tempProject(files(), IMAGES);
  fs.utimesSync(path.join(later.root, 'app/main.sh'), new Date(0), new Date(0));
  assert.equal(await tags(later), a);
});

test('a base change changes the base and cascades to the app; an app change leaves the base alone', async () => {
  const p = tempProject(files(), IMAGES);
  const before = await tags(p);
  writeTree(p.root, { 'app/main.sh': { content: 'echo bye\n', mode: 0o755 } });
  const appChanged = await tags(p);
  assert.is(appChanged.base, before.base);
  assert.is.not(appChanged.app, before.app);
  writeTree(p.root, { 'base/Dockerfile': 'FROM scratch\nCOPY bin /bin\nENV X=1\n' });
  const baseChanged = await tags(p);
  assert.is.not(baseChanged.base, appChanged.base);
  assert.is.not(baseChanged.app, appChanged.app);
});

test('a .dockerignored file changes nothing, a visible one does', async () => {
  const p = tempProject(files(), IMAGES);
  const before = await tags(p);
  writeTree(p.root, { 'app/debug.log': 'other noise', 'app/secret/key': 'x' });
  assert.equal(await tags(p), before);
  writeTree(p.root, { 'app/new.txt': '' });
  assert.is.not((await tags(p)).app, before.app);
});

test('the executable bit, a renamed file, an empty folder, build args and the target are hashed', async () => {
  const p = tempProject(files(), IMAGES);
  const seen = new Set([(await tags(p)).app]);
  const expectNew = async (what: string) => {
    const t = (await tags(p)).app;
    assert.not.ok(seen.has(t), `${what} should change the tag`);
    seen.add(t);
  };
  fs.chmodSync(path.join(p.root, 'app/main.sh'), 0o644);
  await expectNew('the executable bit');
  fs.renameSync(path.join(p.root, 'app/main.sh'), path.join(p.root, 'app/run.sh'));
  await expectNew('a rename');
  fs.mkdirSync(path.join(p.root, 'app/empty'));
  await expectNew('an empty folder');
  p.spec.images![1].buildArgs = { A: '1' };
  await expectNew('a build arg');
  writeTree(p.root, { 'app/Dockerfile': 'FROM base AS final\nCOPY . /app\n' });
  p.spec.images![1].target = 'final';
  await expectNew('the Dockerfile and target');
});

test('a FROM naming the image under the registry, with any tag, is the same project dependency', async () => {
  const p = tempProject({ ...files(), 'app/Dockerfile': 'ARG T=whatever\nFROM 127.0.0.1:5000/cool/base:${T}\n' }, IMAGES, '127.0.0.1:5000/cool');
  const imgs = await hashProjectImages(p, { cache: HashCache.memory() });
  assert.equal(imgs.find((i) => i.name === 'app')!.deps, ['base']);
});

async function failsWith(p: ReturnType<typeof tempProject>, text: string) {
  try {
    await hashProjectImages(p, { cache: HashCache.memory() });
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(e.format().includes(text), `"${e.format()}" should contain "${text}"`);
    return;
  }
  assert.unreachable(`expected an error containing "${text}"`);
}

test('hashing fails closed: a missing Dockerfile, a bad one, a cycle, a .containerignore that disagrees, a FIFO in the context', async () => {
  await failsWith(tempProject({ 'app/x': '' }, '  - {name: app, context: app}'), 'cannot read Dockerfile: ENOENT');
  await failsWith(tempProject({ 'app/Dockerfile': 'FORM x\n' }, '  - {name: app, context: app}'), "unknown instruction 'FORM'");
  await failsWith(
    tempProject({ 'a/Dockerfile': 'FROM b\n', 'b/Dockerfile': 'FROM a\n' }, '  - {name: a, context: a}\n  - {name: b, context: b}'),
    'images are built FROM each other in a cycle: a -> b -> a',
  );
  await failsWith(tempProject({ ...files(), 'app/.containerignore': '*.log\n' }, IMAGES), 'app/.containerignore: .containerignore differs from .dockerignore');
  const p = tempProject(files(), IMAGES);
  await execa('mkfifo', [path.join(p.root, 'app/pipe')]);
  await failsWith(p, 'build context holds a socket, FIFO or device');
});

test.run();
