/**
 * Differential testing of shipshape's schema validation against kubectl-validate (the API server's
 * structural-schema validation, run offline with its builtin schemas for the same Kubernetes minor).
 * Each generated case is accepted or rejected by both; every disagreement must fall in a documented
 * class (docs/differential.md) or it is a finding.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { compileRules } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { parseSource } from '../../src/source/parse.js';
import type { SchemaNode } from '../../src/schema/validate.js';
import {
  COMMON_KINDS,
  ObjectGenerator,
  SchemaSet,
  caseArb,
  sitesOf,
  toYamlText,
  type Case,
} from './gen/k8s-objects.js';

/** The schema governing `pointer` in a generated object. */
function schemaAtPointer(
  schemas: SchemaSet,
  key: string,
  object: Case['object'],
  pointer: string,
): SchemaNode | undefined {
  const site = sitesOf(schemas, object, { $ref: schemas.kinds[key]! }).find(
    (x) => x.path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('') === pointer,
  );
  return site?.schema;
}

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const KUBECTL_VALIDATE = join(ROOT, '.cache/peers/bin/kubectl-validate');

export interface Verdict {
  accept: boolean;
  messages: string[];
}

export interface Outcome {
  id: number;
  key: string;
  case: Case;
  shipshape: Verdict;
  kubectlValidate: Verdict;
  /** Documented reason when the two disagree (undefined: agree, or unexplained). */
  reason?: string;
}

export interface Report {
  minor: string;
  cases: number;
  agree: number;
  /** Disagreements by documented class. */
  documented: Record<string, number>;
  unexplained: Outcome[];
  byMutation: Record<string, { cases: number; agree: number }>;
  examples: Record<string, Outcome>;
}

/** Fails with a clear message when the binary is missing (the proof suite installs it first). */
export function requireKubectlValidate(): string {
  if (!existsSync(KUBECTL_VALIDATE))
    throw new Error(
      `kubectl-validate is not installed at ${KUBECTL_VALIDATE}: run \`PEERS_STRICT=1 scripts/install-peers.sh kubectl-validate\` (CI does this before \`npm run test:proof\`)`,
    );
  return KUBECTL_VALIDATE;
}

interface KvStatus {
  status?: string;
  message?: string;
  details?: { causes?: Array<{ message?: string; field?: string }> };
}

