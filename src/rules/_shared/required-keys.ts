/**
 * The required and recommended key rules (require-labels, require-annotations,
 * require-recommended-labels): keys that must be present (optionally matching a pattern) on the
 * object's metadata and, optionally, its pod template's.
 */
import { podMetadataPointerOf, type KindTable } from '../../engine/kinds.js';
import { asObj } from '../../engine/k8s/object.js';
import { compilePattern, type Pattern } from '../../engine/regex.js';
import { closestPointer, escapeSegment, getIn, toPointer } from '../../engine/k8s/pointer.js';
import { NONE, type CheckResult } from '../../engine/rule.js';
import type { KubeObject } from '../../engine/types.js';
import { quote } from './format.js';
import { tokensOf } from './metadata.js';

/** One required key: its name, or its name and a pattern its whole value must match. */
export type KeySpec = string | { key: string; pattern?: string };

/** The options of the three rules (`labels` or `annotations` by rule). */
export interface RequireKeysOptions {
  labels: KeySpec[];
  annotations: KeySpec[];
  /** Only these kinds (default: every kind the rule matches). */
  kinds: string[];
  /** Also check the pod template's metadata. */
  podTemplates: boolean;
}

interface KeyRequirement {
  key: string;
  pattern?: Pattern;
  source?: string;
}

interface CompiledRequirements {
  keys: KeyRequirement[];
  kinds?: Set<string>;
  podTemplates: boolean;
}

const compiledOptions = new WeakMap<object, CompiledRequirements>();

function compileRequirements(
  options: Readonly<Partial<RequireKeysOptions>>,
  field: 'labels' | 'annotations',
  ruleId: string,
): CompiledRequirements {
  let c = compiledOptions.get(options);
  if (c) return c;
  const raw: unknown[] = Array.isArray(options[field]) ? options[field] : [];
  const keys: KeyRequirement[] = raw.map((item, i) => {
    if (typeof item === 'string') return { key: item };
    const o = asObj(item) ?? {};
    const key = typeof o.key === 'string' ? o.key : '';
    if (typeof o.pattern !== 'string') return { key };
    try {
      // The pattern must match the whole value (RE2: linear time, as OPA and the API server).
      return { key, pattern: compilePattern(o.pattern), source: o.pattern };
    } catch (e) {
      throw new Error(
        `rule "${ruleId}": option ${field}[${i}].pattern is not a valid regular expression: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  });
  const kinds =
    Array.isArray(options.kinds) && options.kinds.length ? new Set(options.kinds.map(String)) : undefined;
  c = { keys, kinds, podTemplates: options.podTemplates === true };
  compiledOptions.set(options, c);
  return c;
}

/** Sites checked by the required/recommended key rules: the object's metadata and (optionally) its pod template's. */
function requirementSites(
  object: KubeObject,
  podTemplates: boolean,
  kinds: KindTable,
): Array<{ segs: readonly string[]; template: boolean }> {
  const sites: Array<{ segs: readonly string[]; template: boolean }> = [
    { segs: ['metadata'], template: false },
  ];
  const pod = podTemplates && object.kind !== 'Pod' ? podMetadataPointerOf(object, kinds) : undefined;
  if (pod !== undefined) sites.push({ segs: tokensOf(pod), template: true });
  return sites;
}

export function requireKeys(
  ctx: {
    object: KubeObject;
    options: Readonly<Partial<RequireKeysOptions>>;
    env: { kinds: KindTable };
  },
  field: 'labels' | 'annotations',
  ruleId: string,
  noun: string,
  adjective: string,
): CheckResult[] {
  const req = compileRequirements(ctx.options, field, ruleId);
  if (req.keys.length === 0) return NONE;
  if (req.kinds && !req.kinds.has(ctx.object.kind as string)) return NONE;
  let out: CheckResult[] | undefined;
  for (const { segs, template } of requirementSites(ctx.object, req.podTemplates, ctx.env.kinds)) {
    const mapSegs = [...segs, field];
    const map = asObj(getIn(ctx.object, mapSegs));
    for (const r of req.keys) {
      const v = map?.[r.key];
      if (v === undefined || v === null) {
        (out ??= []).push({
          path: map ? toPointer(mapSegs) : closestPointer(ctx.object, mapSegs),
          target: 'key',
          data: {
            problem: `${template ? 'has a pod template that lacks' : 'lacks'} the ${adjective} ${noun} ${quote(r.key)}`,
          },
        });
      } else if (r.pattern && !r.pattern.testFull(typeof v === 'string' ? v : JSON.stringify(v))) {
        (out ??= []).push({
          path: toPointer(mapSegs) + '/' + escapeSegment(r.key),
          data: {
            problem: `${template ? 'has a pod template whose' : 'has'} ${noun} ${quote(r.key)} ${template ? 'does not match' : 'with a value that does not match'} /${r.source}/`,
          },
        });
      } else if (!r.pattern && v === '' && field === 'labels' && adjective === 'recommended') {
        (out ??= []).push({
          path: toPointer(mapSegs) + '/' + escapeSegment(r.key),
          data: {
            problem: `${template ? 'has a pod template that sets' : 'sets'} the ${adjective} ${noun} ${quote(r.key)} to an empty value`,
          },
        });
      }
    }
  }
  return out ?? NONE;
}
