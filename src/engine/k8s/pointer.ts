/**
 * JSON pointers (RFC 6901): the one encoder/decoder of the project. Findings, fixes, source maps
 * and the admission mapping all address fields this way.
 */

/** Decode one reference token (`~1` → `/`, `~0` → `~`). */
export const decodeToken = (t: string): string =>
  t.includes('~') ? t.replace(/~1/g, '/').replace(/~0/g, '~') : t;

/** Encode one reference token (`~` → `~0`, `/` → `~1`). */
export const escapeSegment = (s: string): string =>
  s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;

/** Decode a pointer into reference tokens; null when malformed (non-empty and not starting with `/`). */
export function parsePointer(pointer: string): string[] | null {
  if (pointer === '') return [];
  if (pointer.charCodeAt(0) !== 47) return null;
  const parts = pointer.slice(1).split('/');
  for (let i = 0; i < parts.length; i++) parts[i] = decodeToken(parts[i]!);
  return parts;
}

/** The reference tokens of a pointer that must be well-formed (a patch path); throws otherwise. */
export function pointerTokens(pointer: string): string[] {
  const tokens = parsePointer(pointer);
  if (tokens === null) throw new Error(`not a JSON pointer: ${JSON.stringify(pointer)}`);
  return tokens;
}

/** The pointer of a list of (unencoded) reference tokens. */
export const toPointer = (tokens: readonly string[]): string => {
  let out = '';
  for (const t of tokens) out += '/' + escapeSegment(t);
  return out;
};

/** Read the value at a pointer (undefined when any step is missing). */
export function getAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[decodeToken(raw)];
  }
  return cur;
}

/** Read the value under pre-split (unencoded) tokens, without allocating. */
export function getIn(root: unknown, tokens: readonly string[]): unknown {
  let cur = root;
  for (const t of tokens) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[t];
  }
  return cur;
}

/**
 * Pointer (below `base`) to the deepest existing, non-null step of `tokens` in `root`: where a
 * finding about a missing field points (its closest existing parent).
 */
export function closestPointer(root: unknown, tokens: readonly string[], base = ''): string {
  let cur = root;
  let out = base;
  for (const t of tokens) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) break;
    const next = (cur as Record<string, unknown>)[t];
    if (next === undefined || next === null || !Object.hasOwn(cur, t)) break;
    cur = next;
    out += '/' + escapeSegment(t);
  }
  return out;
}
