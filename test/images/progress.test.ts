import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plainProgress, ttyProgress, visibleText } from '../../src/images/progress.js';
import { memoryLogger } from '../../src/log.js';

function fakeTty() {
  const writes: string[] = [];
  const stream = { columns: 60, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

test('plain progress is one line per status change', () => {
  const logger = memoryLogger();
  const p = plainProgress(logger);
  p.status('app', 'building');
  p.output('app', 'STEP 1/3');
  p.status('app', 'pushed sha256:x');
  assert.equal(logger.lines, ['app: building', 'app: pushed sha256:x']);
});

test('the live view redraws one line per image in place', () => {
  const { stream, writes } = fakeTty();
  const p = ttyProgress(stream, ['base', 'app']);
  p.status('base', 'building');
  assert.is(writes.at(-1), '\x1b[2Kbase  building\n\x1b[2Kapp   waiting\n');
  p.status('app', 'queued');
  assert.ok(writes.at(-1)!.startsWith('\x1b[2A'), 'moves up over the previous block');
  p.close();
  assert.is(writes.at(-1), '\x1b[2A\x1b[2Kbase  building\n\x1b[2Kapp   queued\n');
});

test('builder output shows as its visible text: after the last carriage return, without escape sequences', () => {
  assert.is(visibleText('Copying blob 10%\rCopying blob \x1b[32m100%\x1b[0m  '), 'Copying blob 100%');
  assert.is(visibleText('\x1b[?25l'), '');
});

test('long lines are cut to the terminal width', () => {
  const { stream, writes } = fakeTty();
  const p = ttyProgress(stream, ['base']);
  p.status('base', `building ${'x'.repeat(100)}`);
  assert.is(writes.at(-1)!.split('\n')[0].replace('\x1b[2K', '').length, 59);
  p.close();
});

test.run();
