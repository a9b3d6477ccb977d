/**
 * Config exemptions: suppress findings by rule, namespace, kind, name glob and path glob.
 *
 * Thousands of exemptions (generated allow-lists) meet hundreds of thousands of findings, so the
 * exemptions are indexed once at load: each one is filed under the constraint that singles it out
 * best (a rule id, a kind, a namespace, a literal name or path, or the literal start of a name or
 * path glob), and a finding looks up only the buckets its own values select. The first exemption
 * in config order still wins, exactly as a scan of the whole list would decide.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { globsMatcher } from '../engine/glob.js';
import type { Exemption } from './config.js';
import type { Finding, Resource, ResourceRef, Suppression } from '../engine/types.js';

const toPosix = (p: string): string => p.split('\\').join('/');

/** How much work the hook has done; for tests and `--debug` style reports. */
export interface ExemptionStats {
  /** Findings looked up. */
  findings: number;
  /** Exemptions checked in full against a finding (the index avoids the others). */
  consulted: number;
}

/** The engine's `suppress` hook for config exemptions, with its counters. */
export interface ExemptionHook {
  (finding: Finding, resource: Resource | undefined): Suppression | undefined;
  readonly stats: ExemptionStats;
}

/** What an object is matched on: its kind, namespace (`default` when it has none) and name. */
export interface ResourceMatchSpec {
  kinds?: readonly string[];
  namespaces?: readonly string[];
  /** Glob patterns (`*`, `?`) over metadata.name. */
  names?: readonly string[];
}

/** The resource part of an exemption, compiled: kinds and namespaces exact, names as globs. */
interface CompiledResourceMatch {
  namespaces?: ReadonlySet<string>;
  kinds?: ReadonlySet<string>;
  names?: (s: string) => boolean;
}

function compileResourceMatch(m: ResourceMatchSpec): CompiledResourceMatch {
  return {
    namespaces: m.namespaces && new Set(m.namespaces),
    kinds: m.kinds && new Set(m.kinds),
    // Linear-time globs (picomatch's RegExps backtrack: src/engine/glob.ts).
    names: m.names && globsMatcher(m.names),
  };
}

function resourceMatches(m: CompiledResourceMatch, ref: Pick<ResourceRef, 'kind' | 'namespace' | 'name'>) {
  if (m.namespaces && !m.namespaces.has(ref.namespace ?? 'default')) return false;
  if (m.kinds && !m.kinds.has(ref.kind)) return false;
  if (m.names && !m.names(ref.name ?? '')) return false;
  return true;
}

/**
 * The matcher exemptions use for the resource of a finding (kinds, namespaces, name globs), for
 * other config sections that select objects the same way (mutations). Throws GlobError for a name
 * glob shipshape does not accept; config loading reports those first, with file and line.
 */
export function resourceMatcher(
  m: ResourceMatchSpec,
): (ref: Pick<ResourceRef, 'kind' | 'namespace' | 'name'>) => boolean {
  const compiled = compileResourceMatch(m);
  return (ref) => resourceMatches(compiled, ref);
}

interface Compiled extends CompiledResourceMatch {
  rules: ReadonlySet<string>;
  paths?: (s: string) => boolean;
  reason?: string;
}

/** Characters a glob can start with that the glob matcher (src/engine/glob.ts) takes literally (with `dot: true`). */
const LITERAL_RUN = /^[A-Za-z0-9_.\-/]*/;

/**
 * Where a glob can be looked up: `exact` when it has no glob syntax (it matches only itself), else
 * the literal text every match starts with (possibly empty: it can match anything).
 */
function globKey(glob: string): { exact: string } | { prefix: string } {
  const run = LITERAL_RUN.exec(glob)![0];
  // the glob matcher drops a leading `./` and treats `.`/`..` segments and `//` specially: no shortcut.
  const odd = /(^|\/)\.\.?(\/|$)|\/\//.test(run);
  if (run === glob && !odd && !glob.endsWith('/')) return { exact: glob };
  // `a/**` also matches `a`: the trailing slash is not part of what every match starts with.
  return { prefix: odd ? '' : run.replace(/\/+$/, '') };
}

/** One dimension of the index: exact keys and, for globs, literal prefixes. */
class Dimension {
  readonly exact = new Map<string, number[]>();
  readonly prefix = new Map<string, number[]>();
  /** Prefix lengths present, so a lookup tries only those. */
  private lengths: number[] = [];

  add(map: Map<string, number[]>, key: string, index: number): void {
    const list = map.get(key);
    if (list) {
      if (list[list.length - 1] !== index) list.push(index);
    } else map.set(key, [index]);
  }

  seal(): void {
    this.lengths = [...new Set([...this.prefix.keys()].map((k) => k.length))].sort((a, b) => a - b);
  }

  /** Every bucket the value selects. */
  lookup(value: string, out: number[][]): void {
    const e = this.exact.get(value);
    if (e) out.push(e);
    for (const n of this.lengths) {
      if (n > value.length) break;
      const p = this.prefix.get(value.slice(0, n));
      if (p) out.push(p);
    }
  }
}

