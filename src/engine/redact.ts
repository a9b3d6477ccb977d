/**
 * One rule for what shipshape never prints: schema messages, `--fix-dry-run` diffs, syntax-error
 * messages, and (through them) every format, the webhook's denials and warnings, the editor and
 * logs. A value is sensitive when
 *  - it is inside a Secret, anywhere but its identity (apiVersion, kind, type, metadata.name,
 *    namespace, generateName, labels): data, stringData and annotations such as
 *    last-applied-configuration all carry the secret;
 *  - a key on its path names a credential (`password`, `DB_TOKEN`, `apiKey`, … : the same
 *    heuristic as the secret rules, `nameSuggestsSecret`), whatever the value's type;
 *  - it is the `value` of an entry whose `name` or `key` names a credential (env vars:
 *    `{name: DB_PASSWORD, value: 27182818}`);
 *  - it contains a credential format (PEM private key, cloud and forge tokens, JWTs, URLs with a
 *    password: `credentialFormatIn`).
 * Pure; used by src/schema/validate.ts and src/source/redact-text.ts.
 */
import { credentialFormatIn, nameSuggestsSecret } from '../rules/_shared/secrets.js';

/** What is printed instead of a sensitive value. */
export const REDACTED = '<redacted>';

type Seg = string | number;

/** Paths of a Secret that identify it rather than carry it. */
function secretIdentity(segs: readonly Seg[]): boolean {
  const [a, b] = segs;
  if (segs.length === 1) return a === 'apiVersion' || a === 'kind' || a === 'type';
  if (a !== 'metadata') return false;
  if (segs.length === 2) return b === 'name' || b === 'namespace' || b === 'generateName';
  return b === 'labels';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A name that is a string and names a credential. */
const secretName = (v: unknown): boolean => typeof v === 'string' && nameSuggestsSecret(v);

/**
 * Must the value at `segs` (a path from `root`, e.g. a resource) never be printed? `value` is the
 * value there when the caller has it (else it is looked up).
 */
export function isSensitive(root: unknown, segs: readonly Seg[], value?: unknown): boolean {
  if (isObject(root) && root.kind === 'Secret' && segs.length > 0 && !secretIdentity(segs)) return true;
  let node: unknown = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (typeof seg === 'string' && nameSuggestsSecret(seg)) return true;
    // The value of a name/value entry naming a credential (env vars, parameters, …).
    if (seg === 'value' && isObject(node) && (secretName(node.name) || secretName(node.key))) return true;
    node = isObject(node) || Array.isArray(node) ? (node as Record<Seg, unknown>)[seg] : undefined;
  }
  const v = value === undefined ? node : value;
  return typeof v === 'string' && credentialFormatIn(v) !== undefined;
}

/** Does a free-standing string look like a credential (for text without structure)? */
export function looksLikeCredential(value: string): boolean {
  return credentialFormatIn(value) !== undefined;
}

/** Does a key name a credential (for text without structure)? */
export function keyNamesCredential(key: string): boolean {
  return nameSuggestsSecret(key);
}
