/** Reads the bundled Kubernetes schemas (schemas/kubernetes) from the installed package. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BundleIndex, BundleSource, VersionBundle } from './registry.js';
import type { SchemaNode } from './validate.js';

/** schemas/kubernetes, relative to this file in both src/ (tests) and dist/ (installed). */
export const BUNDLED_SCHEMA_DIR = fileURLToPath(new URL('../../schemas/kubernetes/', import.meta.url));

const readJson = <T>(dir: string, name: string): T => JSON.parse(readFileSync(dir + name, 'utf8')) as T;

const NL = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where each definition of defs.json is, by hash: [start, end) of its JSON text and its line.
 * schemagen (tools/schemagen) writes `{`, then one `  "<hash>": <definition>` per line with a `,`
 * after all but the last, then `}`. Finding the lines costs a scan for newlines, no JSON parse, so
 * a run parses only the definitions it reaches. undefined when the file is not laid out so (a
 * hand-written schema folder): then it is parsed whole.
 */
function lineIndex(text: Buffer): Map<string, [number, number, number]> | undefined {
  const index = new Map<string, [number, number, number]>();
  if (text[0] !== 0x7b || text[1] !== NL) return undefined;
  let line = 2;
  for (let s = 2; s < text.length; line++) {
    let e = text.indexOf(NL, s);
    if (e < 0) e = text.length;
    if (e - s === 1 && text[s] === 0x7d)
      return text.subarray(e).toString('latin1').trim() === '' ? index : undefined;
    if (text[s] !== 0x20 || text[s + 1] !== 0x20 || text[s + 2] !== QUOTE) return undefined;
    const q = text.indexOf(QUOTE, s + 3);
    if (q < 0 || q > e || text.subarray(s + 3, q).includes(BACKSLASH)) return undefined;
    if (text[q + 1] !== 0x3a || text[q + 2] !== 0x20) return undefined;
    const end = text[e - 1] === 0x2c ? e - 1 : e;
    index.set(text.toString('latin1', s + 3, q), [q + 3, end, line]);
    s = e + 1;
  }
  return undefined;
}

/** A BundleSource over a directory laid out like schemas/kubernetes; files are read on first use. */
export function bundledSchemas(dir: string = BUNDLED_SCHEMA_DIR): BundleSource {
  const versions = new Map<string, VersionBundle>();
  let defs: Record<string, SchemaNode> | undefined;
  let lines: Map<string, [number, number, number]> | undefined;
  let text: Buffer | undefined;
  const parsed = new Map<string, SchemaNode>();
  const loadDefs = () => (defs ??= readJson<Record<string, SchemaNode>>(dir, 'defs.json'));
  return {
    index: readJson<BundleIndex>(dir, 'index.json'),
    loadVersion(minor) {
      let v = versions.get(minor);
      if (!v) versions.set(minor, (v = readJson<VersionBundle>(dir, `v${minor}.json`)));
      return v;
    },
    loadDefs,
    loadDef(hash) {
      if (defs) return Object.hasOwn(defs, hash) ? defs[hash] : undefined;
      let def = parsed.get(hash);
      if (def !== undefined) return def;
      if (lines === undefined) {
        text = readFileSync(dir + 'defs.json');
        lines = lineIndex(text);
        // Not one definition per line: parsed whole instead (and answered by `defs` from now on).
        if (lines === undefined) return loadDefs()[hash];
      }
      const at = lines.get(hash);
      if (at === undefined) return undefined;
      try {
        def = JSON.parse(text!.toString('utf8', at[0], at[1])) as SchemaNode;
      } catch (err) {
        throw new Error(
          `${dir}defs.json:${at[2]}: definition ${hash} is not valid JSON: ${(err as Error).message}`,
          { cause: err },
        );
      }
      parsed.set(hash, def);
      return def;
    },
  };
}
