// Golden tests: every fixtures/<case>/ builds as `kubectl kustomize` built it (see scripts/goldens.mjs).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { buildKustomization } from '../src/kustomize/build.js';
import { emitDocuments } from '../src/emit/yaml.js';
import { isKforgeError } from '../src/errors.js';

interface CaseSpec {
  dir?: string;
  args?: string[];
  error?: string;
  warnings?: string[];
  kustomize?: 'skip';
  compare?: 'data';
}

const root = path.resolve('fixtures');
const cases = fs.readdirSync(root).filter((c) => fs.existsSync(path.join(root, c, 'input'))).sort();

function buildOptions(args: string[] = []) {
  const i = args.indexOf('--load-restrictor');
  return i >= 0 ? { loadRestrictor: args[i + 1] as 'LoadRestrictionsNone' | 'LoadRestrictionsRootOnly' } : {};
}

for (const name of cases) {
  const dir = path.join(root, name);
  const specFile = path.join(dir, 'case.yaml');
  const spec = (fs.existsSync(specFile) ? yaml.load(fs.readFileSync(specFile, 'utf8')) ?? {} : {}) as CaseSpec;
  const expectedFile = path.join(dir, 'expected.yaml');
  test(`${name}: ${spec.error ? 'fails with a clear error' : 'renders as kustomize does'}`, () => {
    const target = path.join(dir, 'input', spec.dir ?? '.');
    if (spec.error) {
      try {
        buildKustomization(target, buildOptions(spec.args));
      } catch (e) {
        if (!isKforgeError(e)) throw e;
        assert.ok(e.format().includes(spec.error), `error "${e.format()}" should contain "${spec.error}"`);
        assert.not.ok(e.format().includes('\n'), 'errors are one line');
        return;
      }
      assert.unreachable(`expected an error containing "${spec.error}"`);
    }
    const built = buildKustomization(target, buildOptions(spec.args));
    const actual = emitDocuments(built.resources.map((r) => r.object));
    const expected = fs.readFileSync(expectedFile, 'utf8');
    if (spec.compare === 'data') {
      assert.equal(yaml.loadAll(actual), yaml.loadAll(expected));
    } else {
      assert.fixture(actual, expected);
    }
    const warnings = built.warnings;
    for (const w of spec.warnings ?? []) {
      assert.ok(warnings.some((x) => x.includes(w)), `expected a warning containing "${w}", got: ${JSON.stringify(warnings)}`);
    }
  });
}

test.run();
