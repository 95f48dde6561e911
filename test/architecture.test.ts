// The pure layers stay pure: compile/, emit/ and diff/ never import modules that do I/O.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';

const FORBIDDEN = /from\s+['"](node:)?(fs|fs\/promises|child_process|fs-extra|execa|net|http|https|worker_threads)['"]|import\(['"](node:)?(fs|child_process|execa)['"]\)/;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

for (const layer of ['compile', 'emit', 'diff']) {
  test(`src/${layer} imports no file system, process or network modules`, () => {
    const offenders = tsFiles(path.resolve('src', layer)).filter((f) => FORBIDDEN.test(fs.readFileSync(f, 'utf8')));
    assert.equal(offenders, []);
  });
  test(`src/${layer} reads neither the environment nor the clock`, () => {
    const offenders = tsFiles(path.resolve('src', layer)).filter((f) => /process\.env|Date\.now\(|new Date\(/.test(fs.readFileSync(f, 'utf8')));
    assert.equal(offenders, []);
  });
}

test('the scan itself catches a forbidden import', () => {
  assert.ok(FORBIDDEN.test("import fs from 'node:fs';"));
  assert.ok(FORBIDDEN.test("import { execa } from 'execa';"));
  assert.not.ok(FORBIDDEN.test("import path from 'node:path';"));
});

test.run();
