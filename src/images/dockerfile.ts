// Reads what kforge needs from a Dockerfile: its build stages, the image each stage starts FROM (after ARG
// substitution), the images `COPY --from` and `RUN --mount=from=` name, and a rewritten copy whose project-image references are pinned.
// Parsing follows BuildKit's rules for parser directives, line continuations, comments and heredocs.
import { InputError } from '../errors.js';

const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

export interface Instruction {
  keyword: string; // upper case
  /** The logical line after the keyword, continuations joined. */
  args: string;
  /** 0-based index of the first and last physical line. */
  startLine: number;
  endLine: number;
}

/** An image a Dockerfile reads from outside itself (not a previous stage). */
export interface ImageUse {
  /** The word as written, e.g. `${BASE}` or `coolapp-base:dev`. */
  raw: string;
  /** After ARG substitution. */
  value: string;
  via: 'FROM' | 'COPY --from' | 'RUN --mount';
  instruction: Instruction;
}

export interface Stage {
  index: number;
  name?: string;
  /** The stage's base: an image, or a previous stage's name. */
  base: string;
}

export interface Dockerfile {
  file: string;
  text: string;
  instructions: Instruction[];
  stages: Stage[];
  /** Images used by the stages up to the build target, in file order. */
  images: ImageUse[];
}

/** Splits the text into instructions; `file` names it in errors. */
export function splitInstructions(text: string, file: string): Instruction[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let escape = '\\';
  let i = 0;
  // Parser directives are comments of the form `# key=value` before anything else.
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw new InputError(`invalid escape directive '${m[2]}'`, { file, line: i + 1 }, 'use \\ or `');
      escape = m[2];
    }
  }
  const out: Instruction[] = [];
  const isComment = (l: string) => /^\s*#/.test(l);
  const continues = (l: string) => l.trimEnd().endsWith(escape);
  for (; i < lines.length; i++) {
    const first = lines[i];
    if (!first.trim() || isComment(first)) continue;
    const startLine = i;
    let logical = '';
    let line = first;
    for (;;) {
      if (continues(line)) {
        const t = line.trimEnd();
        logical += t.slice(0, -1);
        // Inside a continuation, comment and empty lines are dropped.
        do i++; while (i < lines.length && (isComment(lines[i]) || !lines[i].trim()));
        if (i >= lines.length) break;
        line = lines[i];
      } else {
        logical += line;
        break;
      }
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) {
      throw new InputError(`unknown instruction '${m[1]}'`, { file, line: startLine + 1 }, 'this is not a valid Dockerfile');
    }
    // Heredocs (`<<EOF`, `<<-"EOF"`) hold lines that are data, not instructions.
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const h of m[2].matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
        const word = h[3];
        const strip = h[1] === '-';
        do i++; while (i < lines.length && (strip ? lines[i].replace(/^\t+/, '') : lines[i]) !== word);
        if (i >= lines.length) throw new InputError(`heredoc '${word}' is never closed`, { file, line: startLine + 1 });
      }
    }
    out.push({ keyword, args: m[2].trim(), startLine, endLine: Math.min(i, lines.length - 1) });
  }
  return out;
}

/** Splits on whitespace, keeping quoted parts together and dropping the quotes. */
function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)) out.push(m[0].replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
  return out;
}

/** Expands $VAR, ${VAR}, ${VAR:-x}, ${VAR-x}, ${VAR:+x}, ${VAR+x}, ${VAR:?msg} as BuildKit's shell lexer does. */
export function substitute(s: string, vars: ReadonlyMap<string, string | undefined>, where: { file: string; line: number }): string {
  return s.replace(/\\\$|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (all, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    if (all === '\\$') return '$';
    const name = braced ?? bare!;
    const set = vars.has(name) && vars.get(name) !== undefined;
    const value = vars.get(name) ?? '';
    switch (op) {
      case undefined: return value;
      case ':-': return value ? value : word!;
      case '-': return set ? value : word!;
      case ':+': return value ? word! : '';
      case '+': return set ? word! : '';
      default:
        if (op === ':?' ? !value : !set) throw new InputError(`${name}: ${word || 'parameter not set'}`, where);
        return value;
    }
  });
}

