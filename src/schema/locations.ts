/**
 * `--schema-location`: JSON Schemas found by kubeconform-style templates, in local folders or (only
 * when given explicitly) at URLs, which are cached on disk. Compiled with ajv, since these are
 * ordinary JSON Schema files rather than the Kubernetes OpenAPI dialect.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeToken, escapeSegment } from '../engine/k8s/pointer.js';
import { ajvRegExp } from '../engine/regex.js';
import { SchemaUsageError, type SchemaCheck, type SchemaRegistry } from './registry.js';
import { displayPath, suggest, type SchemaError } from './validate.js';

const DEFAULT_TEMPLATE =
  '{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json';

export interface LocationOptions {
  /** Full version as kubeconform names folders, e.g. "v1.37.2". */
  kubernetesVersion: string;
  strict: boolean;
  cwd: string;
  cacheDir: string;
  fetchImpl?: typeof fetch;
}

/** Fill a kubeconform-style template for one apiVersion/kind. */
export function renderLocation(
  location: string,
  apiVersion: string,
  kind: string,
  o: Pick<LocationOptions, 'kubernetesVersion' | 'strict'>,
): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const template = location.includes('{{') ? location : `${location.replace(/\/+$/, '')}/${DEFAULT_TEMPLATE}`;
  const vars: Record<string, string> = {
    NormalizedKubernetesVersion: o.kubernetesVersion,
    StrictSuffix: o.strict ? '-strict' : '',
    ResourceKind: kind.toLowerCase(),
    KindSuffix: group ? `-${group.split('.')[0]}-${version}` : `-${version}`,
    Group: group ?? '',
    ResourceAPIVersion: version ?? '',
  };
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (m, k: string) => vars[k] ?? m);
}

// node:crypto is loaded here, on first use: most runs have no schema location URLs.
const isUrl = (s: string) => /^https?:\/\//.test(s);

async function readSchema(where: string, o: LocationOptions): Promise<unknown> {
  if (!isUrl(where)) {
    const p = resolve(o.cwd, where);
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as unknown) : undefined;
  }
  const cached = join(
    o.cacheDir,
    process.getBuiltinModule('node:crypto').createHash('sha256').update(where).digest('hex').slice(0, 32) +
      '.json',
  );
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as unknown;
  const res = await (o.fetchImpl ?? fetch)(where, { signal: AbortSignal.timeout(15_000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${where}: HTTP ${res.status}`);
  const text = await res.text();
  const value = JSON.parse(text) as unknown;
  mkdirSync(o.cacheDir, { recursive: true });
  writeFileSync(cached + '.tmp', text);
  renameSync(cached + '.tmp', cached);
  return value;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type AjvValidate = ((d: unknown) => boolean) & { errors?: AjvError[] | null };

function pointerSegs(p: string): Array<string | number> {
  return p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => (/^\d+$/.test(s) ? Number(s) : decodeToken(s)));
}

/** Turn ajv's errors into the same readable messages as the built-in validator. */
export function ajvErrorsToSchemaErrors(
  errors: readonly AjvError[],
  data: unknown,
  schema: unknown,
): SchemaError[] {
  return errors.map((e): SchemaError => {
    const segs = pointerSegs(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      const allowed = Object.keys(findSchemaProps(schema, segs) ?? {});
      const hint = suggest(key, allowed);
      return {
        path: `${e.instancePath}/${escapeSegment(key)}`,
        message: `${displayPath([...segs, key])}: unknown field${hint ? ` (did you mean "${hint}"?)` : ''}`,
        target: 'key',
      };
    }
    if (e.keyword === 'required') {
      const key = String(e.params.missingProperty);
      return {
        path: `${e.instancePath}/${key}`,
        message: `${displayPath([...segs, key])}: missing required field "${key}"`,
        target: 'value',
      };
    }
    if (e.keyword === 'enum') {
      const allowed = (e.params.allowedValues as unknown[])
        .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
        .join(', ');
      return {
        path: e.instancePath,
        message: `${displayPath(segs)}: must be one of ${allowed}`,
        target: 'value',
      };
    }
    if (e.keyword === 'type') {
      let v: unknown = data;
      for (const s of segs) v = (v as Record<string | number, unknown> | undefined)?.[s];
      const got =
        v === null
          ? 'null'
          : Array.isArray(v)
            ? 'array'
            : typeof v === 'number' && Number.isInteger(v)
              ? 'integer'
              : typeof v;
      return {
        path: e.instancePath,
        message: `${displayPath(segs)}: expected ${String(e.params.type).replace(/,/g, ' or ')}, got ${got}`,
        target: 'value',
      };
    }
    return {
      path: e.instancePath,
      message: `${displayPath(segs)}: ${e.message ?? e.keyword}`,
      target: 'value',
    };
  });
}

/** Best-effort: the `properties` of the schema node at a data path (for "did you mean"). */
function findSchemaProps(schema: unknown, segs: Array<string | number>): unknown {
  let s = schema as Record<string, unknown> | undefined;
  for (const seg of segs) {
    if (!s) return undefined;
    s = (typeof seg === 'number' ? s.items : (s.properties as Record<string, unknown> | undefined)?.[seg]) as
      Record<string, unknown> | undefined;
  }
  return s?.properties;
}

/**
 * For each apiVersion/kind the registry does not know, try the locations in order and register
 * the first schema found. Errors name the location; a missing schema is not an error here.
 */
export async function loadFromLocations(
  locations: readonly string[],
  types: ReadonlyArray<{ apiVersion: string; kind: string }>,
  registry: SchemaRegistry,
  o: LocationOptions,
): Promise<void> {
  const usable = locations.filter((l) => l !== 'default');
  if (usable.length === 0) return;
  const { Ajv } = await import('ajv');
  // Patterns in these schemas come from outside: RE2 (linear time, Go syntax, as the API server).
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    code: { regExp: ajvRegExp },
  });
  for (const { apiVersion, kind } of types) {
    if (registry.has(apiVersion, kind)) continue;
    for (const loc of usable) {
      const where = renderLocation(loc, apiVersion, kind, o);
      const schema = await readSchema(where, o);
      if (schema === undefined) continue;
      let validate: AjvValidate;
      try {
        // kubeconform's schemas name draft-04-era meta-schemas ajv does not ship; the keywords they use are the same.
        const { $schema: _meta, ...body } = schema as Record<string, unknown>;
        validate = ajv.compile(body) as AjvValidate;
      } catch (err) {
        throw new SchemaUsageError(`schema at ${where} does not compile: ${(err as Error).message}`, {
          cause: err,
        });
      }
      const check: SchemaCheck = (obj) =>
        validate(obj) ? [] : ajvErrorsToSchemaErrors(validate.errors ?? [], obj, schema);
      registry.registerLocated(apiVersion, kind, check);
      break;
    }
  }
}
