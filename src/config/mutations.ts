/**
 * The `mutations:` config section: the checks the JSON schema cannot make (exactly one action,
 * paths, label syntax, name globs), and its compiled form for src/engine/mutate.ts. Objects are
 * selected with the exemptions' matcher (kinds, namespaces, name globs) plus a label selector.
 */
import { globProblem } from '../engine/glob.js';
import { keyProblem, labelValueProblem } from '../engine/k8s/labels.js';
import { isObj, refOf } from '../engine/k8s/object.js';
import { parsePointer } from '../engine/k8s/pointer.js';
import { selectorMatches } from '../engine/k8s/selectors.js';
import type { CompiledMutation, MutationAction } from '../engine/mutate.js';
import type { MutationConfig } from './config.js';
import { resourceMatcher } from './exemptions.js';

const ACTIONS = ['addLabels', 'addAnnotations', 'set', 'remove'] as const;

/** What a mutation is called in notes and logs. */
export const mutationName = (m: MutationConfig, index: number): string => m.name ?? `mutation-${index + 1}`;

/** Fields no mutation may set or remove: they say what the object is. */
const IDENTITY = new Set(['/apiVersion', '/kind', '/metadata', '/metadata/name', '/metadata/namespace']);

/**
 * The reference tokens of a mutation path: a JSON pointer (`/securityContext/runAsNonRoot`) or
 * dotted field names (`securityContext.runAsNonRoot`); a string saying what is wrong otherwise.
 */
export function mutationPath(path: string): string[] | string {
  const tokens = path.startsWith('/') ? parsePointer(path)! : path.split('.');
  if (tokens.length === 0 || tokens.some((t) => t === ''))
    return path.startsWith('/')
      ? 'is not a JSON pointer to a field (an empty step)'
      : 'has an empty field name (write `a.b.c`, or a JSON pointer `/a/b/c` for names with dots)';
  if (tokens.includes('-'))
    return 'must not append to a list (`-`): a mutation adds only what is absent, and an append never is';
  return tokens;
}

/** A problem of one mutation: where it is (config path) and what is wrong. */
export interface MutationProblem {
  segs: (string | number)[];
  message: string;
  /** Point at the key of the entry (a label key), not its value. */
  target?: 'key';
}

/** Problems the schema cannot see, each with its place in the config (schema-valid input). */
export function mutationProblems(mutations: readonly MutationConfig[] | undefined): MutationProblem[] {
  const out: MutationProblem[] = [];
  const seen = new Map<string, number>();
  (mutations ?? []).forEach((m, i) => {
    const at = (...rest: (string | number)[]) => ['mutations', i, ...rest];
    const add = (segs: (string | number)[], message: string) => out.push({ segs, message });
    const actions = ACTIONS.filter((a) => m[a] !== undefined);
    if (actions.length !== 1)
      add(
        at(),
        actions.length === 0
          ? 'has no action: give one of addLabels, addAnnotations, set or remove'
          : `has ${actions.length} actions (${actions.join(', ')}): give exactly one, or split it into ${actions.length} mutations`,
      );
    const name = mutationName(m, i);
    const first = seen.get(name);
    if (first !== undefined) add(at('name'), `the name ${name} is taken by mutations[${first}]`);
    else seen.set(name, i);
    m.match?.names?.forEach((g, j) => {
      const problem = globProblem(g);
      if (problem) add(at('match', 'names', j), problem);
    });
    for (const field of ['addLabels', 'addAnnotations'] as const)
      for (const [key, value] of Object.entries(m[field] ?? {})) {
        const problem = keyProblem(key);
        if (problem)
          out.push({ segs: at(field, key), message: `not a valid key: ${problem}`, target: 'key' });
        const vp = field === 'addLabels' ? labelValueProblem(value) : undefined;
        if (vp) add(at(field, key), `${JSON.stringify(value)} is not a valid label value: ${vp}`);
      }
    const target = m.set ?? m.remove;
    if (target) {
      const field = m.set ? 'set' : 'remove';
      const tokens = mutationPath(target.path);
      if (typeof tokens === 'string') add(at(field, 'path'), `${target.path} ${tokens}`);
      else if ((target.in ?? 'object') === 'object' && IDENTITY.has('/' + tokens.join('/')))
        add(at(field, 'path'), `${target.path} identifies the object: a mutation cannot change it`);
      if (m.podTemplates !== undefined)
        add(at('podTemplates'), 'applies to addLabels and addAnnotations only: use in: podTemplate');
    }
    if (m.remove && m.overwrite !== undefined)
      add(at('overwrite'), 'has no meaning for remove (a present field is always removed)');
  });
  return out;
}

function actionOf(m: MutationConfig): MutationAction {
  if (m.addLabels || m.addAnnotations)
    return {
      kind: 'metadata',
      field: m.addLabels ? 'labels' : 'annotations',
      entries: Object.entries((m.addLabels ?? m.addAnnotations)!),
      podTemplates: m.podTemplates ?? true,
    };
  const target = (m.set ?? m.remove)!;
  const tokens = mutationPath(target.path) as string[];
  const scope = target.in ?? 'object';
  return m.set ? { kind: 'set', tokens, value: m.set.value, scope } : { kind: 'remove', tokens, scope };
}

/** Compile the section (already checked by {@link mutationProblems}); empty without mutations. */
export function compileMutations(mutations: readonly MutationConfig[] | undefined): CompiledMutation[] {
  return (mutations ?? []).map((m, i) => {
    const resource = resourceMatcher(m.match ?? {});
    const selector = m.match?.selector;
    return {
      name: mutationName(m, i),
      overwrite: m.overwrite ?? false,
      action: actionOf(m),
      matches: (object) => {
        if (!resource(refOf(object))) return false;
        if (!selector) return true;
        const labels = isObj(object.metadata) ? object.metadata.labels : undefined;
        return selectorMatches(selector, isObj(labels) ? labels : {});
      },
    };
  });
}