/** Run kubectl-validate once over a folder of one-object JSON files; verdict per file name. */
export function kubectlValidate(dir: string, minor: string): Map<string, Verdict> {
  const bin = requireKubectlValidate();
  const r = spawnSync(bin, [dir, '--version', minor, '--output', 'json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    // never a cluster: no kubeconfig, so its builtin schemas for `minor` are used (offline)
    env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`kubectl-validate exited ${r.status}: ${r.stderr}`);
  const json = JSON.parse(r.stdout) as Record<string, KvStatus[]>;
  const out = new Map<string, Verdict>();
  for (const [path, statuses] of Object.entries(json)) {
    const st = statuses[0] ?? {};
    const messages =
      st.status === 'Success'
        ? []
        : [
            st.message ?? '',
            ...(st.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`),
          ];
    out.set(path.slice(path.lastIndexOf('/') + 1), { accept: st.status === 'Success', messages });
  }
  return out;
}

/** shipshape's schema preset, in process (the same rules `--preset schema` runs). */
export async function shipshapeValidator(minor: string) {
  const rules = await compileRules(builtinRules(), { presets: ['schema'] });
  const bundle = bundledSchemas();
  return (file: string, text: string): Verdict => {
    const { resources, problems } = parseSource(file, text);
    const schemas = new SchemaRegistry(bundle, minor);
    const findings = lint(resources, { rules, schemas, problems, strict: true });
    const errors = findings.filter((f) => f.severity === 'error');
    return { accept: errors.length === 0, messages: errors.map((f) => `[${f.ruleId}] ${f.message}`) };
  };
}

// ---- documented classes of disagreement (docs/differential.md) ----------------------------------

const has = (v: Verdict, re: RegExp) => v.messages.some((m) => re.test(m));
const all = (v: Verdict, re: RegExp) => v.messages.length > 0 && v.messages.every((m) => re.test(m));

/** kubectl-validate's field paths (`spec.containers[0].name`) as segments. */
function fieldSegments(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** True when some proper ancestor of `field` is absent (or null) in `obj`. */
function ancestorAbsent(obj: unknown, field: string): boolean {
  const segs = fieldSegments(field);
  let cur: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return true;
    cur = (cur as Record<string | number, unknown>)[segs[i]!];
    if (cur === undefined || cur === null) return true;
  }
  return false;
}

/** The causes' field paths of a kubectl-validate verdict (`field: message` entries). */
const causeFields = (v: Verdict) => v.messages.slice(1).map((m) => m.slice(0, m.indexOf(': ')));

/**
 * Why shipshape and kubectl-validate may disagree on a case, by design or by a known gap. Each
 * class is explained in docs/differential.md; anything else is a finding to fix.
 */
export function classify(
  o: Omit<Outcome, 'reason'>,
  schemaAt?: (pointer: string) => SchemaNode | undefined,
): string | undefined {
  const { shipshape: s, kubectlValidate: k, case: c } = o;
  if (s.accept === k.accept) return undefined;
  const m = c.mutation;
  if (!s.accept) {
    // Enumerations the API server enforces in Go code (src/schema/overlays.ts): not in the OpenAPI.
    if (m?.kind === 'bad-enum' && all(s, /must be one of/)) return 'overlay-enum';
    // Quantity grammar: the API server's decoder rejects a malformed quantity; the OpenAPI says only
    // string-or-number.
    if (m?.kind === 'bad-quantity' && all(s, /must be a quantity/)) return 'quantity-grammar';
    // kubectl-validate fills the OpenAPI `default` ("" / {} / 0) of an absent required field
    // before checking `required`; shipshape reports the field as missing (as kubeconform does, and
    // as the API server's validation does for nearly all of them).
    const nulled =
      m?.kind === 'null-value' || (m?.kind === 'yaml-plain-scalar' && /plain (~|null|Null)$/.test(m.detail));
    if ((m?.kind === 'missing-required' || nulled) && all(s, /missing required field/))
      return 'required-zero-default';
    // kubectl-validate accepts any JSON type for a metav1.Time/MicroTime outside ObjectMeta (its
    // date-time format check skips non-strings); the API server's decoder rejects them.
    if (
      m?.kind === 'wrong-type' &&
      schemaAt?.(m.path)?.format === 'date-time' &&
      all(s, /expected string, got/)
    )
      return 'kv-date-time-type';
    // Likewise for int-or-string: kubectl-validate replaces IntOrString with a bare
    // `x-kubernetes-int-or-string` and then accepts objects, booleans and fractions; the API
    // server's decoder accepts only an integer or a string.
    if (
      m?.kind === 'int-or-string-edge' &&
      all(s, /expected integer or string, got (object|boolean|array|number)/)
    )
      return 'kv-int-or-string-type';
  } else {
    // kubectl-validate (and the API server) require metadata.name or generateName, which the
    // OpenAPI schema does not; and it defaults an absent struct field to {} (OpenAPI `default: {}`)
    // and then enforces that struct's required fields, where shipshape validates only what is present.
    // Known parser gap (reported): kubectl's YAML decoder (go-yaml v2) reads the plain scalars
    // `0o17` as an integer (Go's ParseInt with base 0); shipshape reads it as a string.
    if (
      m?.kind === 'yaml-plain-scalar' &&
      /plain [-+]?0o/.test(m.detail) &&
      has(k, /cannot unmarshal number|must be of type string/)
    )
      return 'yaml-0o-integer';
    const fields = causeFields(k);
    // The API server's ObjectMeta validation: label and annotation syntax, namespace and name
    // formats. shipshape checks those in rules of the recommended preset (no-invalid-labels,
    // no-invalid-annotations), not in the schema preset compared here.
    if (
      fields.length > 0 &&
      fields.every((f) => /^metadata\.(labels|annotations|namespace|name)$/.test(f)) &&
      all(k, /Invalid value/)
    )
      return 'metadata-syntax';
    // An opaque `type: object` without properties (FieldsV1 in managedFields): shipshape accepts any
    // object there, kubectl-validate treats it as a closed structural object.
    if (fields.length > 0 && fields.every((f) => /\.fieldsV1\./.test(f)) && all(k, /unknown field/))
      return 'opaque-object';
    const nameCause = (f: string) => f === 'metadata.name';
    if (
      fields.length > 0 &&
      fields.every((f) => nameCause(f) || (ancestorAbsent(c.object, f) && has(k, /Required value/)))
    )
      return fields.some(nameCause) ? 'metadata-name' : 'absent-struct-default';
  }
  return undefined;
}

/** Generate `n` cases from `seed`, judge each with both validators, and summarise. */
export async function runDifferential(opts: {
  cases: number;
  seed: number;
  minor: string;
  keep?: string;
}): Promise<Report> {
  const schemas = new SchemaSet(opts.minor);
  const gen = new ObjectGenerator(schemas);
  const samples = fc.sample(caseArb(gen, COMMON_KINDS), { numRuns: opts.cases, seed: opts.seed });
  const dir = opts.keep ?? mkdtempSync(join(tmpdir(), 'shipshape-differential-'));
  mkdirSync(dir, { recursive: true });
  const ship = await shipshapeValidator(opts.minor);
  const files = samples.map((s, i) => {
    const { text, yaml } = toYamlText(s.case.object);
    const name = `case-${String(i).padStart(5, '0')}.${yaml ? 'yaml' : 'json'}`;
    writeFileSync(join(dir, name), text);
    return { name, text };
  });
  const kv = kubectlValidate(dir, opts.minor);
  const report: Report = {
    minor: opts.minor,
    cases: samples.length,
    agree: 0,
    documented: {},
    unexplained: [],
    byMutation: {},
    examples: {},
  };
  samples.forEach((s, i) => {
    const { name, text } = files[i]!;
    const k = kv.get(name);
    if (!k) throw new Error(`kubectl-validate said nothing about ${name}`);
    const base = { id: i, key: s.key, case: s.case, shipshape: ship(name, text), kubectlValidate: k };
    const reason = classify(base, (pointer) => schemaAtPointer(schemas, s.key, s.case.object, pointer));
    const outcome: Outcome = reason ? { ...base, reason } : base;
    const mk = s.case.mutation?.kind ?? 'valid';
    const bm = (report.byMutation[mk] ??= { cases: 0, agree: 0 });
    bm.cases++;
    if (outcome.shipshape.accept === outcome.kubectlValidate.accept) {
      report.agree++;
      bm.agree++;
    } else if (reason) {
      report.documented[reason] = (report.documented[reason] ?? 0) + 1;
      report.examples[reason] ??= outcome;
    } else report.unexplained.push(outcome);
  });
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  return report;
}

/** The report as markdown (for the console and docs/differential.md). */
export function summarize(r: Report): string {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((a / b) * 100).toFixed(1)}%`);
  const documented = Object.values(r.documented).reduce((a, b) => a + b, 0);
  const lines = [
    `Kubernetes ${r.minor}: ${r.cases} cases; agreement ${r.agree}/${r.cases} (${pct(r.agree, r.cases)}); documented disagreements ${documented}; unexplained ${r.unexplained.length}; agreement counting documented classes as explained ${pct(r.agree + documented, r.cases)}`,
    '',
    '| case | cases | agree | rate |',
    '| --- | ---: | ---: | ---: |',
    ...Object.entries(r.byMutation)
      .sort()
      .map(([k, v]) => `| ${k} | ${v.cases} | ${v.agree} | ${pct(v.agree, v.cases)} |`),
    '',
    ...Object.entries(r.documented).map(([k, n]) => `- documented \`${k}\`: ${n}`),
  ];
  return lines.join('\n');
}

/** One disagreement, compact enough to read in a failure message. */
export function describeOutcome(o: Outcome): string {
  return [
    `#${o.id} ${o.key} ${o.case.mutation ? `${o.case.mutation.kind} at ${o.case.mutation.path} (${o.case.mutation.detail})` : 'valid'}`,
    `  shipshape ${o.shipshape.accept ? 'accepts' : 'rejects'}: ${o.shipshape.messages.slice(0, 3).join(' | ')}`,
    `  kubectl-validate ${o.kubectlValidate.accept ? 'accepts' : 'rejects'}: ${o.kubectlValidate.messages.slice(0, 3).join(' | ').slice(0, 400)}`,
    `  object: ${JSON.stringify(o.case.object).slice(0, 600)}`,
  ].join('\n');
}
