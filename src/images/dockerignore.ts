// Which files of a build context the builder can see: .dockerignore parsed and matched exactly as Docker's
// moby/patternmatcher does (Go filepath.Match syntax plus `**`, `!` exceptions, last match wins, a pattern that
// matches a parent folder excludes everything below it).
import path from 'node:path';
import { InputError } from '../errors.js';

export interface IgnorePattern {
  /** The cleaned pattern, '/'-separated, relative to the context root. */
  pattern: string;
  exclusion: boolean;
  regex: RegExp;
  /** Segment regexes, used to decide whether an excluded folder can still hold re-included files. */
  segments: string[];
}

export interface IgnoreMatcher {
  patterns: readonly IgnorePattern[];
  /** True when the builder does not see `rel` ('/'-separated, relative to the context). */
  excludes(rel: string): boolean;
  /** True when an excluded folder must still be walked because an exception may re-include something in it. */
  mayReincludeUnder(relDir: string): boolean;
}

const REGEX_SPECIAL = new Set(['.', '+', '(', ')', '|', '{', '}', '$', '^']);

/** Converts one cleaned pattern to an anchored regex, as patternmatcher's compile() does. */
export function patternToRegex(pattern: string): RegExp {
  let re = '^';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (inClass) {
      if (ch === ']') inClass = false;
      if (ch === '\\' && i + 1 < pattern.length) {
        re += `\\${pattern[++i]}`;
        continue;
      }
      re += ch;
      continue;
    }
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // "**/" counts as "**"; "**" at the end accepts everything, like .gitignore.
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\') {
      re += i + 1 < pattern.length ? `\\${pattern[++i]}` : '\\\\';
    } else if (ch === '[') {
      inClass = true;
      re += ch;
    } else if (REGEX_SPECIAL.has(ch)) {
      re += `\\${ch}`;
    } else {
      re += ch;
    }
  }
  return new RegExp(`${re}$`, 's');
}

/** Go's filepath.Clean for '/'-separated paths. */
function cleanPath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** Parses the text of a .dockerignore file. `file` names it in errors. */
export function parseDockerignore(text: string, file: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((rawLine, i) => {
    // Comments are recognised before trimming, as Docker does: " # x" is a pattern.
    if (rawLine.startsWith('#')) return;
    let p = rawLine.trim();
    if (!p) return;
    const exclusion = p.startsWith('!');
    if (exclusion) p = p.slice(1).trim();
    if (!p) throw new InputError(`illegal exclusion pattern "!"`, { file, line: i + 1 });
    p = cleanPath(p);
    if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    let regex: RegExp;
    try {
      regex = patternToRegex(p);
    } catch {
      throw new InputError(`bad pattern '${rawLine.trim()}'`, { file, line: i + 1 }, 'patterns use Go filepath.Match syntax plus **');
    }
    if (/\[[^\]]*$/.test(p.replace(/\\./g, ''))) throw new InputError(`bad pattern '${rawLine.trim()}': unclosed [`, { file, line: i + 1 });
    out.push({ pattern: p, exclusion, regex, segments: p.split('/') });
  });
  return out;
}

function matchesOrParentMatches(p: IgnorePattern, rel: string): boolean {
  if (p.regex.test(rel)) return true;
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    if (p.regex.test(parts.slice(0, i).join('/'))) return true;
  }
  return false;
}

export function createIgnoreMatcher(patterns: readonly IgnorePattern[]): IgnoreMatcher {
  const exceptions = patterns.filter((p) => p.exclusion);
  const segmentRegex = new Map<string, RegExp>();
  const segMatches = (seg: string, name: string) => {
    let r = segmentRegex.get(seg);
    if (!r) segmentRegex.set(seg, (r = patternToRegex(seg)));
    return r.test(name);
  };
  return {
    patterns,
    excludes(rel) {
      let matched = false;
      for (const p of patterns) {
        // An inclusion cannot change an already excluded path, nor an exception an included one.
        if (p.exclusion !== matched) continue;
        if (matchesOrParentMatches(p, rel)) matched = !p.exclusion;
      }
      return matched;
    },
    mayReincludeUnder(relDir) {
      const dirParts = relDir.split('/');
      return exceptions.some((p) => {
        for (let i = 0; i < dirParts.length; i++) {
          const seg = p.segments[i];
          if (seg === undefined) return false;
          if (seg.includes('**')) return true;
          if (!segMatches(seg, dirParts[i])) return false;
        }
        return p.segments.length > dirParts.length;
      });
    },
  };
}
