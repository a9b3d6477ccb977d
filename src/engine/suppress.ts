/**
 * Suppression by annotation: ours (`shipshape.dev/ignore`, `shipshape.dev/ignore.<container>`) and
 * the peers' where they map 1:1 to a rule (kube-linter, Polaris, kube-score), derived from each
 * rule's `references`. Pure.
 */
import { CONTAINER_POINTER } from './kinds.js';
import { getAt } from './k8s/pointer.js';
import type { RuleDefinition } from './rule.js';
import type { Finding, KubeObject, Suppression } from './types.js';

export const IGNORE_ANNOTATION = 'shipshape.dev/ignore';

/** Peer check name → our rule ids, per tool, computed from the rules' references. */
export interface AliasTable {
  kubeLinter: Map<string, string[]>;
  polaris: Map<string, string[]>;
  kubeScore: Map<string, string[]>;
}

export function aliasTable(defs: readonly RuleDefinition[]): AliasTable {
  const table: AliasTable = { kubeLinter: new Map(), polaris: new Map(), kubeScore: new Map() };
  const add = (m: Map<string, string[]>, names: string | string[] | undefined, id: string) => {
    for (const n of names === undefined ? [] : Array.isArray(names) ? names : [names])
      m.set(n, [...(m.get(n) ?? []), id]);
  };
  for (const d of defs) {
    add(table.kubeLinter, d.references?.['kube-linter'], d.id);
    add(table.polaris, d.references?.polaris, d.id);
    add(table.kubeScore, d.references?.['kube-score'], d.id);
  }
  return table;
}

/** Parse `rule-a, rule-b -- reason`; `*` or `all` means every rule. */
function parseIgnore(value: string): { rules: Set<string> | '*'; reason?: string } {
  const [body = '', reason] = value.split(/\s--\s?/, 2);
  const ids = body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    rules: ids.includes('*') || ids.includes('all') ? '*' : new Set(ids),
    reason: reason?.trim() || undefined,
  };
}

/** The container a finding's path points into, if any: its name. */
function containerOf(object: KubeObject, path: string): string | undefined {
  const m = CONTAINER_POINTER.exec(path);
  if (!m) return undefined;
  const name = (getAt(object, m[1]!) as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Annotations of the object and, for workloads, of its pod template. */
function annotationsOf(object: KubeObject): Record<string, unknown> | undefined {
  const a = (object.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  return a && typeof a === 'object' ? a : undefined;
}

/** Whether an annotation on the object suppresses this finding. */
export function annotationSuppression(
  finding: Finding,
  object: KubeObject,
  aliases: AliasTable,
): Suppression | undefined {
  const ann = annotationsOf(object);
  if (!ann) return undefined;
  const id = finding.ruleId;
  const hit = (value: unknown): Suppression | undefined => {
    if (typeof value !== 'string') return undefined;
    const p = parseIgnore(value);
    return p.rules === '*' || p.rules.has(id) ? { kind: 'annotation', justification: p.reason } : undefined;
  };
  const own = hit(ann[IGNORE_ANNOTATION]);
  if (own) return own;
  const container = containerOf(object, finding.path);
  if (container !== undefined) {
    const c = hit(ann[`${IGNORE_ANNOTATION}.${container}`]);
    if (c) return c;
  }
  for (const [key, value] of Object.entries(ann)) {
    if (key.startsWith('ignore-check.kube-linter.io/')) {
      const check = key.slice('ignore-check.kube-linter.io/'.length);
      if (aliases.kubeLinter.get(check)?.includes(id))
        return { kind: 'annotation', justification: typeof value === 'string' && value ? value : `${key}` };
    } else if (key === 'polaris.fairwinds.com/exempt' && String(value) === 'true') {
      if (finding && [...aliases.polaris.values()].some((ids) => ids.includes(id)))
        return { kind: 'annotation', justification: key };
    } else if (
      key.startsWith('polaris.fairwinds.com/') &&
      key.endsWith('-exempt') &&
      String(value) === 'true'
    ) {
      const check = key.slice('polaris.fairwinds.com/'.length, -'-exempt'.length);
      if (aliases.polaris.get(check)?.includes(id)) return { kind: 'annotation', justification: key };
    } else if (key === 'kube-score/ignore' && typeof value === 'string') {
      for (const check of value.split(',').map((s) => s.trim()))
        if (aliases.kubeScore.get(check)?.includes(id))
          return { kind: 'annotation', justification: `${key}: ${check}` };
    }
  }
  return undefined;
}
