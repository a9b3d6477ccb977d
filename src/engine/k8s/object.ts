/** Reading untyped Kubernetes objects: the one set of guards and accessors every layer uses. */
import type { KubeObject, ResourceRef } from '../types.js';

/** A JSON object (a YAML mapping). */
export type Obj = Record<string, unknown>;

/** Is `v` a JSON object (not null, not an array)? */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` when it is a JSON object, else undefined. */
export const asObj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);

/** The object under `key` of `o`, when both are objects. */
export const objAt = (o: unknown, key: string): Obj | undefined => (isObj(o) ? asObj(o[key]) : undefined);

const EMPTY: readonly unknown[] = Object.freeze([]);

/** `v` when it is an array, else a shared empty one. */
export const listOf = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : EMPTY);

/** `metadata` of an object, when it is an object. */
export const metadataOf = (o: KubeObject): Obj | undefined => asObj(o.metadata);

/** `metadata.name` as written, when it is a string ('' included). */
export function nameOf(o: KubeObject): string | undefined {
  const n = metadataOf(o)?.name;
  return typeof n === 'string' ? n : undefined;
}

/** `metadata.namespace` as written, when it is a string ('' included). */
export function namespaceOf(o: KubeObject): string | undefined {
  const ns = metadataOf(o)?.namespace;
  return typeof ns === 'string' ? ns : undefined;
}

/** API group of an apiVersion ('' for the core group: `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Identify a resource for findings: apiVersion, kind, name and namespace. An object created with
 * `metadata.generateName` and no name is named by its generateName prefix, which is all that
 * identifies it before the API server assigns a name.
 */
export function refOf(object: KubeObject): ResourceRef {
  const meta = metadataOf(object);
  const ref: ResourceRef = { apiVersion: String(object.apiVersion), kind: String(object.kind) };
  const name = typeof meta?.name === 'string' ? meta.name : meta?.generateName;
  if (typeof name === 'string') ref.name = name;
  if (typeof meta?.namespace === 'string') ref.namespace = meta.namespace;
  return ref;
}
