// Fuzz: the yaml target (test/fuzz/targets.ts) on seeded random and mutated fixture inputs. A failure prints the
// FUZZ_SEED and FUZZ_CASE that reproduce it; scripts/fuzz.mjs runs many more cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeFailures, fuzz } from './runner.js';

test('yaml: every input gives a valid result or a one-line kforge error, quickly', async () => {
  const r = await fuzz('yaml');
  assert.ok(r.ran > 0);
  if (process.env.FUZZ_VERBOSE) console.log(`${r.ran} cases, ${r.errors} kforge errors (${r.knownMultiLine} on several lines: known), slowest #${r.slowest.index} ${r.slowest.ms} ms`);
  assert.is(r.failures.length, 0, `${r.failures.length} finding(s):\n${describeFailures(r)}`);
});

test.run();
