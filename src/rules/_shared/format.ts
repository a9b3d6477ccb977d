/** How rule messages show values, keys, paths and counts. */

/** A value as messages show it (scalars plainly, anything else as JSON). */
export const show = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : (JSON.stringify(v) ?? 'undefined');

/** Print a key in a message: quoted, shortened when absurdly long. */
export const quote = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** `spec.template.metadata.labels` (and `[0]` for indexes) for messages. */
export const dotted = (segs: readonly string[]): string => {
  let out = '';
  for (const s of segs) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out;
};

/** `1 pod`, `3 pods`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
