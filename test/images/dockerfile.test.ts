import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDockerfile, rewriteImages, splitInstructions, substitute } from '../../src/images/dockerfile.js';
import { isKforgeError } from '../../src/errors.js';

const uses = (text: string, opts = {}) => parseDockerfile(text, 'Dockerfile', opts).images.map((u) => `${u.via} ${u.value}`);

function failsWith(fn: () => unknown, text: string) {
  try {
    fn();
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(e.format().includes(text), `"${e.format()}" should contain "${text}"`);
    return;
  }
  assert.unreachable(`expected an error containing "${text}"`);
}

test('a single-stage Dockerfile uses the image it starts FROM', () => {
  assert.equal(uses('FROM alpine:3.20\nRUN true\n'), ['FROM alpine:3.20']);
});

test('scratch and previous stages are not images', () => {
  const df = 'FROM golang:1.22 AS build\nRUN make\nFROM scratch\nCOPY --from=build /out /app\nFROM build AS test\n';
  assert.equal(uses(df), ['FROM golang:1.22']);
});

test('COPY --from an image (not a stage) is an image use; a stage index is not', () => {
  assert.equal(uses('FROM a\nCOPY --from=0 /x /x\nCOPY --chown=1 --from=coolapp-base:1 /bin/sh /bin/sh\n'), ['FROM a', 'COPY --from coolapp-base:1']);
});

test('RUN --mount from an image is an image use; from a stage it is not', () => {
  assert.equal(uses('FROM a AS s\nRUN --mount=type=bind,from=s,target=/s --mount=type=cache,target=/c --mount=from=tools:1,target=/t true\n'), ['FROM a', 'RUN --mount tools:1']);
});

test('ARGs before the first FROM are substituted, build args override their defaults', () => {
  const df = 'ARG BASE=coolapp-base\nARG TAG\nFROM ${BASE}:${TAG:-dev}\n';
  assert.equal(uses(df), ['FROM coolapp-base:dev']);
  assert.equal(uses(df, { buildArgs: { BASE: 'other', TAG: '1' } }), ['FROM other:1']);
});

test('the substitution forms follow the shell lexer', () => {
  const vars = new Map<string, string | undefined>([['SET', 'v'], ['EMPTY', ''], ['UNSET', undefined]]);
  const at = { file: 'Dockerfile', line: 1 };
  assert.is(substitute('$SET ${SET} ${EMPTY:-d} ${EMPTY-d} ${SET:+alt} ${UNSET+alt} \\$SET', vars, at), 'v v d  alt  $SET');
  failsWith(() => substitute('${UNSET:?must be set}', vars, at), 'UNSET: must be set');
});

test('a build target stops at its stage, so later stages do not count', () => {
  const df = 'FROM a AS one\nFROM b AS two\nFROM c\n';
  assert.equal(uses(df, { target: 'one' }), ['FROM a']);
  failsWith(() => parseDockerfile(df, 'Dockerfile', { target: 'nope' }), "build target 'nope' is not a stage");
});

test('continuations, comments inside them, heredocs and the escape directive are parsed as BuildKit does', () => {
  const df = '# escape=`\nFROM `\n  # a comment\n  alpine AS base\nRUN <<EOF\nFROM not-an-instruction\nEOF\nCOPY <<-"X" /f\n\tFROM nor-this\n\tX\n';
  const ins = splitInstructions(df, 'Dockerfile');
  assert.equal(ins.map((i) => `${i.keyword}@${i.startLine}-${i.endLine}`), ['FROM@1-3', 'RUN@4-6', 'COPY@7-9']);
  assert.equal(uses(df), ['FROM alpine']);
});

test('bad Dockerfiles fail with the file and line', () => {
  failsWith(() => parseDockerfile('FROM a\nFROBNICATE x\n', 'app/Dockerfile'), "app/Dockerfile:2: unknown instruction 'FROBNICATE'");
  failsWith(() => parseDockerfile('RUN x\nFROM a\n', 'Dockerfile'), 'Dockerfile:1: RUN before the first FROM');
  failsWith(() => parseDockerfile('# only a comment\n', 'Dockerfile'), 'no FROM instruction');
  failsWith(() => parseDockerfile('ARG B\nFROM ${B}\n', 'Dockerfile'), "FROM '${B}' expands to an empty image name");
  failsWith(() => parseDockerfile('FROM a b c d\n', 'Dockerfile'), 'FROM needs an image');
  failsWith(() => parseDockerfile('FROM a\nRUN <<EOF\nx\n', 'Dockerfile'), "heredoc 'EOF' is never closed");
});

test('rewriting replaces only the chosen image words and keeps every other byte and line', () => {
  const text = 'ARG BASE=coolapp-base\nFROM --platform=$BUILDPLATFORM ${BASE} AS b\nCOPY --from=coolapp-base /x /x\nRUN --mount=type=bind,from=coolapp-base,target=/b true\nFROM \\\n  alpine\n';
  const df = parseDockerfile(text, 'Dockerfile');
  const out = rewriteImages(df, (u) => (u.value.startsWith('coolapp-base') ? 'reg/coolapp-base:abc' : undefined));
  assert.is(out, 'ARG BASE=coolapp-base\nFROM --platform=$BUILDPLATFORM reg/coolapp-base:abc AS b\nCOPY --from=reg/coolapp-base:abc /x /x\nRUN --mount=type=bind,from=reg/coolapp-base:abc,target=/b true\nFROM \\\n  alpine\n');
});

test.run();
