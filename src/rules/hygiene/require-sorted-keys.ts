/**
 * require-sorted-keys: the keys of every mapping of a resource are in alphabetical (code-point)
 * order; one finding per mapping, at its first key that sorts before the key above it.
 */
import { isObj } from '../../engine/k8s/object.js';
import { escapeSegment } from '../../engine/k8s/pointer.js';
import { defineCheck, NONE, type CheckResult } from '../../engine/rule.js';

export interface RequireSortedKeysOptions {
  /** Check nested mappings too (default), or only the top level. */
  recursive: boolean;
}

/** Limits, so that a huge document costs bounded work. */
const MAX_DEPTH = 64;
const MAX_FINDINGS = 100;

/**
 * Keys JavaScript objects list first, in numeric order, whatever their order in the file: a
 * mapping that has such a key has lost its source order, so it is not judged.
 */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,8})$/;

export const requireSortedKeys = defineCheck<'resource', RequireSortedKeysOptions>('resource', (ctx) => {
  const recursive = ctx.options.recursive !== false;
  let out: CheckResult[] | undefined;
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH || (out && out.length >= MAX_FINDINGS)) return;
    if (Array.isArray(value)) {
      if (recursive) value.forEach((v, i) => walk(v, `${path}/${i}`, depth + 1));
      return;
    }
    if (!isObj(value)) return;
    const keys = Object.keys(value);
    if (!keys.some((k) => ARRAY_INDEX.test(k)))
      for (let i = 1; i < keys.length; i++) {
        const [before, key] = [keys[i - 1]!, keys[i]!];
        if (key < before) {
          (out ??= []).push({ path: `${path}/${escapeSegment(key)}`, target: 'key', data: { key, before } });
          break;
        }
      }
    if (recursive) for (const k of keys) walk(value[k], `${path}/${escapeSegment(k)}`, depth + 1);
  };
  walk(ctx.target, '', 0);
  return out ?? NONE;
});
