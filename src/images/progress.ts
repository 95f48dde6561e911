// Build progress per image: a live block of status lines on a terminal, plain log lines everywhere else (CI).
import type { Logger } from '../log.js';

export interface Progress {
  /** A new status for an image (queued, building, pushing, pushed …). */
  status(name: string, status: string): void;
  /** One line of the builder's output for an image. */
  output(name: string, line: string): void;
  /** Stops live redrawing; the final state stays on screen. */
  close(): void;
}

/** One log line per status change; builder output only with --verbose. */
export function plainProgress(logger: Logger): Progress {
  return {
    status: (name, status) => logger.info(`${name}: ${status}`),
    output: (name, line) => logger.verbose(`${name} | ${line}`),
    close: () => {},
  };
}

/** Builders draw their own progress bars: the text after the last carriage return, without escapes. */
export function visibleText(line: string): string {
  return (line.split('\r').at(-1) ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x1f\x7f]/g, '').trim();
}

/** Redraws one line per image in place: `name  status  last builder line`. */
export function ttyProgress(stream: NodeJS.WriteStream, names: readonly string[]): Progress {
  const rows = new Map(names.map((n) => [n, { status: 'waiting', last: '' }]));
  const width = Math.max(...names.map((n) => n.length));
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    const cols = stream.columns || 100;
    let out = drawn ? `\x1b[${drawn}A` : '';
    for (const [name, r] of rows) {
      const text = `${name.padEnd(width)}  ${r.status}${r.last ? `  ${r.last}` : ''}`;
      out += `\x1b[2K${text.slice(0, cols - 1)}\n`;
    }
    drawn = rows.size;
    stream.write(out);
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(draw, 80);
  };
  return {
    status(name, status) {
      rows.set(name, { status, last: '' });
      if (timer) clearTimeout(timer);
      draw();
    },
    output(name, line) {
      const r = rows.get(name);
      const text = visibleText(line);
      if (r && text) {
        r.last = text;
        schedule();
      }
    },
    close() {
      if (timer) clearTimeout(timer);
      for (const r of rows.values()) r.last = '';
      draw();
    },
  };
}
