/**
 * Which overlay patch set a field of a `kustomize build` resource: strategic-merge patches (a
 * partial object) and JSON 6902 patches (a list of operations), listed under `patches:`,
 * `patchesStrategicMerge:` or `patchesJson6902:` of a kustomization as files. Pure apart from the
 * `read` function; inline patches (YAML written inside kustomization.yaml) are not mapped.
 */
import { isObj } from '../engine/k8s/object.js';
import { parsePointer, toPointer } from '../engine/k8s/pointer.js';
import type { KubeObject, SourceRange } from '../engine/types.js';
import { parseDocuments, type ParsedDocument } from '../source/parse.js';

/** A patch file of a kustomization, with the target selector written beside it (if any). */
export interface PatchRef {
  file: string;
  target?: { kind?: string; name?: string };
}

/** One parsed patch: its documents, each a strategic-merge object or a JSON 6902 operation list. */
interface LoadedPatch {
  file: string;
  target?: { kind?: string; name?: string };
  documents: ParsedDocument[];
}

/** Where a patch set a field: the patch file and the range of the key (or operation) there. */
export interface PatchHit {
  file: string;
  document: number;
  range: SourceRange;
}

/** Keys list items are merged by (strategic merge): the first one an item has identifies it. */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'devicePath', 'ip', 'topologyKey'];

const identity = (item: unknown): [string, unknown] | undefined => {
  if (!isObj(item)) return undefined;
  for (const k of MERGE_KEYS) if (k in item) return [k, item[k]];
  return undefined;
};

/**
 * The pointer inside `other` of the field at `tokens` of the rendered object: list items are
 * matched by their merge key (containers by name …), by index when they have none. Undefined when
 * `other` does not hold that field.
 */
export function correspondingPointer(
  rendered: unknown,
  other: unknown,
  tokens: readonly string[],
): string | undefined {
  const out: string[] = [];
  let r = rendered;
  let o = other;
  for (const t of tokens) {
    if (Array.isArray(r) && Array.isArray(o) && /^\d+$/.test(t)) {
      const item: unknown = (r as unknown[])[Number(t)];
      const id = identity(item);
      const k = id ? o.findIndex((x) => isObj(x) && x[id[0]] === id[1]) : Number(t);
      if (k < 0 || k >= o.length) return undefined;
      out.push(String(k));
      r = item;
      o = o[k];
    } else if (isObj(r) && isObj(o) && t in o) {
      out.push(t);
      r = r[t];
      o = o[t];
    } else return undefined;
  }
  return toPointer(out);
}

/** Fields a strategic-merge patch writes to identify its target. */
const IDENTITY = ['/apiVersion', '/kind', '/metadata/name', '/metadata/namespace'];

const isCollection = (v: unknown) => typeof v === 'object' && v !== null;

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const t of parsePointer(pointer) ?? []) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObj(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

/** A JSON 6902 path matches the start of `tokens` (`-`, the appended item, matches any index). */
function opCovers(opTokens: readonly string[], tokens: readonly string[]): boolean {
  if (opTokens.length > tokens.length) return false;
  return opTokens.every((t, i) => t === tokens[i] || (t === '-' && /^\d+$/.test(tokens[i]!)));
}

function selects(
  target: { kind?: string; name?: string } | undefined,
  kind: string,
  name: string,
): boolean | undefined {
  if (!target) return undefined;
  if (target.kind !== undefined && target.kind !== kind) return false;
  if (target.name !== undefined) {
    try {
      if (!new RegExp(`^(?:${target.name})$`).test(name)) return false;
    } catch {
      if (target.name !== name) return false;
    }
  }
  return true;
}

/** Patches of kustomizations, read once, asked which one set a field of a resource. */
export class PatchIndex {
  private readonly patches: LoadedPatch[] = [];

  /** `refs` in the order kustomize applies them (bases' patches before the overlay's). */
  constructor(refs: readonly PatchRef[], read: (file: string) => string | undefined) {
    for (const ref of refs) {
      const text = read(ref.file);
      if (text === undefined) continue;
      const documents = parseDocuments(ref.file, text).documents.filter((d) => d.value != null);
      this.patches.push({ file: ref.file, target: ref.target, documents });
    }
  }

  /**
   * The last patch that set the field at `path` of the rendered resource `rendered` (kind and its
   * name as the base file writes it), or undefined when no patch did. A strategic-merge patch set
   * the field when it writes a scalar there, or a mapping/list the base (`base`) does not have; a
   * JSON 6902 `add`/`replace` set it when its path is the field or one of its parents.
   */
  find(rendered: KubeObject, base: unknown, kind: string, name: string, path: string): PatchHit | undefined {
    const tokens = parsePointer(path);
    if (tokens === null) return undefined;
    let hit: PatchHit | undefined;
    for (const p of this.patches) {
      for (const doc of p.documents) {
        const v = doc.value;
        if (Array.isArray(v)) {
          if (selects(p.target, kind, name) !== true) continue;
          v.forEach((op, i) => {
            if (!isObj(op) || (op.op !== 'add' && op.op !== 'replace') || typeof op.path !== 'string') return;
            const opTokens = parsePointer(op.path);
            if (!opTokens || !opCovers(opTokens, tokens)) return;
            const inValue = correspondingPointer(
              valueAt(rendered, toPointer(tokens.slice(0, opTokens.length))),
              op.value,
              tokens.slice(opTokens.length),
            );
            const at = inValue === undefined ? `/${i}` : `/${i}/value${inValue}`;
            hit = { file: p.file, document: doc.document, range: doc.source.locate(at, 'key') };
          });
        } else if (isObj(v)) {
          const meta = isObj(v.metadata) ? v.metadata : {};
          const own = v.kind === kind && meta.name === name;
          if (!(selects(p.target, kind, name) ?? own)) continue;
          // A patch names its target by apiVersion, kind and metadata.name: these it does not set.
          if (path === '' || IDENTITY.some((t) => path === t || path.startsWith(`${t}/`))) continue;
          const at = correspondingPointer(rendered, v, tokens);
          if (at === undefined) continue;
          const value = valueAt(v, at);
          if (isCollection(value) && correspondingPointer(rendered, base, tokens) !== undefined) continue;
          hit = { file: p.file, document: doc.document, range: doc.source.locate(at, 'key') };
        }
      }
    }
    return hit;
  }
}
