/** The engine: resources + compiled rules → findings. Pure: no fs, no network, no global state. */
import { BUILTIN_POD_KINDS, forEachContainer, podSpecsOf, type KindTable, type PodSpecAt } from './kinds.js';
import { DEFAULT_KINDS } from './pod-kinds.js';
import { refOf } from './k8s/object.js';
import { ruleHelpUri, type CheckContext, type CheckResult, type CompiledRule, type EvalEnv } from './rule.js';
import {
  helpUriFor,
  type Finding,
  type JsonPatchOp,
  type KubeObject,
  type Resource,
  type ResourceRef,
  type SourceProblem,
  type Suppression,
} from './types.js';
import type { SchemaRegistry } from '../schema/registry.js';

export interface LintOptions {
  /** Active rules (see compileRules). */
  rules: readonly CompiledRule[];
  /** Schema registry for the schema rules; without it they report nothing. */
  schemas?: SchemaRegistry;
  /** Unknown fields and duplicate keys are errors (default true). */
  strict?: boolean;
  ignoreMissingSchemas?: boolean;
  /** Problems found while reading input; they become findings of the source rules. */
  problems?: readonly SourceProblem[];
  /**
   * Resources that set-scoped rules may see but that are not linted themselves (the editor lints
   * one buffer against the rest of the workspace).
   */
  context?: readonly Resource[];
  /** Skip rules whose scope is 'set' (admission: no view of the other resources). */
  skipSetRules?: boolean;
  /**
   * The pod-bearing kinds (default: the built-in and the known custom ones, docs/pod-kinds.md);
   * the linter adds the config's `podSpecs:` and the CRDs' pod specs.
   */
  kinds?: KindTable;
  /** Decide whether a finding is suppressed (annotations, inline comments, config exemptions). */
  suppress?: (finding: Finding, resource: Resource | undefined) => Suppression | undefined;
}

/** Index rules by kind once, so each resource meets only its rules. */
class RuleIndex {
  private readonly byKind = new Map<string, CompiledRule[]>();
  private readonly anyKind: CompiledRule[] = [];
  private readonly podLike: CompiledRule[] = [];
  private readonly excluded = new Set<string>();
  private readonly cache = new Map<string, CompiledRule[]>();
  private readonly podCache = new Map<string, CompiledRule[]>();
  /** Every rule by id (the last one of an id wins). */
  readonly byId: ReadonlyMap<string, CompiledRule>;
  constructor(rules: readonly CompiledRule[]) {
    this.byId = new Map(rules.map((r) => [r.def.id, r]));
    for (const r of rules) {
      if (!r.evaluate) continue;
      if (r.kinds) for (const k of r.kinds) this.byKind.set(k, [...(this.byKind.get(k) ?? []), r]);
      else this.anyKind.push(r);
      if (r.podLike) this.podLike.push(r);
      for (const k of r.excludeKinds ?? []) this.excluded.add(k);
    }
  }
  /**
   * The rules for an object of a custom pod-bearing kind (a Rollout): those of its kind and the
   * PodLike ones. Cached per kind name: the kinds come from the run's table, which is bounded.
   */
  forPods(kind: string): CompiledRule[] {
    let hit = this.podCache.get(kind);
    if (!hit) {
      const own = this.for(kind);
      hit = [...own, ...this.podLike.filter((r) => !own.includes(r) && !r.excludeKinds?.has(kind))];
      this.podCache.set(kind, hit);
    }
    return hit;
  }
  /**
   * The rules for one kind, computed once per kind that some rule names; every other kind shares
   * the rules for any kind, so input with endless distinct kinds (a webhook's) cannot grow the cache.
   */
  for(kind: string): CompiledRule[] {
    let hit = this.cache.get(kind);
    if (!hit) {
      if (!this.byKind.has(kind) && !this.excluded.has(kind)) return this.anyKind;
      hit = [...this.anyKind, ...(this.byKind.get(kind) ?? [])].filter((r) => !r.excludeKinds?.has(kind));
      this.cache.set(kind, hit);
    }
    return hit;
  }
}

