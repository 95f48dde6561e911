// The injected logger: commands print through it, so tests capture output and --quiet/--verbose work without
// monkey-patching.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  verbose(message: string): void;
}

export interface LoggerOptions {
  quiet?: boolean;
  verbose?: boolean;
  stderr?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const write = opts.stderr ?? ((line: string) => process.stderr.write(line + '\n'));
  return {
    info: (m) => { if (!opts.quiet) write(m); },
    warn: (m) => write(`warning: ${m}`),
    verbose: (m) => { if (opts.verbose) write(m); },
  };
}

/** A logger that records everything, for tests. */
export function memoryLogger(): Logger & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (m) => { lines.push(m); },
    warn: (m) => { warnings.push(m); lines.push(`warning: ${m}`); },
    verbose: () => {},
  };
}
