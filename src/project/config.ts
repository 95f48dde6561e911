// Reads kforge.yaml: finds it (cwd upwards, like git finds .git), validates it against
// schemas/kforge.schema.json and resolves environment paths against the project root.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { InputError, NotFoundError } from '../errors.js';
import { parseYamlDocument } from '../yaml/parse.js';

export const PROJECT_FILE = 'kforge.yaml';

export interface ImageSpec {
  name: string;
  context: string;
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  target?: string;
  platforms?: string[];
}

export interface EnvironmentSpec {
  path: string;
  kubeContext?: string;
  protected?: boolean;
  allowSecrets?: boolean;
  branches?: string[];
  /** Policy rules of `kforge validate` switched on or off, by rule id (src/validate/policies.ts); all on by default. */
  policies?: Record<string, boolean>;
}

export interface ProjectFile {
  apiVersion: 'kforge.dev/v1alpha1';
  kind: 'Project';
  registry?: string;
  images?: ImageSpec[];
  environments: Record<string, EnvironmentSpec>;
  release?: { branch?: string; provenanceAnnotation?: boolean };
  /** `kforge ci`: a scanner run on each project image before releasing (a string split on spaces, or arguments). */
  scan?: string | string[];
  /** `kforge ci`: where to POST a summary; the URL itself comes from the environment variable `urlEnv`. */
  notify?: { webhook?: { urlEnv: string } };
}

export interface Environment extends EnvironmentSpec {
  name: string;
}

export interface Project {
  /** Absolute path of the folder holding kforge.yaml; every path in the file is relative to it. */
  root: string;
  file: string;
  spec: ProjectFile;
  environments: Environment[];
  releaseBranch: string;
}

export const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params: Record<string, unknown> }[] | null };
let validator: Validator | undefined;
function validate(data: unknown) {
  if (!validator) {
    const require = createRequire(import.meta.url);
    // The bundled CLI ships the schema precompiled by ajv (scripts/bundle.mjs): loading ajv and compiling the
    // schema costs more than a whole small render. From sources (tests, tsx) ajv compiles it here.
    const precompiled = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kforge-schema-validate.cjs');
    if (fs.existsSync(precompiled)) {
      validator = require(precompiled) as Validator;
    } else {
      const Ajv = require('ajv').default as typeof import('ajv').default;
      const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, 'kforge.schema.json'), 'utf8'));
      validator = new Ajv({ allErrors: true, strict: false }).compile(schema) as unknown as Validator;
    }
  }
  return { ok: validator!(data), errors: validator!.errors ?? [] };
}

/** Finds kforge.yaml in `start` or its parents. */
export function findProjectFile(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, PROJECT_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Parses and validates the text of a project file. `file` names it in errors. */
export function parseProject(text: string, file: string): Project {
  const data = parseYamlDocument(text, file);
  const { ok, errors } = validate(data);
  if (!ok) {
    const e = errors[0];
    const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
    const extra = e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : '';
    const allowed = e.params && 'allowedValue' in e.params ? ` ${JSON.stringify(e.params.allowedValue)}` : '';
    throw new InputError(`invalid project file: ${where}: ${e.message}${extra}${allowed}`, { file }, 'see schemas/kforge.schema.json');
  }
  const spec = data as unknown as ProjectFile;
  const root = path.dirname(path.resolve(file));
  const names = new Set<string>();
  for (const img of spec.images ?? []) {
    if (names.has(img.name)) throw new InputError(`image '${img.name}' is declared twice`, { file });
    names.add(img.name);
  }
  return {
    root,
    file,
    spec,
    environments: Object.entries(spec.environments).map(([name, env]) => ({ name, ...env })),
    releaseBranch: spec.release?.branch ?? 'release',
  };
}

/** Loads the project from `--config FILE`, or by searching from `cwd` upwards. */
export function loadProject(opts: { config?: string; cwd?: string } = {}): Project {
  const file = opts.config ? path.resolve(opts.cwd ?? process.cwd(), opts.config) : findProjectFile(opts.cwd ?? process.cwd());
  if (!file) {
    throw new NotFoundError(`no ${PROJECT_FILE} in ${opts.cwd ?? process.cwd()} or any parent folder`, {}, 'run kforge in a kforge project, or pass --config FILE');
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new NotFoundError(`cannot read project file`, { file });
  }
  const rel = path.relative(process.cwd(), file);
  return parseProject(text, rel && !rel.startsWith('..') ? rel : file);
}

/** The environments named (all when none), in the order given; unknown names are an error. */
export function selectEnvironments(project: Project, names: readonly string[] | undefined): Environment[] {
  if (!names || names.length === 0) return project.environments;
  return names.map((n) => {
    const env = project.environments.find((e) => e.name === n);
    if (!env) {
      throw new NotFoundError(`unknown environment '${n}'`, { file: project.file }, `known: ${project.environments.map((e) => e.name).join(', ')}`);
    }
    return env;
  });
}
