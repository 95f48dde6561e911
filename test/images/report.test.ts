import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBuildResults, formatPlan } from '../../src/images/report.js';
import type { PlannedImage } from '../../src/images/plan.js';

const planned = (p: Partial<PlannedImage> & { name: string }): PlannedImage => ({
  tag: 't', hash: 'h', reference: `r/${p.name}:t`, deps: [], action: 'build', reasons: [], ...p,
});

test('the plan prints a table, the build order and every reason', () => {
  const text = formatPlan([
    planned({ name: 'coolapp-base', tag: 'aaa', inRegistry: true, action: 'present', reasons: ['tag aaa is in the registry'] }),
    planned({ name: 'coolapp', tag: 'bbb', deps: ['coolapp-base'], inRegistry: false, reasons: ['tag bbb is not in the registry', 'changed since the last build: ~server.sh'] }),
    planned({ name: 'tools', tag: 'ccc', action: 'unknown', reasons: ['registry not checked: ECONNREFUSED'] }),
  ]);
  assert.is(
    text,
    [
      'IMAGE         TAG  FROM          REGISTRY  ACTION',
      'coolapp-base  aaa  -             present   present',
      'coolapp       bbb  coolapp-base  missing   build',
      'tools         ccc  -             unknown   unknown',
      '',
      'build order: coolapp-base -> coolapp -> tools',
      '  coolapp-base: tag aaa is in the registry',
      '  coolapp: tag bbb is not in the registry',
      '  coolapp: changed since the last build: ~server.sh',
      '  tools: registry not checked: ECONNREFUSED',
      '',
    ].join('\n'),
  );
});

test('build results show the digest, or the error of an image that was not built', () => {
  const text = formatBuildResults([
    { name: 'base', reference: 'r/base:1', tag: '1', digest: 'sha256:ab', action: 'built', reasons: [] },
    { name: 'app', reference: 'r/app:2', tag: '2', action: 'skipped', reasons: [], error: "not built: base image 'base' was not built" },
  ]);
  assert.is(text, "IMAGE  ACTION   REFERENCE  DIGEST\nbase   built    r/base:1   sha256:ab\napp    skipped  r/app:2    not built: base image 'base' was not built\n");
});

test('a project without images says so', () => {
  assert.is(formatPlan([]), 'no images in kforge.yaml\n');
});

test.run();
