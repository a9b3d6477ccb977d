/**
 * Policies on disk → compiled modules, once per process: the shipped ones (policies/<name>/) and
 * users' (`--policy`, config `policies:`): a `.wasm` file, an `opa build` bundle (.tar.gz) or a folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, PolicyLoadError, type PolicyModule } from '../engine/checks/rego.js';
import { RuleConfigError } from '../engine/compile.js';
import { ajvRegExp, isRe2Pattern } from '../engine/regex.js';
import { readTar, type TarFiles } from './tar.js';

/** The folder of the shipped policies (policies/<name>/policy.wasm beside parameters.schema.json). */
export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

/** A loaded policy and the schema of its parameters. */
export interface PolicySource {
  module: PolicyModule;
  /** JSON Schema of `input.parameters` (parameters.schema.json beside the policy), if any. */
  parametersSchema?: Record<string, unknown>;
}

const cache = new Map<string, PolicySource[]>();

const isWasm = (b: Uint8Array) => b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;
const isGzip = (b: Uint8Array) => b[0] === 0x1f && b[1] === 0x8b;

/** A rule-id-like name from a file name: `acme-policy.tar.gz` → `acme-policy`. */
export function policyName(file: string): string {
  let base = basename(file).replace(/\.(tar\.gz|tgz|tar|wasm)$/i, '');
  if (/^(policy|bundle)$/i.test(base) && basename(dirname(file)) !== '') base = basename(dirname(file));
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'policy'
  );
}

function parseJson(bytes: Uint8Array | string, file: string, what: string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new PolicyLoadError(file, `${what} is not valid JSON (${(err as Error).message})`);
  }
}

/** Put `value` at the path of a bundle data file (`a/b/data.json` → data.a.b). */
function mergeData(into: Record<string, unknown>, dir: string, value: unknown): void {
  const segs = dir.split('/').filter(Boolean);
  if (segs.length === 0) {
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(into, value);
    return;
  }
  let cur = into;
  for (const s of segs.slice(0, -1)) {
    let child = cur[s];
    if (!child || typeof child !== 'object' || Array.isArray(child)) cur[s] = child = {};
    cur = child as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]!] = value;
}

/** The wasm module a bundle manifest names (default /policy.wasm). */
function manifestModule(manifest: unknown): string {
  const wasm = (manifest as { wasm?: { module?: unknown }[] } | undefined)?.wasm;
  const m = Array.isArray(wasm) ? wasm.find((w) => typeof w.module === 'string')?.module : undefined;
  return typeof m === 'string' ? m.replace(/^\/+/, '') : 'policy.wasm';
}

function fromBundleFiles(files: TarFiles, file: string, name: string): PolicySource {
  const manifestBytes = files.get('.manifest');
  const wasmPath = manifestModule(manifestBytes ? parseJson(manifestBytes, file, '.manifest') : undefined);
  const wasm = files.get(wasmPath);
  if (!wasm) {
    const rego = [...files.keys()].some((f) => f.endsWith('.rego'));
    throw new PolicyLoadError(
      file,
      rego
        ? 'the bundle holds Rego but no compiled policy: build it with `opa build -t wasm -e <package>/deny …`'
        : `the bundle has no ${wasmPath}`,
    );
  }
  const data: Record<string, unknown> = {};
  for (const [path, bytes] of files) {
    if (basename(path) === 'data.json')
      mergeData(data, dirname(path) === '.' ? '' : dirname(path), parseJson(bytes, file, path));
  }
  const schema = files.get('parameters.schema.json');
  return {
    module: compilePolicy(wasm, file, name, Object.keys(data).length > 0 ? data : undefined),
    parametersSchema: schema
      ? (parseJson(schema, file, 'parameters.schema.json') as Record<string, unknown>)
      : undefined,
  };
}

