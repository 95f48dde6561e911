// ajv, loaded on first use (it costs more start-up time than a whole render), and its errors turned into
// plain problems: a field path and one sentence, in the words the API server's strict decoding uses.
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import type { PathSegment } from './yaml-lines.js';
import { dottedPath, pointerSegments } from './yaml-lines.js';

export type { ValidateFunction };

export interface SchemaProblem {
  path: PathSegment[];
  message: string;
}

// verbose: errors carry the offending value, so a type error can say what it got. Formats are not checked:
// the API server's decoder does not, and the schemas here keep none.
export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, validateFormats: false } as const;

/** A new ajv; `code.source` keeps the generated code so it can be saved as a standalone module. */
export function newAjv(code: { source?: boolean } = {}): AjvClass {
  const Ajv = (createRequire(import.meta.url)('ajv') as { default: typeof AjvClass }).default;
  return new Ajv({ ...AJV_OPTIONS, code });
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  const text = JSON.stringify(v);
  return `${typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

/** One problem per ajv error, without repeats; `anyOf`/`oneOf` summaries are dropped when their branches speak. */
export function problemsOf(errors: readonly ErrorObject[] | null | undefined): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  const add = (path: PathSegment[], message: string) => {
    const key = `${dottedPath(path)}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path, message });
  };
  for (const e of errors ?? []) {
    const at = pointerSegments(e.instancePath);
    const p = e.params as Record<string, unknown>;
    if (e.propertyName !== undefined) {
      // A key that propertyNames refuses: name the key, not the map.
      const key = [...at, e.propertyName];
      const allowed = e.keyword === 'enum' ? ` (one of ${(p.allowedValues as unknown[]).map(String).join(', ')})` : e.keyword === 'pattern' ? ` (must match ${String(p.pattern)})` : '';
      add(key, `${dottedPath(at)}: "${e.propertyName}" is not a valid key${allowed}`);
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = [...at, String(p.additionalProperty)];
        add(field, `unknown field "${dottedPath(field)}"`);
        break;
      }
      case 'required': {
        const field = [...at, String(p.missingProperty)];
        add(at, `missing required field "${dottedPath(field)}"`);
        break;
      }
      case 'type':
        add(at, `${dottedPath(at) || '(root)'}: expected ${String(p.type).replace(/,/g, ' or ')}, got ${describeValue(e.data)}`);
        break;
      case 'enum':
        add(at, `${dottedPath(at) || '(root)'}: ${describeValue(e.data)} is not one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'const':
        add(at, `${dottedPath(at) || '(root)'}: must be ${JSON.stringify(p.allowedValue)}`);
        break;
      case 'anyOf':
      case 'oneOf':
      case 'propertyNames':
        break;
      default:
        add(at, `${dottedPath(at) || '(root)'}: ${e.message ?? e.keyword}`);
    }
  }
  return out;
}
