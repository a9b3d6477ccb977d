/** Find, read and validate .shipshape.yaml, reporting problems with file:line:col. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type Config } from './config.js';
import { validateSchema, type SchemaNode } from '../schema/validate.js';

export const CONFIG_NAMES = ['.shipshape.yaml', '.shipshape.yml'];
const SCHEMA_FILE = fileURLToPath(new URL('../../schemas/config.schema.json', import.meta.url));

/** The nearest config file at or above `cwd`, if any. */
export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from (undefined when no config was found). */
  file?: string;
  /** Folder that relative paths in the config are resolved against. */
  baseDir: string;
}

let configSchema: SchemaNode | undefined;

/** Parse and validate config text; errors name the file, line, column and problem. */
export function parseConfig(text: string, file: string): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    throw new ConfigError(`${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS() ?? {};
  configSchema ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode;
  const errors = validateSchema(value, configSchema, {
    strict: true,
    redact: false,
    resolve: () => undefined,
    // schemas/config.schema.json ships with shipshape: its patterns are reviewed.
    trustedPatterns: true,
  });
  if (errors.length > 0) {
    const lines2 = errors.map((e) => {
      const segs = e.path
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      // Point at the key for unknown fields, else at the closest node that exists in the file.
      let node: unknown;
      if (e.target === 'key') {
        const parent = doc.getIn(segs.slice(0, -1), true);
        if (isMap(parent))
          node = parent.items.find((p) => isScalar(p.key) && p.key.value === segs[segs.length - 1])?.key;
      }
      for (let n = segs.length; n >= 0 && !isNode(node); n--) node = doc.getIn(segs.slice(0, n), true);
      const offset = isNode(node) && node.range ? node.range[0] : 0;
      const pos = lines.linePos(offset);
      return `${file}:${pos.line}:${pos.col}: ${e.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines2.join('\n  ')}`);
  }
  return value as Config;
}

/** Load `explicit` (from --config) or discover one upward from cwd. */
export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  const file = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return { config: {}, baseDir: resolve(cwd) };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  return { config: parseConfig(text, file), file, baseDir: dirname(file) };
}
