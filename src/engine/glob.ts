/**
 * Globs from configuration (`ignorePaths`, exemption `names` and `paths`, the editor's `files`),
 * matched in linear time. picomatch turns a glob into a backtracking JavaScript RegExp: a glob such
 * as `*a*a*a*a*a*a*a*a*a*a*a*b` or `@(a*|*a)*(a*|*a)*(a*|*a)b` takes seconds to minutes on a
 * 30-character name. Here a glob is translated to an RE2 pattern instead (src/engine/regex.ts).
 *
 * Syntax (picomatch's with `dot: true`, less extglobs): `*` any run of characters within a path
 * segment, `?` one character, `**` as a whole segment any number of segments, `[abc]`, `[a-z]`,
 * `[!a]` / `[^a]`, `[[:alpha:]]`, `{a,b}` alternatives (nested up to 8 deep), `\x` a literal x. A
 * leading `./` is ignored. Wildcards never match the `.` and `..` segments (a path outside the
 * config folder matches only a glob that starts with `../`). Extglobs (`+(…)`, `!(…)`, …) are
 * refused with a GlobError, as are globs over 1,024 characters.
 */
import { compilePattern, type Pattern } from './regex.js';

export const MAX_GLOB_LENGTH = 1024;
const MAX_BRACE_DEPTH = 8;

/** A glob that shipshape does not accept, with the reason. */
export class GlobError extends Error {
  constructor(
    readonly glob: string,
    readonly reason: string,
  ) {
    super(`glob ${JSON.stringify(glob.length > 80 ? glob.slice(0, 77) + '…' : glob)} ${reason}`);
  }
}

const REGEX_SPECIAL = /[\\.+*?()|[\]{}^$]/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** Translate one glob to an RE2 pattern source (anchored at both ends). Throws GlobError. */
export function globToRe2(globIn: string): string {
  if (globIn.length > MAX_GLOB_LENGTH)
    throw new GlobError(globIn, `is longer than ${MAX_GLOB_LENGTH} characters (${globIn.length})`);
  const glob = globIn.startsWith('./') ? globIn.slice(2) : globIn;
  let out = '';
  /** Open `{`: how many alternatives each has seen (for the `,` → `|` decision). */
  const braces: number[] = [];
  const n = glob.length;
  for (let i = 0; i < n; i++) {
    const c = glob[i]!;
    const atSegmentStart = i === 0 || glob[i - 1] === '/';
    if ((c === '@' || c === '!' || c === '+' || c === '*' || c === '?') && glob[i + 1] === '(')
      throw new GlobError(
        globIn,
        `uses the extended glob ${c}(…), which is not supported; use {a,b} alternatives`,
      );
    if (c === '\\') {
      const next = glob[i + 1];
      if (next === undefined) throw new GlobError(globIn, 'ends with a lone backslash');
      out += escapeChar(next);
      i++;
    } else if (c === '*') {
      let j = i;
      while (glob[j] === '*') j++;
      const stars = j - i;
      const atSegmentEnd = j === n || glob[j] === '/';
      if (stars >= 2 && atSegmentStart && atSegmentEnd) {
        if (j === n) {
          // `**` at the end: anything below (or, after `a/`, `a` itself, as picomatch does).
          if (out.endsWith('/')) out = out.slice(0, -1) + '(?:/.*)?';
          else out += '.*';
        } else {
          out += '(?:[^/]*/)*'; // `**/`: any number of whole segments
          j++; // the `/` is part of it
        }
      } else if (atSegmentStart && atSegmentEnd) out += '[^/]+';
      else out += '[^/]*';
      i = j - 1;
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = classEnd(glob, i);
      if (end < 0) out += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        let negate = false;
        if (body.startsWith('!') || body.startsWith('^')) {
          negate = true;
          body = body.slice(1);
        }
        out += `[${negate ? '^/' : ''}${body.replace(/\\(?!\[:)/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      if (braceEnd(glob, i) < 0) {
        out += '\\{';
        continue;
      }
      if (braces.length >= MAX_BRACE_DEPTH)
        throw new GlobError(globIn, `nests {…} more than ${MAX_BRACE_DEPTH} deep`);
      braces.push(0);
      out += '(?:';
    } else if (c === ',' && braces.length > 0) {
      braces[braces.length - 1]!++;
      out += '|';
    } else if (c === '}' && braces.length > 0) {
      braces.pop();
      out += ')';
    } else out += escapeChar(c);
  }
  return `^${out}$`;
}

function escapeChar(c: string): string {
  return REGEX_SPECIAL.test(c) ? '\\' + c : c;
}

/** Index of the `]` closing the class opened at `i`, or -1 (then `[` is a literal). */
function classEnd(glob: string, i: number): number {
  let j = i + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++; // a leading ] is literal
  for (; j < glob.length; j++) {
    if (glob[j] === '/') return -1;
    if (glob[j] === '[' && glob[j + 1] === ':') {
      const close = glob.indexOf(':]', j + 2);
      if (close > 0) {
        j = close + 1;
        continue;
      }
    }
    if (glob[j] === ']') return j;
  }
  return -1;
}

/** Index of the `}` closing the brace opened at `i` when it holds a top-level `,`, else -1. */
function braceEnd(glob: string, i: number): number {
  let depth = 0;
  let comma = false;
  for (let j = i; j < glob.length; j++) {
    const c = glob[j];
    if (c === '\\') j++;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return comma ? j : -1;
    } else if (c === ',' && depth === 1) comma = true;
  }
  return -1;
}

interface CompiledGlob {
  pattern: Pattern;
  dotSegments: boolean;
}

function compileGlob(glob: string): CompiledGlob {
  const source = globToRe2(glob);
  let pattern: Pattern;
  try {
    pattern = compilePattern(source);
  } catch (err) {
    throw new GlobError(glob, `cannot be compiled: ${(err as Error).message}`);
  }
  return { pattern, dotSegments: DOT_SEGMENT.test(glob) };
}

/** Why `glob` is not accepted, or undefined. */
export function globProblem(glob: string): string | undefined {
  try {
    compileGlob(glob);
    return undefined;
  } catch (err) {
    if (err instanceof GlobError) return err.reason;
    throw err;
  }
}

/**
 * A matcher for a list of globs (true when any matches a `/`-separated path). Throws GlobError for
 * a glob it does not accept; config loading reports those first, with file and line.
 */
export function globsMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const compiled = globs.map(compileGlob);
  return (path) => {
    const dotted = DOT_SEGMENT.test(path);
    for (const g of compiled) if ((!dotted || g.dotSegments) && g.pattern.testFull(path)) return true;
    return false;
  };
}
