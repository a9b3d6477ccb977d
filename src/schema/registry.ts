/**
 * The schema registry: which schema validates a given apiVersion/kind for the target Kubernetes
 * version. Sources, in order: bundled built-in schemas, CRDs registered in this run, schemas found
 * through `--schema-location`. Pure: the bundle bytes come through a `BundleSource`.
 */
import { crdName, crdProblems, schemaWithoutNulls, type CrdProblem } from './crd.js';
import { applyOverlay } from './overlays.js';
import { compareMinor, REMOVED_APIS } from './removed-apis.js';
import { mergeErrors, validateApi, withoutUnvalidated } from './api/index.js';
import { compileCrdRules, evaluateCel, RULES_NOT_CHECKED, type CelProgram } from './cel.js';
import { BLOCKING_ERRORS, validateSchema, type SchemaError, type SchemaNode } from './validate.js';

/** schemas/kubernetes/index.json */
export interface BundleIndex {
  default: string;
  /** minor → full version, e.g. "1.37" → "v1.37.2" */
  versions: Record<string, string>;
}

/** schemas/kubernetes/v1.NN.json */
export interface VersionBundle {
  kubernetesVersion: string;
  /** `apiVersion/Kind` → definition name */
  kinds: Record<string, string>;
  /** definition name → content hash in defs.json */
  defs: Record<string, string>;
}

/** How the registry reads the bundled files (fs in the CLI, anything in tests). */
export interface BundleSource {
  index: BundleIndex;
  loadVersion(minor: string): VersionBundle;
  /** Every definition of defs.json, by content hash (parses the whole file). */
  loadDefs(): Record<string, SchemaNode>;
  /** One definition by content hash, parsing no more of defs.json than it must. */
  loadDef(hash: string): SchemaNode | undefined;
}

export interface CheckOptions {
  strict: boolean;
  redact: boolean;
}

export type SchemaCheck = (object: unknown, options: CheckOptions) => SchemaError[];

export type SchemaLookup =
  | { status: 'found'; origin: 'builtin' | 'crd' | 'location'; check: SchemaCheck }
  /** 'invalid': the type's CRD is unusable (malformed, or the removed v1beta1 form); the message says why. */
  | { status: 'removed' | 'missing' | 'invalid'; message: string };

/** A usage problem (unknown version, bad CRD) that the CLI reports with exit code 2. */
export class SchemaUsageError extends Error {}

