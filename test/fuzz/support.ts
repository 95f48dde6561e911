// Fuzzing support: a seeded PRNG (every case reproduces from seed, target and case number), text mutators
// that speak YAML, a generator of YAML with anchors, aliases and merge keys, and the fixture inputs the
// mutations start from. Settings come from the environment so `scripts/fuzz.mjs` can run longer:
//   FUZZ_SEED   base seed (default 20261122)      FUZZ_SCALE  multiplies every target's case count (default 1)
//   FUZZ_CASE   run only this case number (to reproduce a failure)
import fs from 'node:fs';
import path from 'node:path';

export const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
export const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
export const ONLY_CASE = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);

/** FNV-1a of a string: turns (seed, target, case) into a 32-bit PRNG seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and the same sequence on every platform. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  static forCase(seed: number, target: string, index: number): Rng {
    return new Rng(hash32(`${seed}:${target}:${index}`));
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
}

// Pieces of YAML syntax and of the values go-yaml resolves specially, plus kustomize's patch directives.
export const TOKENS = [
  ': ', ':', '- ', '-', '{', '}', '[', ']', ', ', ',', '&a ', '&b ', '*a', '*b', '*zz', '<<: *a', '<<: [*a, *b]', '<<: ', '<<',
  '!!str ', '!!int ', '!!float ', '!!bool ', '!!null ', '!!binary ', '!!map ', '!!seq ', '!!set ', '!!omap ', '!!timestamp ',
  '!custom ', '!<tag:yaml.org,2002:str> ', '? ', '|', '|-', '|+', '>', '>-', '|2', '"', "'", '#', '\n---\n', '\n--- |\n',
  '\n...\n', '---', '\t', '\r\n', '\r', '\ufeff', '%YAML 1.1\n---\n', '%TAG ! tag:x,2000:\n---\n', '\u0085', '\u2028',
  'null', '~', '0x1F', '0o17', '0b101', '017', '1e400', '-.inf', '.nan', '1_000', '9223372036854775808', '-0', '+1',
  '2001-12-14t21:59:43.10-05:00', '2002-12-14', 'yes', 'no', 'on', 'y', '=', '\\u00e9', '"\\x', '"\\', '  ', '\n  ', '\n',
  '\n    ', 'é', '😀', '\u00a0', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', '$patch: delete', '$patch: replace',
  '$patch: merge', '$retainKeys: [a]', '$setElementOrder/containers: [{name: a}]', '$deleteFromPrimitiveList/finalizers: [a]',
  'resources:\n- ', 'patches:\n- path: ', 'kind: Kustomization\n', 'namespace: ', 'name: ', 'image: ', 'x'.repeat(200),
];

/** Applies 1..max random edits to `text`: insertions of syntax, deletions, line shuffles, indentation changes. */
export function mutateText(rng: Rng, text: string, others: readonly string[] = [], max = 5): string {
  let t = text;
  const n = 1 + rng.int(max);
  for (let k = 0; k < n; k++) {
    const pos = rng.int(t.length + 1);
    const lines = t.split('\n');
    const li = rng.int(lines.length);
    switch (rng.int(11)) {
      case 0:
      case 1:
        t = t.slice(0, pos) + rng.pick(TOKENS) + t.slice(pos);
        break;
      case 2:
        t = t.slice(0, pos) + t.slice(pos + 1 + rng.int(20));
        break;
      case 3:
        t = t.slice(0, pos) + String.fromCharCode(rng.int(rng.chance(0.9) ? 128 : 0x3000)) + t.slice(pos + 1);
        break;
      case 4:
        lines.splice(li, 0, lines[li]);
        t = lines.join('\n');
        break;
      case 5:
        lines.splice(li, 1);
        t = lines.join('\n');
        break;
      case 6: {
        const d = rng.pick([-4, -2, -1, 1, 2, 4]);
        lines[li] = d > 0 ? ' '.repeat(d) + lines[li] : lines[li].replace(new RegExp(`^ {0,${-d}}`), '');
        t = lines.join('\n');
        break;
      }
      case 7: {
        const lj = rng.int(lines.length);
        [lines[li], lines[lj]] = [lines[lj], lines[li]];
        t = lines.join('\n');
        break;
      }
      case 8:
        t = t.slice(0, pos);
        break;
      case 9:
        if (others.length) {
          const o = rng.pick(others);
          const p = rng.int(o.length + 1);
          t = t.slice(0, pos) + o.slice(p, p + 1 + rng.int(300)) + t.slice(pos);
        }
        break;
      default:
        lines.splice(li, 0, ...Array.from({ length: 1 + rng.int(30) }, () => lines[li]));
        t = lines.join('\n');
    }
  }
  return t;
}

