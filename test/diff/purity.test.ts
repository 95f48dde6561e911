// diff/ is pure: it must not reach the file system, processes or the network, directly or through a helper.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve('src/diff');
const banned = /from\s+['"](node:)?(fs|fs\/promises|child_process|net|http|https)['"]|from\s+['"](execa|fs-extra)['"]|from\s+['"][./]+\/(git|kube|images|fs|project)\//;

test('modules in src/diff import no fs, child_process, execa or side-effect module', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 0);
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.not.ok(banned.test(text), `src/diff/${f} imports something with side effects`);
  }
});

test.run();