/** Accepts "1.33", "v1.33" or "1.33.4"; returns the bundled minor ("1.33") or throws. */
export function normalizeKubernetesVersion(input: string, index: BundleIndex): string {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(input.trim());
  const minor = m ? `${m[1]}.${m[2]}` : undefined;
  if (minor === undefined || !(minor in index.versions)) {
    const known = Object.keys(index.versions).sort(compareMinor).join(', ');
    throw new SchemaUsageError(
      `unknown Kubernetes version "${input}": bundled schemas cover ${known} (use one of these with --kubernetes-version)`,
    );
  }
  return minor;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const CRD_KEY = 'apiextensions.k8s.io/v1/CustomResourceDefinition';

/** A served version of a registered CRD. */
interface CrdEntry {
  /** The version's schema with the apiVersion/kind/metadata envelope. */
  schema: SchemaNode;
  /** The openAPIV3Schema as written (the nodes its compiled rules are keyed by). */
  raw: SchemaNode;
  /** The version has a status subresource: the API server drops `status` at create. */
  dropStatus: boolean;
  /** Its x-kubernetes-validations rules, when it has any. */
  cel: CelProgram | undefined;
}

/** Lookups kept per registry; past it the cache starts over (finding a schema again is cheap). */
const MAX_CACHED_LOOKUPS = 4096;

export class SchemaRegistry {
  readonly minor: string;
  private readonly bundle: VersionBundle;
  private readonly checks = new Map<string, SchemaLookup>();
  private readonly crds = new Map<string, CrdEntry>();
  /** Types declared by CRDs that cannot be used, with the reason. */
  private readonly brokenCrds = new Map<string, string>();
  private readonly located = new Map<string, SchemaCheck>();
  private readonly resolved = new Map<string, SchemaNode | undefined>();
  private readonly resolve = (name: string): SchemaNode | undefined => {
    let s = this.resolved.get(name);
    if (s === undefined && !this.resolved.has(name)) {
      const hash = this.bundle.defs[name];
      const raw = hash === undefined ? undefined : this.source.loadDef(hash);
      s = raw && applyOverlay(name, raw);
      this.resolved.set(name, s);
    }
    return s;
  };

  constructor(
    private readonly source: BundleSource,
    kubernetesVersion?: string,
  ) {
    this.minor = normalizeKubernetesVersion(kubernetesVersion ?? source.index.default, source.index);
    this.bundle = source.loadVersion(this.minor);
  }

  /** The full version the built-in schemas come from, e.g. "v1.37.2". */
  get kubernetesVersion(): string {
    return this.bundle.kubernetesVersion;
  }

  /** Find the schema check for a resource type. Results are cached per apiVersion/kind. */
  lookup(apiVersion: string, kind: string): SchemaLookup {
    const key = `${apiVersion}/${kind}`;
    let hit = this.checks.get(key);
    if (hit === undefined) {
      hit = this.find(apiVersion, kind, key);
      // Bounded: a long-running caller (the webhook) is sent any apiVersion/kind anyone likes.
      if (this.checks.size >= MAX_CACHED_LOOKUPS) this.checks.clear();
      this.checks.set(key, hit);
    }
    return hit;
  }

  private find(apiVersion: string, kind: string, key: string): SchemaLookup {
    const crd = this.crds.get(key);
    if (crd) return { status: 'found', origin: 'crd', check: this.checkFor(crd) };
    const broken = this.brokenCrds.get(key);
    if (broken !== undefined) return { status: 'invalid', message: broken };
    const def = this.bundle.kinds[key];
    if (def !== undefined) {
      const check = this.builtinCheck({ $ref: def });
      return { status: 'found', origin: 'builtin', check: key === CRD_KEY ? withCrdProblems(check) : check };
    }
    const located = this.located.get(key);
    if (located) return { status: 'found', origin: 'location', check: located };
    return this.explainMissing(apiVersion, kind, key);
  }

  /** A custom resource: its structural schema, then the CRD's validation rules (src/schema/cel.ts). */
  private checkFor(crd: CrdEntry): SchemaCheck {
    return (object, o) => {
      let errors = validateSchema(object, crd.schema, {
        strict: o.strict,
        redact: o.redact,
        resolve: this.resolve,
      });
      // With a status subresource the API server drops `status` at create, after strict decoding:
      // an unknown field there is still refused, nothing else about it is checked.
      if (crd.dropStatus)
        errors = errors.filter(
          (e) => e.target === 'key' || !(e.path === '/status' || e.path.startsWith('/status/')),
        );
      if (crd.cel === undefined) return errors;
      // As the API server: type and enum errors stop the rules from running, and it says so.
      if (errors.some((e) => BLOCKING_ERRORS.has(e)))
        return [...errors, { path: '', message: RULES_NOT_CHECKED, target: 'value' }];
      const obj = crd.dropStatus ? withoutStatus(object) : object;
      return [...errors, ...evaluateCel(obj, crd.raw, crd.cel, { redact: o.redact })];
    };
  }

  /** Built-in kinds: the OpenAPI schema, then what the API server checks in Go (src/schema/api). */
  private builtinCheck(schema: SchemaNode): SchemaCheck {
    return (object, o) => {
      const errors = validateSchema(object, schema, {
        strict: o.strict,
        redact: o.redact,
        resolve: this.resolve,
        builtin: true,
      });
      const api = validateApi(object, { minor: this.minor, redact: o.redact });
      return mergeErrors(
        withoutUnvalidated(errors, object, this.minor, 'walk'),
        withoutUnvalidated(api, object, this.minor, 'api'),
      );
    };
  }

  private explainMissing(apiVersion: string, kind: string, key: string): SchemaLookup {
    const target = this.minor;
    const removed = REMOVED_APIS.get(key);
    if (removed && compareMinor(removed.removedIn, target) <= 0) {
      const instead = removed.replacement
        ? `; use ${removed.replacement}`
        : removed.note
          ? `; ${removed.note}`
          : '';
      return {
        status: 'removed',
        message: `${apiVersion} ${kind} was removed in Kubernetes ${removed.removedIn}${instead}`,
      };
    }
    // Inside the bundled range the bundles themselves say when an API came or went.
    const minors = Object.keys(this.source.index.versions).sort(compareMinor);
    const served = minors.filter((m) => m !== target && key in this.source.loadVersion(m).kinds);
    const older = served.filter((m) => compareMinor(m, target) < 0);
    const newer = served.filter((m) => compareMinor(m, target) > 0);
    if (older.length > 0 && newer.length === 0) {
      const last = older[older.length - 1]!;
      const alt = this.sameKindElsewhere(apiVersion, kind);
      return {
        status: 'removed',
        message: `${apiVersion} ${kind} is not served by Kubernetes ${target} (last served in ${last})${alt ? `; use ${alt}` : ''}`,
      };
    }
    if (newer.length > 0) {
      return {
        status: 'missing',
        message: `${apiVersion} ${kind} is not served by Kubernetes ${target} (first served in ${newer[0]}); raise --kubernetes-version or use an older API`,
      };
    }
    return {
      status: 'missing',
      message: `no schema for ${apiVersion} ${kind} in Kubernetes ${target}: if it is a custom resource, pass its CRD with --crd or add a --schema-location`,
    };
  }

  /** Another apiVersion of the same group that serves this kind in the target version. */
  private sameKindElsewhere(apiVersion: string, kind: string): string | undefined {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    for (const k of Object.keys(this.bundle.kinds)) {
      const slash = k.lastIndexOf('/');
      const av = k.slice(0, slash);
      const g = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
      if (k.slice(slash + 1) === kind && g === group && av !== apiVersion) return av;
    }
    return undefined;
  }

  /**
   * Register the served versions of an apiextensions.k8s.io/v1 CustomResourceDefinition.
   * Returns the `apiVersion/Kind` keys registered (empty when the CRD carries no schema). A CRD that
   * cannot be used (see crdProblems: malformed schema, or apiextensions.k8s.io/v1beta1) registers
   * its types as 'invalid', so their resources say why instead of crashing or passing unchecked.
   */
  registerCrd(crd: unknown): string[] {
    const spec = (crd as { spec?: unknown } | null)?.spec as
      | { group?: unknown; names?: { kind?: unknown } | null; versions?: unknown; version?: unknown }
      | undefined
      | null;
    const group = spec?.group;
    const kind = spec?.names?.kind;
    if (typeof group !== 'string' || typeof kind !== 'string') return [];
    const versions = Array.isArray(spec?.versions) ? (spec.versions as unknown[]) : [];
    const problems = crdProblems(crd);
    if (problems.length > 0) {
      const names = versions.map((v) => (v as { name?: unknown } | null)?.name);
      if (typeof spec?.version === 'string') names.push(spec.version);
      for (const name of new Set(names)) {
        if (typeof name !== 'string') continue;
        const key = `${group}/${name}/${kind}`;
        this.crds.delete(key);
        this.brokenCrds.set(key, brokenMessage(`${group}/${name}`, kind, crd, problems));
        this.checks.delete(key);
      }
      return [];
    }
    const added: string[] = [];
    const rules = compileCrdRules(crd);
    for (const item of versions) {
      const v = item as Record<string, unknown> | null;
      const name = v?.name;
      const schema = (v?.schema as { openAPIV3Schema?: SchemaNode } | undefined)?.openAPIV3Schema;
      if (typeof name !== 'string' || v?.served === false || typeof schema !== 'object' || schema === null)
        continue;
      const key = `${group}/${name}/${kind}`;
      const subresources = v?.subresources as { status?: unknown } | null | undefined;
      this.crds.set(key, {
        schema: withObjectEnvelope(schemaWithoutNulls(schema)),
        raw: schema,
        dropStatus: typeof subresources?.status === 'object' && subresources.status !== null,
        cel: rules.versions.get(name),
      });
      this.brokenCrds.delete(key);
      this.checks.delete(key);
      added.push(key);
    }
    return added;
  }

  /** Register a check found through --schema-location for one apiVersion/kind. */
  registerLocated(apiVersion: string, kind: string, check: SchemaCheck): void {
    const key = `${apiVersion}/${kind}`;
    this.located.set(key, check);
    this.checks.delete(key);
  }

  /** True when the registry already knows a schema for this type (no location lookup needed). */
  has(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return (
      this.crds.has(key) || this.brokenCrds.has(key) || key in this.bundle.kinds || this.located.has(key)
    );
  }
}

/** The API server adds apiVersion, kind and metadata to every custom resource's schema. */
function withObjectEnvelope(schema: SchemaNode): SchemaNode {
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return schema;
  return {
    ...schema,
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: OBJECT_META },
      ...schema.properties,
    },
  };
}

/**
 * The CRD kind's own check, plus what makes a CRD unusable (at the offending field), plus the
 * validation rules shipshape cannot evaluate (the API server accepts them; they are not checked).
 */
function withCrdProblems(check: SchemaCheck): SchemaCheck {
  return (object, o) => {
    const errors = check(object, o);
    const seen = new Set(errors.map((e) => e.path));
    const problems = crdProblems(object);
    if (problems.length === 0) problems.push(...compileCrdRules(object).unsupported);
    for (const p of problems)
      if (!seen.has(p.path)) errors.push({ path: p.path, message: p.message, target: 'value' });
    return errors;
  };
}

/** The object without `status` (dropped at create when the CRD version has a status subresource). */
function withoutStatus(object: unknown): unknown {
  if (typeof object !== 'object' || object === null || !('status' in object)) return object;
  const { status: _dropped, ...rest } = object as Record<string, unknown>;
  return rest;
}

function brokenMessage(
  apiVersion: string,
  kind: string,
  crd: unknown,
  problems: readonly CrdProblem[],
): string {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${apiVersion} ${kind} cannot be validated: its CustomResourceDefinition ${crdName(crd)} is not usable: ${problems[0]!.message}${more}`;
}
