/**
 * Differential testing of shipshape's schema validation (`--preset schema`) against the real
 * kube-apiserver (a strict dry-run create, ./apiserver.ts), with kubectl-validate as a secondary
 * column where it is installed. Cases are realistic objects and single mutations of them
 * (./gen/realistic.ts), and the hand-written sample in fixtures/api-sample/. The API server's
 * verdict is the truth; every case counts in its class (the mutation kind, or `valid`).
 *
 * What fails the proof (docs/differential.md): a false rejection (shipshape rejects what the API
 * server accepts) that {@link allowedFalseRejection} does not explain, and an overall agreement
 * below the floors in differential.proof.ts. False acceptances (the API server rejects what
 * shipshape accepts) are the work of issue 12 and are counted, not failed, until then.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { compileRules } from '../../src/engine/compile.js';
import { lint } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { parseSource } from '../../src/source/parse.js';
import type { ApiServer, ApiVerdict } from './apiserver.js';
import { SchemaSet, toYamlText } from './gen/k8s-objects.js';
import { realisticCaseArb, realisticKinds, type RealCase } from './gen/realistic.js';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const KUBECTL_VALIDATE = join(ROOT, '.cache/peers/bin/kubectl-validate');
export const SAMPLE_DIR = join(ROOT, 'test/proof/fixtures/api-sample/cases');
/** kubectl-validate v0.0.4's builtin schemas stop at 1.30: its column is judged at that minor. */
const KUBECTL_VALIDATE_MINOR = '1.30';

export interface Verdict {
  accept: boolean;
  messages: string[];
}

/** One judged case. */
export interface Outcome {
  id: string;
  key: string;
  /** The mutation kind, or `valid`. */
  class: string;
  detail: string;
  /** The case's text, with Secret values redacted ({@link shownText}). */
  text: string;
  shipshape: Verdict;
  apiserver: ApiVerdict;
  kubectlValidate?: Verdict;
  /** Why a false rejection is allowed (see {@link allowedFalseRejection}). */
  allowed?: string;
}

export interface ClassRow {
  cases: number;
  agree: number;
  /** shipshape rejects, the API server accepts. */
  falseReject: number;
  /** shipshape accepts, the API server rejects. */
  falseAccept: number;
  /** API server accepts. */
  apiAccepts: number;
  kvAgree?: number;
}

