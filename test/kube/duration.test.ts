import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeDuration, kubectlDuration, parseDuration } from '../../src/kube/duration.js';

test('kubectl-style durations parse to milliseconds', () => {
  assert.is(parseDuration('90s'), 90_000);
  assert.is(parseDuration('5m'), 300_000);
  assert.is(parseDuration('1h30m'), 5_400_000);
  assert.is(parseDuration('1500ms'), 1500);
  assert.is(parseDuration('1.5s'), 1500);
});

test('bare numbers, unknown units and zero are refused', () => {
  for (const bad of ['10', '5 minutes', '', '1d', '0s', 's']) {
    assert.throws(() => parseDuration(bad), (e: Error) => /invalid duration|longer than 0/.test(e.message), bad);
  }
});

test('durations are given back to kubectl and the user in their shortest form', () => {
  assert.is(kubectlDuration(90_000), '90s');
  assert.is(kubectlDuration(1500), '1500ms');
  assert.is(describeDuration(300_000), '5m');
  assert.is(describeDuration(90_000), '90s');
});

test.run();
