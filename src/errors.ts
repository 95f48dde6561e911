// The error taxonomy: every failure kforge reports is one of these, so the CLI can print one format and pick
// one exit code. Context is added as prefixes while an error travels up ("rendering env 'prod': ...").

export interface Location {
  file?: string;
  line?: number; // 1-based
  path?: string; // a field path inside the document, e.g. spec.template.spec.containers[0]
}

export abstract class KforgeError extends Error {
  abstract readonly exitCode: number;
  readonly context: string[] = [];
  constructor(message: string, readonly location: Location = {}, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
  /** Adds an outer context, e.g. "rendering env 'dev'". Returns this for `throw err.within(...)`. */
  within(context: string): this {
    this.context.unshift(context);
    return this;
  }
  /** One line: `<context>: <file>:<line>: <what> (<hint>)`. */
  format(): string {
    const where = this.location.file
      ? `${this.location.file}${this.location.line ? `:${this.location.line}` : ''}: `
      : '';
    const path = this.location.path ? ` at ${this.location.path}` : '';
    const hint = this.hint ? ` (${this.hint})` : '';
    // One line always: input quoted in a message (a key, a path) may hold line breaks.
    return [...this.context, `${where}${this.message}${path}${hint}`].join(': ').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  }
}

/** The user's input is wrong: a file, a field, a flag. */
export class InputError extends KforgeError {
  readonly exitCode = 2;
}

/** Something named does not exist: a file, an environment, a kube context, a git ref. */
export class NotFoundError extends KforgeError {
  readonly exitCode = 2;
}

/** An external command failed (git, kubectl, buildah, ...). */
export class CommandError extends KforgeError {
  readonly exitCode = 3;
  constructor(
    readonly command: string,
    readonly commandExitCode: number | undefined,
    readonly stderrTail: string,
    message?: string,
  ) {
    super(message ?? `${command} failed${commandExitCode === undefined ? '' : ` with exit code ${commandExitCode}`}${stderrTail ? `: ${stderrTail}` : ''}`);
  }
}

/** A check the user asked for did not pass (validation findings, an apply wave that never got ready). */
export class CheckFailedError extends KforgeError {
  readonly exitCode = 1;
}

/** A broken invariant inside kforge. */
export class InternalError extends KforgeError {
  readonly exitCode = 70;
  constructor(message: string) {
    super(message, {}, 'this is a bug in kforge, please report it');
  }
}

export function isKforgeError(e: unknown): e is KforgeError {
  return e instanceof KforgeError;
}

/** Runs `fn`, prefixing any kforge error it throws with `context`. */
export function withContext<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isKforgeError(e)) throw e.within(context);
    throw e;
  }
}

export async function withContextAsync<T>(context: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isKforgeError(e)) throw e.within(context);
    throw e;
  }
}