/** Every file under a folder, by path relative to it. */
function readFolder(dir: string): TarFiles {
  const out: TarFiles = new Map();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /(\.wasm|\.json|^\.manifest|\.rego)$/.test(e.name))
        out.set(relative(dir, p).split('\\').join('/'), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function loadUncached(path: string, display: string): PolicySource[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new PolicyLoadError(display, 'no such file or folder');
  }
  if (stat.isDirectory()) {
    const entries = readdirSync(path).sort();
    // An extracted bundle (or a shipped policy folder) …
    if (entries.includes('policy.wasm') || entries.includes('.manifest'))
      return [fromBundleFiles(readFolder(path), display, policyName(path))];
    // … or a folder of policies.
    const files = entries.filter((e) => /\.(wasm|tar\.gz|tgz)$/i.test(e));
    if (files.length === 0) {
      const rego = entries.some((e) => e.endsWith('.rego'));
      throw new PolicyLoadError(
        display,
        rego
          ? 'the folder holds Rego sources but no compiled policy: build it with `opa build -t wasm -e <package>/deny … -o bundle.tar.gz`'
          : 'the folder holds no policy (.wasm, .tar.gz, or an extracted bundle with policy.wasm)',
      );
    }
    return files.flatMap((f) => loadPolicyPath(join(path, f), join(display, f)));
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new PolicyLoadError(display, (err as Error).message);
  }
  if (isWasm(bytes)) {
    let schema: Record<string, unknown> | undefined;
    const schemaFile = join(dirname(path), 'parameters.schema.json');
    try {
      schema = parseJson(readFileSync(schemaFile, 'utf8'), display, 'parameters.schema.json') as Record<
        string,
        unknown
      >;
    } catch (err) {
      if (err instanceof PolicyLoadError) throw err;
    }
    return [{ module: compilePolicy(bytes, display, policyName(path)), parametersSchema: schema }];
  }
  if (isGzip(bytes) || /\.tar$/i.test(path)) {
    let files: TarFiles;
    try {
      files = readTar(bytes);
    } catch (err) {
      throw new PolicyLoadError(display, `not a readable bundle archive (${(err as Error).message})`);
    }
    return [fromBundleFiles(files, display, policyName(path))];
  }
  throw new PolicyLoadError(display, 'not a WebAssembly module, an `opa build` bundle (.tar.gz) or a folder');
}

/**
 * Load the policies at a path (a folder may hold several). Compiled once per process: later calls
 * with the same path return the same modules. `display` is how messages name the path.
 */
export function loadPolicyPath(path: string, display = path): PolicySource[] {
  let hit = cache.get(path);
  if (!hit) {
    hit = loadUncached(path, display);
    cache.set(path, hit);
  }
  return hit;
}

/** A shipped policy: policies/<name>/policy.wasm and its parameters.schema.json. */
export function shippedPolicy(name: string): PolicySource {
  if (!/^[a-z0-9-]+$/.test(name)) throw new RuleConfigError(`unknown shipped policy "${name}"`);
  const dir = join(POLICIES_DIR, name);
  const [src] = loadPolicyPath(dir, `policies/${name}`);
  return src!;
}

type AjvValidator = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> | null;
};
let ajv: { compile(schema: object): AjvValidator } | undefined;
const validators = new WeakMap<object, AjvValidator>();

/**
 * Validate parameters against a policy's schema (ajv, with the schema's defaults filled in).
 * Returns a copy with defaults; throws RuleConfigError starting with `what`.
 */
export function validateParameters(
  schema: Record<string, unknown> | undefined,
  value: unknown,
  what: string,
): unknown {
  const copy = value === undefined ? {} : (JSON.parse(JSON.stringify(value)) as unknown);
  if (!schema) return copy;
  if (!ajv) {
    // Loaded on first use only (kept out of the CLI bundle for start-up time).
    const require = createRequire(import.meta.url);
    const { Ajv } = require('ajv') as { Ajv: new (o: object) => typeof ajv & object };
    // Policies' schemas and the regular expressions in their parameters run on RE2, as OPA does.
    const instance = new Ajv({
      allErrors: false,
      strict: false,
      useDefaults: true,
      code: { regExp: ajvRegExp },
    });
    (require('ajv-formats') as { default: (a: unknown) => void }).default(instance);
    (instance as unknown as { addFormat(n: string, f: (s: string) => boolean): void }).addFormat(
      'regex',
      isRe2Pattern,
    );
    ajv = instance;
  }
  let validate = validators.get(schema);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (err) {
      throw new RuleConfigError(
        `${what}: its parameters schema does not compile: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    validators.set(schema, validate);
  }
  if (!validate(copy)) {
    const e = validate.errors?.[0];
    const extra = e?.params?.allowedValues
      ? ` (${(e.params.allowedValues as unknown[]).join(', ')})`
      : typeof e?.params?.additionalProperty === 'string'
        ? ` ("${e.params.additionalProperty}")`
        : '';
    throw new RuleConfigError(
      `${what}: invalid parameters at ${e?.instancePath || '(root)'}: ${e?.message ?? 'invalid'}${extra}`,
    );
  }
  return copy;
}