/** Rule indexes by rule set (a derived, immutable view: memoizing it keeps lint() pure). */
const indexes = new WeakMap<readonly CompiledRule[], RuleIndex>();

interface Target {
  pointer: string;
  value: unknown;
  container?: { name: string; list: string; index: number; resources: readonly string[] };
  pod?: PodSpecAt;
}

/** The targets of one resource, computed at most once per resource whatever the number of rules. */
class Targets {
  private pods?: PodSpecAt[];
  private containers?: Target[];
  private readonly resource: Target[];
  private metadata?: Target[];
  private podSpec?: Target[];
  constructor(
    private readonly object: KubeObject,
    private readonly kinds: KindTable,
  ) {
    this.resource = [{ pointer: '', value: object }];
  }
  private podsOf(): PodSpecAt[] {
    return (this.pods ??= podSpecsOf(this.object, this.kinds));
  }
  of(rule: CompiledRule): Target[] {
    switch (rule.def.target ?? 'resource') {
      case 'resource':
        return this.resource;
      case 'metadata':
        return (this.metadata ??= [{ pointer: '/metadata', value: this.object.metadata }]);
      case 'podSpec':
        return (this.podSpec ??= this.podsOf().map((p) => ({ pointer: p.pointer, value: p.spec, pod: p })));
      case 'container':
        return (this.containers ??= containerTargets(this.podsOf()));
    }
  }
}

function containerTargets(pods: readonly PodSpecAt[]): Target[] {
  const out: Target[] = [];
  for (const pod of pods) {
    forEachContainer(
      pod.spec,
      (c) => {
        out.push({
          pointer: pod.pointer + c.pointer,
          value: c.container,
          container: { name: c.name, list: c.list, index: c.index, resources: c.resources },
          pod,
        });
      },
      pod.slots,
    );
  }
  return out;
}

const TEMPLATE = /\{\{\s*([\w.]+)\s*\}\}/g;
/** Templates split once into literal text (even indexes) and placeholder names (odd indexes). */
const splitTemplates = new Map<string, string[]>();

/** Fill `{{kind}}`-style placeholders; unknown ones are left visible rather than blanked. */
export function interpolate(template: string, data: Record<string, string | number | undefined>): string {
  let parts = splitTemplates.get(template);
  if (!parts) {
    parts = template.split(TEMPLATE);
    splitTemplates.set(template, parts);
  }
  if (parts.length === 1) return parts[0]!;
  // Joined rather than concatenated: `+=` leaves a tree of cons strings (~32 bytes a node) that a
  // finding keeps alive until it is printed; a joined string is one flat copy (issue 15, memory).
  const out: string[] = [parts[0]!];
  for (let i = 1; i < parts.length; i += 2) {
    const v = data[parts[i]!];
    out.push(v === undefined ? `{{${parts[i]}}}` : String(v), parts[i + 1]!);
  }
  return out.join('');
}

function absolutePatch(patch: readonly JsonPatchOp[], base: string): JsonPatchOp[] {
  return patch.map((op) => {
    const out = { ...op, path: base + op.path };
    if ('from' in op) (out as { from: string }).from = base + op.from;
    return out;
  });
}