export interface Report {
  name: string;
  minor: string;
  apiserverVersion: string;
  cases: number;
  agree: number;
  byClass: Record<string, ClassRow>;
  /** False rejections nobody explained: each one fails the proof. */
  unexplained: Outcome[];
  /** Allowed false rejections by reason. */
  allowed: Record<string, number>;
  /** Up to 3 examples of each disagreement (class → outcomes). */
  examples: Record<string, Outcome[]>;
  kubectlValidate: boolean;
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

interface KvStatus {
  status?: string;
  message?: string;
}

/** kubectl-validate over one-object files (offline, builtin schemas); undefined when not installed. */
function kubectlValidateAll(items: Array<{ text: string; yaml: boolean }>): Verdict[] | undefined {
  if (!existsSync(KUBECTL_VALIDATE)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-kv-'));
  try {
    const names = items.map((it, i) => {
      const name = `case-${String(i).padStart(5, '0')}.${it.yaml ? 'yaml' : 'json'}`;
      writeFileSync(join(dir, name), it.text);
      return name;
    });
    const r = spawnSync(KUBECTL_VALIDATE, [dir, '--version', KUBECTL_VALIDATE_MINOR, '--output', 'json'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir },
    });
    if (r.status !== 0 && r.status !== 1) throw new Error(`kubectl-validate exited ${r.status}: ${r.stderr}`);
    const json = JSON.parse(r.stdout) as Record<string, KvStatus[]>;
    const byName = new Map<string, Verdict>();
    for (const [path, statuses] of Object.entries(json)) {
      const st = statuses[0] ?? {};
      byName.set(path.slice(path.lastIndexOf('/') + 1), {
        accept: st.status === 'Success',
        messages: st.status === 'Success' ? [] : [st.message ?? ''],
      });
    }
    return names.map((n) => byName.get(n) ?? { accept: false, messages: ['kubectl-validate said nothing'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- allowed false rejections -----------------------------------------------------------------

/**
 * Why shipshape may reject an object the API server accepts: nothing, any more. Issue 12's bar is
 * 0 false rejections; what the API server takes although it is wrong (duplicate items of a built-in
 * list, quantities its decoder rewrites) is a warning, which does not make the verdict "invalid".
 * Kept as the one place to explain an exception, should one ever be needed (docs/differential.md).
 */
export function allowedFalseRejection(o: Omit<Outcome, 'allowed'>): string | undefined {
  if (o.shipshape.accept || !o.apiserver.accepted) return undefined;
  return undefined;
}

// ---- running -------------------------------------------------------------------------------

/**
 * The text kept in reports and failure messages: a Secret's `data`/`stringData` values replaced
 * (never printed, even the generated ones); other objects unchanged.
 */
export function shownText(key: string, text: string, yaml: boolean): string {
  if (key !== 'v1/Secret') return text;
  try {
    const o: unknown = yaml ? parseYaml(text, { uniqueKeys: false, logLevel: 'silent' }) : JSON.parse(text);
    if (o === null || typeof o !== 'object') return '(a Secret)';
    const r = o as Record<string, unknown>;
    for (const f of ['data', 'stringData']) {
      const m = r[f];
      if (m !== null && typeof m === 'object')
        for (const k of Object.keys(m)) (m as Record<string, unknown>)[k] = '<redacted>';
    }
    return JSON.stringify(r);
  } catch {
    return '(a Secret that does not parse)';
  }
}

export interface CaseInput {
  id: string;
  key: string;
  class: string;
  detail: string;
  text: string;
  yaml: boolean;
}

/** Judge `inputs` with shipshape, the API server and (if installed) kubectl-validate; summarise. */
export async function judgeCases(
  name: string,
  inputs: CaseInput[],
  server: ApiServer,
  minor: string,
): Promise<{ report: Report; outcomes: Outcome[] }> {
  const ship = await shipshapeValidator(minor);
  const api = await server.judgeAll(inputs);
  const kv = kubectlValidateAll(inputs);
  const report: Report = {
    name,
    minor,
    apiserverVersion: server.version,
    cases: inputs.length,
    agree: 0,
    byClass: {},
    unexplained: [],
    allowed: {},
    examples: {},
    kubectlValidate: kv !== undefined,
  };
  const outcomes = inputs.map((c, i): Outcome => {
    const base = {
      id: c.id,
      key: c.key,
      class: c.class,
      detail: c.detail,
      text: shownText(c.key, c.text, c.yaml),
      shipshape: ship(`${c.id}.${c.yaml ? 'yaml' : 'json'}`, c.text),
      apiserver: api[i]!,
      ...(kv ? { kubectlValidate: kv[i]! } : {}),
    };
    const allowed = allowedFalseRejection(base);
    return allowed ? { ...base, allowed } : base;
  });
  for (const o of outcomes) {
    const row = (report.byClass[o.class] ??= {
      cases: 0,
      agree: 0,
      falseReject: 0,
      falseAccept: 0,
      apiAccepts: 0,
    });
    row.cases++;
    if (o.apiserver.accepted) row.apiAccepts++;
    if (o.kubectlValidate)
      row.kvAgree = (row.kvAgree ?? 0) + (o.kubectlValidate.accept === o.apiserver.accepted ? 1 : 0);
    if (o.shipshape.accept === o.apiserver.accepted) {
      row.agree++;
      report.agree++;
      continue;
    }
    const kind = o.shipshape.accept ? 'false-accept' : 'false-reject';
    if (o.shipshape.accept) row.falseAccept++;
    else row.falseReject++;
    const ex = (report.examples[`${o.class} ${kind}`] ??= []);
    if (ex.length < 3) ex.push(o);
    if (!o.shipshape.accept) {
      if (o.allowed) report.allowed[o.allowed] = (report.allowed[o.allowed] ?? 0) + 1;
      else report.unexplained.push(o);
    }
  }
  return { report, outcomes };
}

/** `n` generated cases from `seed` (realistic objects and single mutations), as texts. */
export function generatedCases(n: number, seed: number, minor: string): CaseInput[] {
  const schemas = new SchemaSet(minor);
  const samples = fc.sample(realisticCaseArb(schemas, realisticKinds(schemas)), { numRuns: n, seed });
  return samples.map((s: RealCase, i) => {
    const { text, yaml } = toYamlText(s.object as Parameters<typeof toYamlText>[0]);
    return {
      id: `gen-${String(i).padStart(5, '0')}`,
      key: s.key,
      class: s.mutation?.kind ?? 'valid',
      detail: s.mutation ? `${s.mutation.path} (${s.mutation.detail})` : '',
      text,
      yaml,
    };
  });
}

/**
 * The hand-written sample: fixtures/api-sample/cases/*.yaml, each a stream of documents, each
 * document preceded by a `# case: <class> <description>` comment line.
 */
export function sampleCases(): CaseInput[] {
  const out: CaseInput[] = [];
  for (const file of readdirSync(SAMPLE_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const docs = readFileSync(join(SAMPLE_DIR, file), 'utf8').split(/^---\n/m);
    docs.forEach((doc, i) => {
      if (doc.trim() === '') return;
      const head = /^# case: (\S+) ?(.*)$/m.exec(doc);
      const kind = /^kind: (\S+)/m.exec(doc)?.[1] ?? '?';
      const apiVersion = /^apiVersion: (\S+)/m.exec(doc)?.[1] ?? '?';
      out.push({
        id: `${file}#${i}`,
        key: `${apiVersion}/${kind}`,
        class: head?.[1] ?? 'valid',
        detail: head?.[2] ?? '',
        text: doc,
        yaml: true,
      });
    });
  }
  return out;
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((a / b) * 100).toFixed(1)}%`);

/** The report as markdown (for the console and docs/differential.md). */
export function summarize(r: Report): string {
  const rows = Object.entries(r.byClass).sort(([a, x], [b, y]) =>
    a === 'valid' ? -1 : b === 'valid' ? 1 : y.cases - x.cases,
  );
  const fr = rows.reduce((n, [, v]) => n + v.falseReject, 0);
  const fa = rows.reduce((n, [, v]) => n + v.falseAccept, 0);
  const apiAcc = rows.reduce((n, [, v]) => n + v.apiAccepts, 0);
  const kv = r.kubectlValidate;
  const kvAll = rows.reduce((n, [, v]) => n + (v.kvAgree ?? 0), 0);
  return [
    `${r.name}: ${r.cases} cases, shipshape --kubernetes-version ${r.minor} vs kube-apiserver ${r.apiserverVersion} (dry-run create, fieldValidation=Strict)`,
    `agreement ${r.agree}/${r.cases} (${pct(r.agree, r.cases)}); false rejections ${fr} (${r.unexplained.length} unexplained); false acceptances ${fa}; the API server accepts ${apiAcc}`,
    '',
    `| class | cases | agree | rate | false reject | false accept | API server accepts |${kv ? ' kubectl-validate agrees |' : ''}`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: |${kv ? ' ---: |' : ''}`,
    ...rows.map(
      ([k, v]) =>
        `| ${k} | ${v.cases} | ${v.agree} | ${pct(v.agree, v.cases)} | ${v.falseReject} | ${v.falseAccept} | ${v.apiAccepts} |${kv ? ` ${pct(v.kvAgree ?? 0, v.cases)} |` : ''}`,
    ),
    `| **all** | **${r.cases}** | **${r.agree}** | **${pct(r.agree, r.cases)}** | **${fr}** | **${fa}** | **${apiAcc}** |${kv ? ` **${pct(kvAll, r.cases)}** |` : ''}`,
    ...Object.entries(r.allowed).map(([k, n]) => `- allowed false rejection \`${k}\`: ${n}`),
  ].join('\n');
}

/** One disagreement, compact enough to read in a failure message. */
export function describeOutcome(o: Outcome): string {
  return [
    `${o.id} ${o.key} ${o.class}${o.detail ? ` at ${o.detail}` : ''}`,
    `  shipshape ${o.shipshape.accept ? 'accepts' : 'rejects'}: ${o.shipshape.messages.slice(0, 3).join(' | ')}`,
    `  kube-apiserver ${o.apiserver.accepted ? 'accepts' : 'rejects'}: ${o.apiserver.message.slice(0, 400)}${o.apiserver.warnings.length ? ` (warnings: ${o.apiserver.warnings.join(' | ').slice(0, 200)})` : ''}`,
    `  object: ${o.text.replace(/\s+/g, ' ').slice(0, 500)}`,
  ].join('\n');
}