type DimName = 'rule' | 'kind' | 'namespace' | 'name' | 'path';

/** The keys an exemption can be filed under in one dimension; undefined when it does not constrain it. */
type Keys = Array<{ exact: string } | { prefix: string }> | undefined;

function keysOf(e: Exemption): Record<DimName, Keys> {
  const exact = (xs: readonly string[] | undefined): Keys => xs?.map((x) => ({ exact: x }));
  const globs = (xs: readonly string[] | undefined): Keys => {
    if (!xs) return undefined;
    const keys = xs.map(globKey);
    // A glob that can match anything leaves the dimension unconstrained for indexing.
    return keys.some((k) => 'prefix' in k && k.prefix === '') ? undefined : keys;
  };
  return {
    rule: e.rules.includes('*') ? undefined : exact(e.rules),
    kind: exact(e.kinds),
    namespace: exact(e.namespaces),
    name: globs(e.names),
    path: globs(e.paths),
  };
}

const DIMS: readonly DimName[] = ['rule', 'kind', 'namespace', 'name', 'path'];
const keyString = (k: { exact: string } | { prefix: string }) =>
  'exact' in k ? `=${k.exact}` : `^${k.prefix}`;

/** Build the engine's `suppress` hook from config exemptions (undefined when there are none). */
export function exemptionSuppressor(
  exemptions: readonly Exemption[] | undefined,
  baseDir: string,
  cwd: string,
): ExemptionHook | undefined {
  if (!exemptions || exemptions.length === 0) return undefined;
  // Each glob list compiled once, here.
  const compiled: Compiled[] = exemptions.map((e) => ({
    rules: new Set(e.rules),
    ...compileResourceMatch(e),
    paths: e.paths && globsMatcher(e.paths),
    reason: e.reason,
  }));

  // How many exemptions share each key, so that each is filed where it has the fewest neighbours.
  const keys = exemptions.map(keysOf);
  const counts = new Map<string, number>();
  for (const k of keys)
    for (const d of DIMS)
      for (const key of k[d] ?? []) {
        const s = `${d}${keyString(key)}`;
        counts.set(s, (counts.get(s) ?? 0) + 1);
      }
  const dims = Object.fromEntries(DIMS.map((d) => [d, new Dimension()])) as Record<DimName, Dimension>;
  /** Exemptions that constrain nothing indexable ('*' rules and globs that can match anything). */
  const rest: number[] = [];
  keys.forEach((k, index) => {
    let best: DimName | undefined;
    let bestCost = Infinity;
    for (const d of DIMS) {
      const ks = k[d];
      if (!ks) continue;
      let cost = 0;
      for (const key of ks) cost = Math.max(cost, counts.get(`${d}${keyString(key)}`)!);
      if (cost < bestCost) [best, bestCost] = [d, cost];
    }
    if (!best) {
      rest.push(index);
      return;
    }
    // An empty list (`kinds: []`) constrains to nothing: the exemption can never apply.
    for (const key of k[best]!) {
      const dim = dims[best];
      if ('exact' in key) dim.add(dim.exact, key.exact, index);
      else dim.add(dim.prefix, key.prefix, index);
    }
  });
  for (const d of DIMS) dims[d].seal();
  const anyPaths = compiled.some((e) => e.paths);

  // Findings come grouped by file: remember the last file's relative path.
  let lastFile: string | undefined;
  let lastRel: string | undefined;
  const relOf = (file: string | undefined): string | undefined => {
    if (!file || file === '-') return undefined;
    if (file !== lastFile) {
      const abs = isAbsolute(file) ? file : resolve(cwd, file);
      lastFile = file;
      lastRel = toPosix(relative(baseDir, abs));
    }
    return lastRel;
  };

  const stats: ExemptionStats = { findings: 0, consulted: 0 };
  const applies = (e: Compiled, f: Finding, rel: string | undefined): boolean => {
    stats.consulted++;
    if (!e.rules.has('*') && !e.rules.has(f.ruleId)) return false;
    if (!resourceMatches(e, f.resource)) return false;
    if (e.paths && (rel === undefined || !e.paths(rel))) return false;
    return true;
  };

  const hook = (f: Finding): Suppression | undefined => {
    stats.findings++;
    const rel = anyPaths ? relOf(f.location?.file) : undefined;
    const buckets: number[][] = [rest];
    dims.rule.lookup(f.ruleId, buckets);
    dims.kind.lookup(f.resource.kind, buckets);
    dims.namespace.lookup(f.resource.namespace ?? 'default', buckets);
    dims.name.lookup(f.resource.name ?? '', buckets);
    if (rel !== undefined) dims.path.lookup(rel, buckets);
    // Each bucket is in config order: its first match is its best; the earliest over all wins.
    let first = Infinity;
    for (const bucket of buckets)
      for (const i of bucket) {
        if (i >= first) break;
        if (applies(compiled[i]!, f, rel)) {
          first = i;
          break;
        }
      }
    return first === Infinity ? undefined : { kind: 'config', justification: compiled[first]!.reason };
  };
  return Object.assign(hook, { stats });
}
