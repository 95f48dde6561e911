// Unit table for vars: kustomize's $(VAR) expansion, binding to resources, and resolution.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../src/resource.js';
import { makeRes, storePreviousId, withObject, type Res } from '../../src/compile/res.js';
import { bindVars, expand, resolveVars, type VarDef } from '../../src/compile/vars.js';
import { varReferenceSpecs } from '../../src/compile/builtin-fieldspecs.js';

const res = (object: JsonObject): Res => makeRes(object, { file: 'test.yaml', index: 0 });
const svc = () => res({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }] } });
const pod = (command: string[]) => res({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', command }] } });
const v = (name: string, fieldPath = 'metadata.name'): VarDef => ({ name, objref: { group: '', version: 'v1', kind: 'Service', name: 'db', namespace: '' }, fieldPath });
const commandOf = (r: Res) => (((r.object.spec as JsonObject).containers as JsonObject[])[0].command as unknown[]);

test('expansion keeps the type of a whole reference, escapes $$ and leaves unknown names', () => {
  const lookup = (n: string) => ({ N: 3, S: 'x' } as Record<string, number | string>)[n];
  assert.is(expand('$(N)', lookup), 3);
  assert.is(expand('a-$(N)-$(S)', lookup), 'a-3-x');
  assert.is(expand('$$(S) $(MISSING) $(S', lookup), '$(S) $(MISSING) $(S');
});

test('a var follows its resource through renames and reads the final value', () => {
  let list = bindVars([svc(), pod(['$(DB)', '--port=$(PORT)'])], [v('DB'), v('PORT', 'spec.ports[0].port')], new Set());
  list = list.map((r) => (r.object.kind === 'Service' ? withObject(storePreviousId(r), { ...r.object, metadata: { name: 'x-db' } }) : r));
  const out = resolveVars(list, [v('DB'), v('PORT', 'spec.ports[0].port')], varReferenceSpecs, { warn: () => {} });
  assert.equal(commandOf(out[1]), ['x-db', '--port=5432']);
});

test('an objref without apiVersion matches nothing, as in kustomize', () => {
  const noVersion: VarDef = { ...v('DB'), objref: { ...v('DB').objref, version: '' } };
  const list = bindVars([svc()], [noVersion], new Set());
  assert.throws(() => resolveVars(list, [noVersion], varReferenceSpecs, { warn: () => {} }), /cannot be mapped to a field/);
});

test('a var name may be declared once', () => {
  assert.throws(() => bindVars([svc()], [v('DB')], new Set(['DB'])), /already encountered/);
});

test('unused vars are reported as a warning', () => {
  const warnings: string[] = [];
  resolveVars(bindVars([svc()], [v('DB')], new Set()), [v('DB')], varReferenceSpecs, { warn: (m) => warnings.push(m) });
  assert.equal(warnings, ['well-defined vars that were never replaced: DB']);
});

test.run();
