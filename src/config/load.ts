/** Find, read and validate .shipshape.yaml, reporting problems with file:line:col. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { ConfigError, type Config } from './config.js';
import { mutationProblems } from './mutations.js';
import { globProblem } from '../engine/glob.js';
import { decodeToken } from '../engine/k8s/pointer.js';
import { displayPath, validateSchema, type SchemaNode } from '../schema/validate.js';

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

/**
 * Parse and validate config text; errors name the file, line, column and problem. Every failure is
 * a ConfigError: a YAML error, an alias bomb (the yaml package's alias budget), a schema violation,
 * a glob shipshape does not accept, or anything else the parser throws.
 */
export function parseConfig(text: string, file: string): Config {
  try {
    return parseConfigUnguarded(text, file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      `${file}:1:1: cannot read the configuration: ${(err as Error).message ?? String(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** Where a node of the config file starts, as `file:line:col`. */
type Locate = (segs: readonly (string | number)[], target: 'key' | 'value') => string;

function parseConfigUnguarded(text: string, file: string): Config {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    // Aliases expand when the document becomes data: a few nested ones (billion laughs) would make
    // gigabytes. The yaml package refuses once an alias would expand to more than this many nodes.
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    // Unresolved or excessive aliases: point at the alias named in the message, else the first one.
    const message = (err as Error).message;
    const named = /: (\S+)$/.exec(message)?.[1];
    let offset: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (offset === undefined || node.source === named) offset = node.range?.[0] ?? 0;
        return node.source === named ? visit.BREAK : undefined;
      },
    });
    const what = /excessive alias count/i.test(message)
      ? 'too many aliases expand here (a YAML alias bomb?); write the values out'
      : message;
    throw new ConfigError(`${at(offset ?? 0)}: ${what}`, { cause: err });
  }
  const locate: Locate = (segs, target) => {
    // Point at the key for unknown fields, else at the closest node that exists in the file.
    let node: unknown;
    if (target === 'key') {
      const parent = doc.getIn(segs.slice(0, -1), true);
      if (isMap(parent))
        node = parent.items.find((p) => isScalar(p.key) && p.key.value === segs[segs.length - 1])?.key;
    }
    for (let n = segs.length; n >= 0 && !isNode(node); n--) node = doc.getIn(segs.slice(0, n), true);
    return at(isNode(node) && node.range ? node.range[0] : 0);
  };
  configSchema ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode;
  const errors = validateSchema(value, configSchema, {
    strict: true,
    redact: false,
    resolve: () => undefined,
    // schemas/config.schema.json ships with shipshape: its patterns are reviewed.
    trustedPatterns: true,
  });
  const problems = errors.map((e) => {
    const segs = e.path
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : decodeToken(s)));
    return `${locate(segs, e.target)}: ${e.message}`;
  });
  if (problems.length === 0) problems.push(...globProblems(value as Config, locate));
  if (problems.length === 0)
    for (const p of mutationProblems((value as Config).mutations))
      problems.push(`${locate(p.segs, p.target ?? 'value')}: ${displayPath(p.segs)}: ${p.message}`);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return value as Config;
}

/** Globs shipshape does not accept (too long, too deeply nested, extglobs), with where they are. */
function globProblems(config: Config, locate: Locate): string[] {
  const out: string[] = [];
  const check = (globs: unknown, segs: (string | number)[]) => {
    if (!Array.isArray(globs)) return;
    globs.forEach((g, i) => {
      if (typeof g !== 'string') return;
      const problem = globProblem(g);
      if (problem) out.push(`${locate([...segs, i], 'value')}: ${displayPath([...segs, i])}: ${problem}`);
    });
  };
  check(config.ignorePaths, ['ignorePaths']);
  config.exemptions?.forEach((e, i) => {
    check(e.names, ['exemptions', i, 'names']);
    check(e.paths, ['exemptions', i, 'paths']);
  });
  return out;
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
