/** Reads the bundled Kubernetes schemas (schemas/kubernetes) from the installed package. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BundleIndex, BundleSource, VersionBundle } from './registry.js';
import type { SchemaNode } from './validate.js';

/** schemas/kubernetes, relative to this file in both src/ (tests) and dist/ (installed). */
export const BUNDLED_SCHEMA_DIR = fileURLToPath(new URL('../../schemas/kubernetes/', import.meta.url));

const readJson = <T>(dir: string, name: string): T => JSON.parse(readFileSync(dir + name, 'utf8')) as T;

/** A BundleSource over a directory laid out like schemas/kubernetes; files are read on first use. */
export function bundledSchemas(dir: string = BUNDLED_SCHEMA_DIR): BundleSource {
  const versions = new Map<string, VersionBundle>();
  let defs: Record<string, SchemaNode> | undefined;
  return {
    index: readJson<BundleIndex>(dir, 'index.json'),
    loadVersion(minor) {
      let v = versions.get(minor);
      if (!v) versions.set(minor, (v = readJson<VersionBundle>(dir, `v${minor}.json`)));
      return v;
    },
    loadDefs() {
      return (defs ??= readJson<Record<string, SchemaNode>>(dir, 'defs.json'));
    },
  };
}
