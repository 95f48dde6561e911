import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fieldSet, fromFieldsV1, serverSideApply, toFieldsV1, type JsonMap } from './fields.js';

const cm = (data: JsonMap, labels?: JsonMap): JsonMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', ...(labels ? { labels } : {}) }, data });
const apply = (live: JsonMap | undefined, cfg: JsonMap, manager: string, force = false) => serverSideApply(live, cfg, manager, force, '2026-01-01T00:00:00Z');
const object = (r: ReturnType<typeof apply>): JsonMap => {
  if ('conflicts' in r) return assert.unreachable(`conflicts: ${JSON.stringify(r.conflicts)}`) as never;
  return r.object;
};

test('the field set leaves out identity, server-set metadata and status', () => {
  const f = fieldSet({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', namespace: 'b', uid: 'u', labels: { l: '1' } }, spec: { list: [1, 2], empty: {} }, status: { s: 1 } });
  assert.equal([...f].sort(), ['["metadata","labels","l"]', '["spec","empty"]', '["spec","list"]']);
  assert.equal(fromFieldsV1(toFieldsV1(f)), f);
});

test('a field the manager stops applying is removed; fields of others stay', () => {
  let live = object(apply(undefined, cm({ a: '1', b: '2' }), 'kforge'));
  live = object(apply(live, cm({ a: '1', other: 'x' }), 'someone'));
  live = object(apply(live, cm({ b: '2' }), 'kforge'));
  assert.equal(live.data, { a: '1', other: 'x', b: '2' }, 'a is still owned by someone');
  live = object(apply(live, cm({}), 'kforge'));
  assert.equal(live.data, { a: '1', other: 'x' });
});

test('changing a field another manager owns is a conflict unless forced', () => {
  const live = object(apply(undefined, cm({ a: '1' }), 'other'));
  const r = apply(live, cm({ a: '2' }), 'kforge');
  assert.ok('conflicts' in r);
  assert.equal(r.conflicts, [{ manager: 'other', apiVersion: 'v1', field: '.data.a' }]);
  assert.ok(!('conflicts' in apply(live, cm({ a: '1' }), 'kforge')), 'the same value is shared, not a conflict');
  const forced = object(apply(live, cm({ a: '2' }), 'kforge', true));
  assert.equal(forced.data, { a: '2' });
  const managers = (forced.metadata as JsonMap).managedFields as JsonMap[];
  assert.equal(managers.map((m) => m.manager), ['kforge'], 'the forced field moved to kforge and other owns nothing');
});

test.run();
