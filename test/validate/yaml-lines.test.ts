// Field paths to lines: the light scan of block YAML that locates schema findings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dottedPath, lineOfPath, pointerSegments } from '../../src/validate/yaml-lines.js';

const DOC = [
  '# a comment', //                        1
  'apiVersion: apps/v1', //                2
  'kind: Deployment', //                   3
  'metadata:', //                          4
  '  name: web', //                        5
  '  labels: {app: web}', //               6
  'spec:', //                              7
  '  template:', //                        8
  '    spec:', //                          9
  '      containers:', //                  10
  '      - name: a', //                    11
  '        image: nginx:1', //             12
  '      -   name: b', //                  13
  '', //                                   14
  '          "quoted key": x', //          15
  '          ports:', //                   16
  '            - containerPort: 80', //    17
  '              protocol: TCP', //        18
  '---', //                                19
  'kind: Second', //                       20
].join('\n');

test('keys of block mappings are found on their own line', () => {
  assert.is(lineOfPath(DOC, ['kind']), 3);
  assert.is(lineOfPath(DOC, ['metadata', 'name']), 5);
  assert.is(lineOfPath(DOC, ['spec', 'template']), 8);
});

test('items of a block sequence, indentless or not, are counted by their dash', () => {
  assert.is(lineOfPath(DOC, ['spec', 'template', 'spec', 'containers', 0, 'image']), 12);
  assert.is(lineOfPath(DOC, ['spec', 'template', 'spec', 'containers', 1]), 13);
  assert.is(lineOfPath(DOC, ['spec', 'template', 'spec', 'containers', 1, 'quoted key']), 15);
  assert.is(lineOfPath(DOC, ['spec', 'template', 'spec', 'containers', 1, 'ports', 0, 'protocol']), 18);
});

test('a path the scan cannot follow gives the deepest line it found', () => {
  assert.is(lineOfPath(DOC, ['metadata', 'labels', 'app']), 6, 'inside a flow mapping: the key holding it');
  assert.is(lineOfPath(DOC, ['spec', 'replicas']), 7, 'a missing field: its parent');
  assert.is(lineOfPath(DOC, ['spec', 'template', 'spec', 'containers', 5]), 10, 'an index past the end');
});

test('a later document of a stream is searched from its own first line', () => {
  assert.is(lineOfPath(DOC, ['kind'], 20), 20);
  assert.is(lineOfPath('\ufeffa: 1\r\nb:\r\n  c: 2\r\n', ['b', 'c']), 3, 'BOM and CRLF');
});

test('JSON pointers become segments and kubectl-style paths', () => {
  assert.equal(pointerSegments('/spec/containers/0/a~1b'), ['spec', 'containers', 0, 'a/b']);
  assert.is(dottedPath(['spec', 'containers', 0, 'image']), 'spec.containers[0].image');
  assert.equal(pointerSegments(''), []);
});

test.run();