const VALUES = ['yes', '0x10', '"quoted"', '~', '', '[]', '{}', '[a, b]', '{a: b}', '1e3', '-1', '0', 'true', '2001-01-01', '../other',
  '/abs', 'a b', '"${VAR}"', 'x'.repeat(300), 'Deployment', 'ConfigMap', 'v1', 'apps/v1', 'web', 'app', 'nginx:latest', 'null',
  '"a\\nb"', "'it''s'", '|\n  block', '>-\n  folded', '!!str 1', '&anchor v', '*anchor', '$patch', 'delete', 'replace', '"-"'];

/** Keeps the structure and swaps 1..3 values (the text after `key: `) for others: reaches code past the parser. */
export function mutateValues(rng: Rng, text: string): string {
  const lines = text.split('\n');
  const candidates = lines.map((l, i) => (/^\s*(- )?[^:#\s][^:#]*:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const i = rng.pick(candidates);
    lines[i] = lines[i].replace(/^(\s*(?:- )?[^:#\s][^:#]*:\s+).*$/, (_m, key: string) => `${key}${rng.pick(VALUES)}`);
  }
  return lines.join('\n');
}

const WORDS = ['a', 'b', 'name', 'spec', 'items', 'x y', 'yes', 'on', '1', '0x10', '1e3', '-', 'é', '~', 'null', 'true', '2001-01-01', 'k:v', '#c', '', '&', '*'];

function scalar(rng: Rng): string {
  const w = rng.pick(WORDS);
  switch (rng.int(5)) {
    case 0:
      return JSON.stringify(w);
    case 1:
      return `'${w.replace(/'/g, "''")}'`;
    case 2:
      return String(rng.int(1000) - 100);
    default:
      return /^[-a-z0-9]+$/i.test(w) && w !== '-' ? w : JSON.stringify(w);
  }
}

/**
 * Random block YAML with anchors on maps, lists and scalars, aliases to earlier anchors, and merge keys with
 * one alias or a list of them: the shapes go-yaml and js-yaml must agree on.
 */
export function randomAnchoredYaml(rng: Rng, depth = 0, indent = '', anchors: string[] = [], maps: string[] = []): string {
  const out: string[] = [];
  const n = depth === 0 ? 3 + rng.int(5) : 1 + rng.int(4);
  const keys = new Set<string>();
  if (depth > 0 && maps.length && rng.chance(0.3)) {
    const merged = rng.chance(0.5) ? `*${rng.pick(maps)}` : `[${Array.from({ length: 1 + rng.int(2) }, () => `*${rng.pick(maps)}`).join(', ')}]`;
    out.push(`${indent}<<: ${merged}`);
  }
  for (let i = 0; i < n; i++) {
    const key = `k${rng.int(6)}`;
    if (keys.has(key)) continue;
    keys.add(key);
    const r = rng.int(10);
    if (depth < 3 && r < 3) {
      const anchor = rng.chance(0.4) ? `m${anchors.length}` : undefined;
      const body = randomAnchoredYaml(rng, depth + 1, `${indent}  `, anchors, maps);
      out.push(`${indent}${key}:${anchor ? ` &${anchor}` : ''}\n${body}`);
      if (anchor) {
        anchors.push(anchor);
        maps.push(anchor);
      }
    } else if (depth < 3 && r < 5) {
      const items = Array.from({ length: 1 + rng.int(3) }, () => (anchors.length && rng.chance(0.3) ? `*${rng.pick(anchors)}` : scalar(rng)));
      out.push(rng.chance(0.5) ? `${indent}${key}: [${items.join(', ')}]` : `${indent}${key}:\n${items.map((x) => `${indent}- ${x}`).join('\n')}`);
    } else if (anchors.length && r < 7) {
      out.push(`${indent}${key}: *${rng.pick(anchors)}`);
    } else {
      const anchor = rng.chance(0.2) ? `s${anchors.length}` : undefined;
      out.push(`${indent}${key}: ${anchor ? `&${anchor} ` : ''}${scalar(rng)}`);
      if (anchor) anchors.push(anchor);
    }
  }
  return out.join('\n');
}

// --- fixtures ---------------------------------------------------------------------------------------------------

export interface FixtureFile {
  file: string; // relative to the repository
  text: string;
}

let fixtureCache: FixtureFile[] | undefined;

/** Every YAML file under fixtures/<case>/input/, sorted, so case numbers pick the same file everywhere. */
export function fixtureFiles(): FixtureFile[] {
  if (!fixtureCache) {
    const out: FixtureFile[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$|^Kustomization$/.test(e.name) && fs.statSync(p).size < 200_000) out.push({ file: path.relative(process.cwd(), p), text: fs.readFileSync(p, 'utf8') });
      }
    };
    for (const c of fs.readdirSync('fixtures').sort()) {
      const input = path.join('fixtures', c, 'input');
      if (fs.existsSync(input)) walk(input);
    }
    fixtureCache = out;
  }
  return fixtureCache;
}

/** Fixture folders that hold a kustomization at input/ (or at case.yaml's dir). */
export function fixtureCases(): string[] {
  return fs.readdirSync('fixtures').sort().filter((c) => fs.existsSync(path.join('fixtures', c, 'input')));
}
