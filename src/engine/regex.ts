/**
 * Regular expressions that come from input or configuration (CRD `pattern`s, `--schema-location`
 * schemas, rule options with `format: regex`, policy parameters) run on RE2 semantics in linear
 * time, as the API server (Go `regexp`) and OPA do: no catastrophic backtracking, and RE2 syntax
 * such as `[[:alnum:]]`, `(?i)` or `\z` means what it means there. A pattern RE2 rejects is an
 * error (PatternError), never "match anything". See docs/adr/0013-re2-for-untrusted-patterns.md.
 *
 * The engine is re2js (a pure JavaScript port of RE2: installs with Node alone, no native build).
 * It is loaded on first use, so a run that meets no such pattern does not pay to parse it.
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';

/** A compiled pattern: `test` searches (unanchored, like Go's MatchString and JSON Schema). */
export interface Pattern {
  readonly source: string;
  test(s: string): boolean;
  /** The whole string matches (anchored at both ends). */
  testFull(s: string): boolean;
  /** The pieces between matches, trailing empty pieces kept (Go's `Split(s, -1)`). */
  split(s: string): string[];
}

/** A pattern that RE2 does not accept; `reason` is RE2's own description. */
export class PatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(pattern)} is not a valid RE2 regular expression: ${reason}`);
  }
}

type RE2JSStatic = typeof RE2JSClass;
let engine: RE2JSStatic | undefined;
function re2js(): RE2JSStatic {
  if (!engine) {
    const require = createRequire(import.meta.url);
    engine = (require('re2js') as { RE2JS: RE2JSStatic }).RE2JS;
  }
  return engine;
}

/** Longest pattern accepted (the API server limits whole objects, not patterns; this bounds compile cost). */
export const MAX_PATTERN_LENGTH = 16 * 1024;
/** Compiled patterns kept (least recently used dropped first): the webhook lives for days. */
const CACHE_SIZE = 1024;
const cache = new Map<string, Pattern | PatternError>();

/** Compile `source` with RE2 (cached per pattern string); throws PatternError when RE2 rejects it. */
export function compilePattern(source: string): Pattern {
  let hit = cache.get(source);
  if (hit !== undefined) {
    // Refresh its place in the LRU order.
    cache.delete(source);
    cache.set(source, hit);
  } else {
    hit = compileUncached(source);
    cache.set(source, hit);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  if (hit instanceof PatternError) throw hit;
  return hit;
}

function compileUncached(source: string): Pattern | PatternError {
  if (source.length > MAX_PATTERN_LENGTH)
    return new PatternError(
      source.slice(0, 40) + '…',
      `longer than ${MAX_PATTERN_LENGTH} characters (${source.length})`,
    );
  let re: RE2JSClass;
  try {
    re = re2js().compile(source);
  } catch (err) {
    // "error parsing regexp: <what>: `<where>`", as Go's regexp words it.
    const reason = err instanceof Error ? err.message : String(err);
    return new PatternError(source, reason.replace(/^error parsing regexp: /, ''));
  }
  return {
    source,
    test: (s) => re.test(s),
    testFull: (s) => re.testExact(s),
    split: (s) => re.split(s, -1),
  };
}

/** Why RE2 rejects `source`, or undefined when it compiles. */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (err) {
    if (err instanceof PatternError) return err.reason;
    throw err;
  }
}

/**
 * ajv's `code.regExp` option: ajv compiles `pattern` / `patternProperties` through RE2 too.
 * (ajv passes the "u" flag; RE2 is always Unicode-aware.)
 */
export const ajvRegExp = Object.assign(
  (source: string): { test(s: string): boolean; toString(): string } => {
    const p = compilePattern(source);
    return { test: (s: string) => p.test(s), toString: () => `/${source}/` };
  },
  { code: 'shipshapeRe2' },
);

/** An ajv `format: regex` check with RE2 syntax. */
export const isRe2Pattern = (s: string): boolean => patternProblem(s) === undefined;
