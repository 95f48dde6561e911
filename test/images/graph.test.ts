import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependencyOrder, dependentsOf, withDependencies } from '../../src/images/graph.js';
import { isKforgeError } from '../../src/errors.js';

const nodes = [
  { name: 'app', deps: ['base'] },
  { name: 'worker', deps: ['base', 'tools'] },
  { name: 'base', deps: [] },
  { name: 'tools', deps: [] },
  { name: 'docs', deps: [] },
];

test('bases come before the images built FROM them; otherwise declaration order is kept', () => {
  assert.equal(dependencyOrder(nodes), ['base', 'app', 'tools', 'worker', 'docs']);
});

test('dependents are found transitively', () => {
  assert.equal([...dependentsOf([...nodes, { name: 'cli', deps: ['worker'] }], 'tools')].sort(), ['cli', 'worker']);
});

test('selecting images brings their bases along; an unknown name lists the known ones', () => {
  assert.equal(withDependencies(nodes, ['worker']), ['worker', 'base', 'tools']);
  try {
    withDependencies(nodes, ['nope'], 'kforge.yaml');
    assert.unreachable('should fail');
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.is(e.format(), "kforge.yaml: unknown image 'nope' (known: app, worker, base, tools, docs)");
  }
});

test('a cycle is an error that shows it', () => {
  try {
    dependencyOrder([{ name: 'a', deps: ['b'] }, { name: 'b', deps: ['c'] }, { name: 'c', deps: ['a'] }], 'kforge.yaml');
    assert.unreachable('should fail');
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.is(e.format(), 'kforge.yaml: images are built FROM each other in a cycle: a -> b -> c -> a');
  }
});

test.run();
