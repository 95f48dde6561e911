// kubectl-style durations (Go's time.ParseDuration): "90s", "5m", "1h30m", "500ms".
import { InputError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in `text`; a bare number is not accepted, as kubectl does not accept one either. */
export function parseDuration(text: string, flag = '--timeout'): number {
  const s = text.trim();
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!s || parts.map((p) => p[0]).join('') !== s) {
    throw new InputError(`invalid duration '${text}' for ${flag}`, {}, 'use a duration such as 90s, 5m or 1h30m');
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
  if (ms <= 0) throw new InputError(`${flag} must be longer than 0`, {}, 'use a duration such as 90s or 5m');
  return Math.round(ms);
}

/** A duration kubectl's --timeout accepts, e.g. "90s" or "1500ms". */
export function kubectlDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function describeDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
