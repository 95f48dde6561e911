// Generator sources that need parsing: `key=value` literals and env files, with kustomize's rules
// (literals lose one pair of surrounding quotes, env files keep values verbatim, `#` lines are comments).
import { InputError } from '../errors.js';

export function parseLiteral(source: string, file: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new InputError(`invalid literal '${source}', expected key=value`, { file });
  let value = source.slice(eq + 1);
  if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) value = value.slice(1, -1);
  return [source.slice(0, eq), value];
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function parseEnvFile(text: string, file: string, env: Readonly<Record<string, string | undefined>> = {}): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!ENV_NAME.test(key)) throw new InputError(`'${key}' is not a valid environment variable name`, { file, line: i + 1 });
    // A bare KEY takes its value from the environment in kustomize; kforge keeps renders reproducible.
    if (eq < 0) {
      if (env[key] === undefined) {
        throw new InputError(`'${key}' has no value`, { file, line: i + 1 }, 'kforge does not read values from the environment, so renders stay reproducible: write KEY=value');
      }
      out.push([key, env[key] ?? '']);
      return;
    }
    out.push([key, line.slice(eq + 1)]);
  });
  return out;
}