/** Parses a Dockerfile. `buildArgs` override ARG defaults; `target` limits the stages that matter. */
export function parseDockerfile(text: string, file: string, opts: { buildArgs?: Record<string, string>; target?: string } = {}): Dockerfile {
  const instructions = splitInstructions(text, file);
  const globals = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const images: ImageUse[] = [];
  const stageNames = new Set<string>();
  let targetReached = false;
  for (const ins of instructions) {
    const where = { file, line: ins.startLine + 1 };
    if (ins.keyword === 'ARG' && stages.length === 0) {
      for (const w of words(ins.args)) {
        const eq = w.indexOf('=');
        const name = eq < 0 ? w : w.slice(0, eq);
        const dflt = eq < 0 ? undefined : substitute(w.slice(eq + 1), globals, where);
        globals.set(name, opts.buildArgs && name in opts.buildArgs ? opts.buildArgs[name] : dflt);
      }
      continue;
    }
    if (ins.keyword === 'FROM') {
      if (targetReached) break;
      const ws = words(ins.args).filter((w) => !w.startsWith('--'));
      if (ws.length !== 1 && !(ws.length === 3 && ws[1].toLowerCase() === 'as')) {
        throw new InputError(`FROM needs an image and optionally 'AS name', got '${ins.args}'`, where);
      }
      const raw = ws[0];
      const value = substitute(raw, globals, where);
      if (!value) throw new InputError(`FROM '${raw}' expands to an empty image name`, where, 'declare the ARG with a default before the first FROM, or pass it in buildArgs');
      const name = ws.length === 3 ? ws[2].toLowerCase() : undefined;
      stages.push({ index: stages.length, name, base: value });
      if (!stageNames.has(value.toLowerCase()) && value !== 'scratch') images.push({ raw, value, via: 'FROM', instruction: ins });
      if (name) stageNames.add(name);
      if (opts.target && name === opts.target.toLowerCase()) targetReached = true;
      continue;
    }
    if (stages.length === 0) throw new InputError(`${ins.keyword} before the first FROM`, where, 'only ARG may come before FROM');
    // `COPY --from=X` and `RUN --mount=...,from=X` read from a stage (by name or index) or from an image.
    const external = (v: string) => !(stageNames.has(v.toLowerCase()) || (/^\d+$/.test(v) && Number(v) < stages.length) || v.includes('$'));
    if (ins.keyword === 'COPY') {
      for (const w of words(ins.args)) {
        if (!w.startsWith('--')) break;
        const m = /^--from=(.+)$/.exec(w);
        if (m && external(m[1])) images.push({ raw: m[1], value: m[1], via: 'COPY --from', instruction: ins });
      }
    }
    if (ins.keyword === 'RUN') {
      for (const w of words(ins.args)) {
        if (!w.startsWith('--')) break;
        if (!w.startsWith('--mount=')) continue;
        const from = w.slice('--mount='.length).split(',').map((kv) => kv.split('=')).find(([k]) => k === 'from')?.[1];
        if (from && external(from)) images.push({ raw: from, value: from, via: 'RUN --mount', instruction: ins });
      }
    }
  }
  if (stages.length === 0) throw new InputError('no FROM instruction', { file }, 'a Dockerfile starts its first stage with FROM');
  if (opts.target && !targetReached) throw new InputError(`build target '${opts.target}' is not a stage of this Dockerfile`, { file });
  return { file, text, instructions, stages, images };
}

/** The Dockerfile text with some image uses replaced (e.g. a project image by its exact reference). */
export function rewriteImages(df: Dockerfile, replace: (use: ImageUse) => string | undefined): string {
  const lines = df.text.split('\n');
  for (const use of df.images) {
    const to = replace(use);
    if (to === undefined) continue;
    const { startLine, endLine } = use.instruction;
    const body = lines.slice(startLine, endLine + 1).join('\n');
    const needle = use.via === 'FROM' ? use.raw : use.via === 'COPY --from' ? `--from=${use.raw}` : `from=${use.raw}`;
    const repl = use.via === 'FROM' ? to : use.via === 'COPY --from' ? `--from=${to}` : `from=${to}`;
    // The word is found as a whole word after the keyword, so a flag or a stage name that contains it is left alone.
    const kw = /^\s*\S+/.exec(body)![0].length;
    const before = use.via === 'RUN --mount' ? `[\\s"',=]` : `[\\s"']`;
    const after = use.via === 'RUN --mount' ? `[\\s"',]` : `[\\s"']`;
    const re = new RegExp(`(^|${before})${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|${after})`);
    const rest = body.slice(kw);
    const m = re.exec(rest);
    if (!m) continue;
    const at = kw + m.index + m[1].length;
    const next = body.slice(0, at) + repl + body.slice(at + needle.length);
    lines.splice(startLine, endLine - startLine + 1, ...next.split('\n'));
  }
  return lines.join('\n');
}
