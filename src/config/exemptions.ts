/** Config exemptions: suppress findings by rule, namespace, kind, name glob and path glob. */
import { isAbsolute, relative, resolve } from 'node:path';
import { globsMatcher } from '../engine/glob.js';
import type { Exemption } from './config.js';
import type { Finding, Resource, Suppression } from '../engine/types.js';

const toPosix = (p: string): string => p.split('\\').join('/');

/** Build the engine's `suppress` hook from config exemptions (undefined when there are none). */
export function exemptionSuppressor(
  exemptions: readonly Exemption[] | undefined,
  baseDir: string,
  cwd: string,
): ((f: Finding, r: Resource | undefined) => Suppression | undefined) | undefined {
  if (!exemptions || exemptions.length === 0) return undefined;
  const compiled = exemptions.map((e) => ({
    rules: new Set(e.rules),
    namespaces: e.namespaces && new Set(e.namespaces),
    kinds: e.kinds && new Set(e.kinds),
    // Linear-time globs (picomatch's RegExps backtrack: src/engine/glob.ts).
    names: e.names && globsMatcher(e.names),
    paths: e.paths && globsMatcher(e.paths),
    reason: e.reason,
  }));
  return (f) => {
    for (const e of compiled) {
      if (!e.rules.has('*') && !e.rules.has(f.ruleId)) continue;
      if (e.namespaces && !e.namespaces.has(f.resource.namespace ?? 'default')) continue;
      if (e.kinds && !e.kinds.has(f.resource.kind)) continue;
      if (e.names && !e.names(f.resource.name ?? '')) continue;
      if (e.paths) {
        const file = f.location?.file;
        if (!file || file === '-') continue;
        const abs = isAbsolute(file) ? file : resolve(cwd, file);
        if (!e.paths(toPosix(relative(baseDir, abs)))) continue;
      }
      return { kind: 'config', justification: e.reason };
    }
    return undefined;
  };
}
