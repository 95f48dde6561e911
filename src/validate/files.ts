// Schema checks of the files a user writes: kforge.yaml against schemas/kforge.schema.json and every
// kustomization an environment reaches (through resources, bases and components folders) against
// schemas/kustomization.schema.json. All problems of a file at once, each with its line.
import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { isKforgeError } from '../errors.js';
import { schemaDir } from '../project/config.js';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization.js';
import { displayPath, isRemote } from '../kustomize/loader.js';
import { isObject, type JsonValue } from '../resource.js';
import { parseYamlDocument, type ParseOptions } from '../yaml/parse.js';
import type { Finding } from './findings.js';
import { newAjv, problemsOf } from './json-schema.js';
import { dottedPath, lineOfPath } from './yaml-lines.js';

const validators = new Map<string, ValidateFunction>();
function schemaValidator(name: string): ValidateFunction {
  const known = validators.get(name);
  if (known) return known;
  const v: ValidateFunction = newAjv().compile(JSON.parse(fs.readFileSync(path.join(schemaDir, name), 'utf8')));
  validators.set(name, v);
  return v;
}

/** Parses one YAML document; a parse error becomes a finding (and undefined). */
function parse(text: string, file: string, rule: Finding['rule'], findings: Finding[], opts: ParseOptions = {}): JsonValue | undefined {
  try {
    return parseYamlDocument(text, file, opts) ?? null;
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    findings.push({ rule, file: e.location.file ?? file, line: e.location.line, path: e.location.path, message: e.message + (e.hint ? ` (${e.hint})` : '') });
    return undefined;
  }
}

/** Problems of `data` against a schema in schemas/, each located in `text`. */
export function checkAgainstSchema(schema: string, data: JsonValue, text: string, file: string, rule: Finding['rule']): Finding[] {
  const v = schemaValidator(schema);
  if (v(data)) return [];
  return problemsOf(v.errors)
    .map((p) => ({ rule, file, line: lineOfPath(text, p.path), path: dottedPath(p.path) || undefined, message: p.message }))
    .sort((a, b) => a.line - b.line); // ajv's order is its schema's; a reader goes down the file
}

/** kforge.yaml's problems; none means parseProject will accept the text's shape. */
export function checkProjectFile(text: string, file: string): Finding[] {
  const findings: Finding[] = [];
  const data = parse(text, file, 'project-schema', findings);
  if (data === undefined) return findings;
  return checkAgainstSchema('kforge.schema.json', data, text, file, 'project-schema');
}

function kustomizationFileIn(dir: string): string | undefined {
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => fs.existsSync(path.join(dir, n)));
  return found.length ? path.join(dir, found[0]) : undefined;
}

/** The kustomization folders listed by a kustomization (resources, bases, components that are local folders). */
function referencedFolders(data: JsonValue, dir: string): string[] {
  if (!isObject(data)) return [];
  const refs = ['resources', 'bases', 'components'].flatMap((k) => (Array.isArray(data[k]) ? (data[k] as JsonValue[]) : []));
  return refs
    .filter((r): r is string => typeof r === 'string' && !isRemote(r))
    .map((r) => path.resolve(dir, r))
    .filter((p) => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false; // a missing entry is the render's error to report, with its context
      }
    });
}

/** Checks every kustomization reachable from the given folders, each file once. */
export function checkKustomizations(roots: readonly string[]): { findings: Finding[]; files: string[] } {
  const findings: Finding[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const todo = [...roots].reverse();
  while (todo.length) {
    const dir = todo.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const file = kustomizationFileIn(real);
    if (!file) continue;
    const shown = displayPath(file);
    files.push(shown);
    const text = fs.readFileSync(file, 'utf8');
    // As kustomize reads kustomization files (go-yaml v2): `namePrefix: yes` is a boolean, and its error.
    const data = parse(text, shown, 'kustomization-schema', findings, { resolution: 'kustomization' });
    if (data === undefined) continue;
    findings.push(...checkAgainstSchema('kustomization.schema.json', data, text, shown, 'kustomization-schema'));
    todo.push(...referencedFolders(data, real).reverse());
  }
  return { findings, files };
}