function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (
    (a.location?.document ?? 0) - (b.location?.document ?? 0) ||
    (a.location?.start.line ?? 0) - (b.location?.start.line ?? 0) ||
    (a.location?.start.column ?? 0) - (b.location?.start.column ?? 0) ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * Lint resources with the given rules. Output is deterministic: sorted by file, document, line,
 * column, rule and path. Suppressed findings are returned with `suppressed` set.
 */
export function lint(resources: readonly Resource[], options: LintOptions): Finding[] {
  const env: EvalEnv = {
    strict: options.strict ?? true,
    ignoreMissingSchemas: options.ignoreMissingSchemas ?? false,
    schemas: options.schemas,
    resources: options.context && options.context.length > 0 ? [...resources, ...options.context] : resources,
    memo: new Map(),
    kinds: options.kinds ?? DEFAULT_KINDS,
  };
  // Built once per rule set: the webhook and the editor lint one object at a time with the same rules.
  let index = indexes.get(options.rules);
  if (!index) indexes.set(options.rules, (index = new RuleIndex(options.rules)));
  const byId = index.byId;
  const findings: Finding[] = [];
  const suppress = options.suppress;

  for (const p of options.problems ?? []) {
    const rule = byId.get(p.ruleId);
    if (!rule) continue;
    const finding: Finding = {
      ruleId: p.ruleId,
      // Duplicate keys are errors only in strict mode, as with the API server's strict decoding.
      severity:
        p.ruleId === 'duplicate-key' && !env.strict && rule.severity === 'error' ? 'warn' : rule.severity,
      category: rule.def.category,
      message: p.message,
      resource: p.resource ?? { apiVersion: '', kind: '' },
      path: p.path ?? '',
      location: { file: p.file, document: p.document, start: p.start, end: p.end },
      helpUri: helpUriFor(p.ruleId),
    };
    const s = suppress?.(finding, undefined);
    if (s) finding.suppressed = s;
    findings.push(finding);
  }

  for (const resource of resources) {
    const object = resource.object;
    const kind = object.kind as string;
    let ref: ResourceRef | undefined;
    const targets = new Targets(object, env.kinds);
    const custom = !BUILTIN_POD_KINDS.has(kind) && env.kinds.of(object);
    const rules = custom && custom.pods.some((p) => !p.labelsOnly) ? index.forPods(kind) : index.for(kind);
    for (const rule of rules) {
      if (options.skipSetRules && rule.def.scope === 'set') continue;
      for (const t of targets.of(rule)) {
        const ctx: CheckContext = {
          object,
          resource,
          target: t.value,
          targetPath: t.pointer,
          container: t.container,
          pod: t.pod,
          options: rule.options,
          env,
        };
        const results = rule.evaluate!(ctx);
        if (results.length === 0) continue;
        ref ??= refOf(object);
        for (const r of results) {
          // A result may be reported under another rule (policy-error); dropped when that rule is off.
          const owner = r.ruleId === undefined ? rule : byId.get(r.ruleId);
          if (owner) findings.push(toFinding(owner, r, t, ref, resource, suppress));
        }
      }
    }
  }
  return findings.sort(compareFindings);
}

/** Each rule's help link built once: a finding shares its rule's string instead of holding a copy. */
const helpUris = new WeakMap<CompiledRule['def'], string>();
function helpUriOf(def: CompiledRule['def']): string {
  let uri = helpUris.get(def);
  if (uri === undefined) helpUris.set(def, (uri = ruleHelpUri(def)));
  return uri;
}

function toFinding(
  rule: CompiledRule,
  r: CheckResult,
  t: Target,
  ref: ResourceRef,
  resource: Resource,
  suppress: LintOptions['suppress'],
): Finding {
  const path = t.pointer + (r.path ?? '');
  const message =
    r.message ??
    interpolate(rule.def.message, {
      kind: ref.kind,
      name: ref.name ?? '(unnamed)',
      namespace: ref.namespace ?? 'default',
      container: t.container?.name,
      ...r.data,
    });
  const finding: Finding = {
    ruleId: rule.def.id,
    severity: rule.severityConfigured ? rule.severity : (r.severity ?? rule.severity),
    category: rule.def.category,
    message,
    resource: ref,
    path,
    helpUri: helpUriOf(rule.def),
  };
  if (resource.source) {
    const range = resource.source.locate(path, r.target);
    finding.location = {
      file: resource.source.file,
      document: resource.source.document,
      start: range.start,
      end: range.end,
    };
    if (resource.source.pointer) finding.location.pointer = resource.source.pointer;
  }
  const fix = r.fix === null ? undefined : (r.fix ?? rule.def.fix);
  if (fix?.patch) finding.fix = { safety: fix.safety, patch: absolutePatch(fix.patch, t.pointer) };
  const s = suppress?.(finding, resource);
  if (s) finding.suppressed = s;
  return finding;
}
