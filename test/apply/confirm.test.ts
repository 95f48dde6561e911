import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { confirmationFor, isConfirmed } from '../../src/apply/confirm.js';
import { isKforgeError } from '../../src/errors.js';

const dev = { name: 'dev', path: 'overlays/dev' };
const prod = { name: 'prod', path: 'overlays/prod', protected: true };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isKforgeError(e));
    return e.format();
  }
  return assert.unreachable('expected a refusal') as never;
}

test('--yes skips the question for an unprotected environment; otherwise a terminal is asked, default No', () => {
  assert.equal(confirmationFor(dev, 'ctx', { yes: true }, false), { mode: 'skip' });
  const c = confirmationFor(dev, "context 'kind-dev'", {}, true);
  assert.equal(c, { mode: 'yes-no', question: "Apply environment 'dev' to context 'kind-dev'? [y/N] " });
  assert.ok(isConfirmed(c, 'y'));
  assert.ok(isConfirmed(c, 'YES '));
  assert.not.ok(isConfirmed(c, ''));
  assert.not.ok(isConfirmed(c, 'no'));
});

test('no terminal and no --yes is refused', () => {
  assert.match(refusal(() => confirmationFor(dev, 'ctx', {}, false)), /no terminal to ask on \(pass --yes\)/);
});

test('a protected environment refuses --yes alone and wants --confirm-env with its name', () => {
  assert.match(refusal(() => confirmationFor(prod, 'ctx', { yes: true }, true)), /environment 'prod' is protected: --yes alone is refused/);
  assert.equal(confirmationFor(prod, 'ctx', { yes: true, confirmEnv: 'prod' }, false), { mode: 'skip' });
  assert.match(refusal(() => confirmationFor(prod, 'ctx', { yes: true, confirmEnv: 'dev' }, true)), /--confirm-env 'dev' does not match environment 'prod'/);
  assert.match(refusal(() => confirmationFor(prod, 'ctx', {}, false)), /pass --yes --confirm-env prod/);
});

test('on a terminal a protected environment is confirmed only by typing its exact name', () => {
  const c = confirmationFor(prod, 'ctx', {}, true);
  assert.is(c.mode, 'type-name');
  assert.ok(isConfirmed(c, 'prod'));
  assert.not.ok(isConfirmed(c, 'y'));
  assert.not.ok(isConfirmed(c, 'Prod'));
});

test.run();
