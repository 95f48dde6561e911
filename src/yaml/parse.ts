// Parses YAML text into plain JSON data, one entry per document, with the line each document starts at.
// Guards against what kustomize itself chokes on: alias bombs and absurd nesting fail fast with a clear error.
import yaml from 'js-yaml';
import { InputError } from '../errors.js';
import type { JsonValue } from '../resource.js';

export interface YamlDocument {
  value: JsonValue;
  line: number; // 1-based line where the document's content starts
  index: number;
}

/** Largest number of nodes a document may expand to once aliases are followed. */
const MAX_EXPANDED_NODES = 2_000_000;
const MAX_DEPTH = 500;

const SCHEMA = yaml.CORE_SCHEMA;

/** Splits a stream at `---` lines, keeping each document's starting line. */
function splitDocuments(text: string): { body: string; line: number }[] {
  const lines = text.split('\n');
  const docs: { body: string; line: number }[] = [];
  let start = 0;
  let current: string[] = [];
  const flush = () => {
    docs.push({ body: current.join('\n'), line: start + 1 });
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^---(\s|$)/.test(l)) {
      flush();
      start = i;
      current = [l];
    } else if (/^\.\.\.\s*$/.test(l)) {
      flush();
      start = i + 1;
      current = [];
    } else {
      current.push(l);
    }
  }
  flush();
  return docs;
}

/** Counts nodes as if aliases were expanded, memoising shared objects, and checks depth. */
function checkSize(value: unknown, file: string, line: number): void {
  const sizes = new Map<object, number>();
  const onPath = new Set<object>();
  const visit = (v: unknown, depth: number): number => {
    if (typeof v !== 'object' || v === null) return 1;
    if (depth > MAX_DEPTH) {
      throw new InputError(`YAML nesting deeper than ${MAX_DEPTH} levels`, { file, line }, 'this looks like generated or malicious input');
    }
    const known = sizes.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v)) throw new InputError('YAML alias refers to itself', { file, line });
    onPath.add(v);
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += visit(child, depth + 1);
      if (n > MAX_EXPANDED_NODES) {
        throw new InputError(
          `YAML aliases expand to more than ${MAX_EXPANDED_NODES} nodes`,
          { file, line },
          'an alias bomb? kforge refuses it instead of hanging',
        );
      }
    }
    onPath.delete(v);
    sizes.set(v, n);
    return n;
  };
  visit(value, 0);
}

function looksBinary(text: string): boolean {
  return text.includes('\u0000') || /[\u0001-\u0008\u000e-\u001f]/.test(text.slice(0, 8192));
}

/** Parses a YAML stream; empty documents are dropped (as kustomize does). */
export function parseYamlDocuments(text: string, file: string): YamlDocument[] {
  if (looksBinary(text)) throw new InputError('not a YAML file: it contains binary data', { file });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n/g, '\n');
  const out: YamlDocument[] = [];
  let index = 0;
  for (const doc of splitDocuments(text)) {
    let value: unknown;
    try {
      value = yaml.load(doc.body, { schema: SCHEMA, filename: file, json: false });
    } catch (e) {
      if (e instanceof yaml.YAMLException) {
        const line = e.mark ? doc.line + e.mark.line : doc.line;
        throw new InputError(`invalid YAML: ${e.reason}`, { file, line });
      }
      if (e instanceof RangeError) {
        throw new InputError('YAML nesting too deep to parse', { file, line: doc.line });
      }
      throw e;
    }
    if (value === undefined || value === null) continue;
    checkSize(value, file, doc.line);
    out.push({ value: value as JsonValue, line: doc.line, index: index++ });
  }
  return out;
}

/** Parses a single-document YAML file (a kustomization, kforge.yaml). */
export function parseYamlDocument(text: string, file: string): JsonValue | undefined {
  const docs = parseYamlDocuments(text, file);
  if (docs.length > 1) throw new InputError(`expected one YAML document, found ${docs.length}`, { file, line: docs[1].line });
  return docs[0]?.value;
}
