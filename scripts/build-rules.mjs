#!/usr/bin/env node
// Compiles rules/<category>/<id>.yaml into rules/index.json (what the CLI loads at start-up), the
// generated docs (docs/rules/<id>.md, docs/rules/README.md) and the registry of check functions
// (src/rules/registry.generated.ts), validating each rule against schemas/rule.schema.json.
// A rule with `check: { function: <name> }` has its function in src/rules/<category>/<name>.ts
// (beside rules/<category>/<name>.yaml), exported as the camel-cased name; every such file has its
// YAML. `--check` fails when any generated file is stale.
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join, relative, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import Ajv from 'ajv';
import * as prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'rules');
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/rule.schema.json'), 'utf8')));

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.ya?ml$/.test(name)) yield p;
  }
}

const problems = [];
const defs = [];
for (const file of walk(rulesDir)) {
  const rel = relative(root, file);
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors)
      problems.push(
        `${rel}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split('\n')[0]}`,
      );
    continue;
  }
  const def = doc.toJS();
  if (!validate(def)) {
    for (const e of validate.errors) problems.push(`${rel}: ${e.instancePath || '(root)'} ${e.message}`);
    continue;
  }
  if (def.id !== basename(file).replace(/\.ya?ml$/, ''))
    problems.push(`${rel}: id "${def.id}" must equal the file name`);
  if (def.category !== basename(dirname(file)))
    problems.push(`${rel}: category "${def.category}" must equal the folder name`);
  defs.push(def);
}
const seen = new Set();
for (const d of defs) {
  if (seen.has(d.id)) problems.push(`rule id "${d.id}" is defined twice`);
  seen.add(d.id);
}
defs.sort((a, b) => (a.id < b.id ? -1 : 1));

// Check functions: src/rules/<category>/<function>.ts, owned by the rule whose id is the function's name.
const srcRulesDir = join(root, 'src', 'rules');
const CATEGORIES = ['schema', 'security', 'reliability', 'efficiency', 'hygiene'];
/** `no-host-port` → `noHostPort`: the name a rule file exports its check function under. */
const exportName = (id) => id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const byId = new Map(defs.map((d) => [d.id, d]));
/** function name → { category, file, exportName } */
const functionFiles = new Map();
for (const d of defs) {
  const fn = d.check.function;
  if (fn === undefined) continue;
  const owner = byId.get(fn);
  if (!owner) {
    problems.push(
      `rules/${d.category}/${d.id}.yaml: check function "${fn}" is not a rule id; a function lives in src/rules/<category>/<rule-id>.ts beside its rule`,
    );
    continue;
  }
  if (owner.check.function !== fn) {
    problems.push(
      `rules/${d.category}/${d.id}.yaml: check function "${fn}" belongs to rule ${fn}, which does not use it`,
    );
    continue;
  }
  const file = join(srcRulesDir, owner.category, `${fn}.ts`);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.push(
      `rules/${owner.category}/${fn}.yaml: its check function file ${relative(root, file)} is missing`,
    );
    continue;
  }
  const name = exportName(fn);
  if (!new RegExp(`^export (?:const|function) ${name}\\b`, 'm').test(text))
    problems.push(`${relative(root, file)}: must export its check function as \`${name}\``);
  functionFiles.set(fn, { category: owner.category, name });
}
for (const category of CATEGORIES) {
  let names = [];
  try {
    names = readdirSync(join(srcRulesDir, category)).filter((f) => f.endsWith('.ts'));
  } catch {
    /* no function rules in this category */
  }
  for (const f of names) {
    const id = f.slice(0, -'.ts'.length);
    if (functionFiles.get(id)?.category !== category)
      problems.push(
        `src/rules/${category}/${f}: no rule rules/${category}/${id}.yaml with \`check: { function: ${id} }\``,
      );
  }
}

if (problems.length) {
  console.error(`build-rules: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

const REF_NAMES = {
  pss: 'Pod Security Standards',
  'kube-linter': 'kube-linter',
  polaris: 'Polaris',
  'kube-score': 'kube-score',
  kyverno: 'Kyverno policy library',
  trivy: 'Trivy',
  kubeconform: 'kubeconform',
  kubernetes: 'Kubernetes documentation',
};
const code = (xs) => xs.map((x) => `\`${x}\``).join(', ');
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function rulePage(d) {
  const rows = [
    ['Category', code([d.category])],
    ['Default severity', code([d.severity])],
    ['Presets', d.presets.length ? code(d.presets) : 'none (enable it in config)'],
    ['Applies to', d.match?.kinds ? code(d.match.kinds) : 'every kind'],
    ['Looks at', code([d.target ?? 'resource'])],
    ['Fix', d.fix ? `${d.fix.safety}${d.fix.description ? `: ${d.fix.description}` : ''}` : 'none'],
  ];
  if (d.scope === 'set')
    rows.push(['Scope', 'the other resources linted in the same run (skipped at admission)']);
  for (const [k, v] of Object.entries(d.references ?? {}))
    rows.push([REF_NAMES[k] ?? k, Array.isArray(v) ? v.join(', ') : v]);
  const out = [
    `# ${d.id}`,
    '',
    `${d.description}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '## Why',
    '',
    d.why.trim(),
    '',
    '## How to fix',
    '',
    d.remediation.trim(),
  ];
  if (d.check.rego) {
    // A Rego rule's options are its policy's parameters, described by the schema beside the policy.
    const file = `policies/${d.check.rego.policy}/parameters.schema.json`;
    const schema = JSON.parse(readFileSync(join(root, file), 'utf8'));
    out.push(
      '',
      '## Parameters',
      '',
      `Set in \`.shipshape.yaml\` under \`rules.${d.id}.options\`; the policy reads them as \`input.parameters\`. Checked against [${file}](../../${file}); policy: [policies/${d.check.rego.policy}](../../policies/${d.check.rego.policy}/), see [Rego policies](../policies.md).`,
      '',
      '| parameter | default | meaning |',
      '| --- | --- | --- |',
    );
    for (const [name, p] of Object.entries(schema.properties ?? {})) {
      out.push(`| \`${name}\` | \`${JSON.stringify(p.default ?? null)}\` | ${cell(p.description ?? '')} |`);
    }
  }
  if (d.options?.schema) {
    out.push(
      '',
      '## Options',
      '',
      'Set in `.shipshape.yaml` under `rules.' + d.id + '.options`.',
      '',
      '| option | default | meaning |',
      '| --- | --- | --- |',
    );
    for (const [name, schema] of Object.entries(d.options.schema.properties ?? {})) {
      out.push(
        `| \`${name}\` | \`${JSON.stringify(d.options.defaults?.[name] ?? null)}\` | ${cell(schema.description ?? '')} |`,
      );
    }
  }
  if (d.examples) {
    out.push(
      '',
      '## Examples',
      '',
      'Reported:',
      '',
      '```yaml',
      d.examples.invalid.trimEnd(),
      '```',
      '',
      'Not reported:',
      '',
      '```yaml',
      d.examples.valid.trimEnd(),
      '```',
    );
  }
  out.push(
    '',
    `_Generated from [rules/${d.category}/${d.id}.yaml](../../rules/${d.category}/${d.id}.yaml) by \`npm run build:rules\`._`,
    '',
  );
  return out.join('\n');
}

function indexPage(list) {
  const out = [
    '# Rules',
    '',
    `${list.length} rules. Presets are computed from each rule's \`presets\` field.`,
    '',
  ];
  const presets = new Map();
  for (const d of list) for (const p of d.presets) presets.set(p, (presets.get(p) ?? 0) + 1);
  out.push(
    '| preset | rules |',
    '| --- | --- |',
    ...[...presets].sort().map(([p, n]) => `| \`${p}\` | ${n} |`),
    '',
  );
  for (const cat of ['schema', 'security', 'reliability', 'efficiency', 'hygiene']) {
    const rs = list.filter((d) => d.category === cat);
    if (rs.length === 0) continue;
    out.push(
      `## ${cat}`,
      '',
      '| rule | description | severity | presets | fix |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const d of rs)
      out.push(
        `| [${d.id}](${d.id}.md) | ${cell(d.description)} | ${d.severity} | ${d.presets.join(', ')} | ${d.fix ? d.fix.safety : ''} |`,
      );
    out.push('');
  }
  out.push('_Generated by `npm run build:rules`._', '');
  return out.join('\n');
}

function suppressionsPage(list) {
  const rows = (key, annotation) =>
    list
      .flatMap((d) => [].concat(d.references?.[key] ?? []).map((check) => [check, d.id]))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([check, id]) => `| \`${annotation(check)}\` | [${id}](rules/${id}.md) |`);
  return [
    '# Suppressing findings',
    '',
    'Every suppressed finding stays in `--format json` and SARIF output with `suppressed: { kind, justification }`;',
    'the other formats leave it out. See docs/adr/0006-suppressions-and-fixes.md for the design.',
    '',
    '## In the manifest (off with `--no-inline-config` or `inlineConfig: false`)',
    '',
    '```yaml',
    'metadata:',
    '  annotations:',
    '    shipshape.dev/ignore: "no-host-network, no-host-pid -- node agent, reviewed in SEC-12"',
    '    shipshape.dev/ignore.sidecar: "require-cpu-limit -- vendor sidecar"   # one container',
    'spec:',
    '  # shipshape-disable-next-line no-host-port -- legacy port, removed in Q3',
    '  hostPort: 8080',
    '```',
    '',
    'Comments: `# shipshape-disable-next-line [rules] [-- reason]`, `# shipshape-disable-line …` (at the end of',
    'a line), `# shipshape-disable …` / `# shipshape-enable …` ranges, and `# shipshape-disable-file …`.',
    'Without rule ids a directive covers every rule. `--report-unused-disable-directives` reports',
    'directives that suppressed nothing.',
    '',
    '## In configuration',
    '',
    '`exemptions:` in `.shipshape.yaml` by rule (or `*`), namespace, kind, name glob and path glob, with a `reason`.',
    'Config exemptions are honoured even when inline configuration is off.',
    '',
    "## The peers' annotations",
    '',
    'Repositories migrating from kube-linter, Polaris or kube-score keep their annotations: each is honoured',
    "for the shipshape rules that check the same thing (computed from every rule's `references`).",
    '`polaris.fairwinds.com/exempt: "true"` exempts an object from every rule that has a Polaris equivalent.',
    '',
    '| annotation | suppresses |',
    '| --- | --- |',
    ...rows('kube-linter', (c) => `ignore-check.kube-linter.io/${c}`),
    ...rows('polaris', (c) => `polaris.fairwinds.com/${c}-exempt: "true"`),
    ...rows('kube-score', (c) => `kube-score/ignore: ${c}`),
    '',
    '_Generated by `npm run build:rules`._',
    '',
  ].join('\n');
}

async function registryModule(file) {
  const fns = [...functionFiles].sort(([a], [b]) => (a < b ? -1 : 1));
  const text = [
    '// Generated by `npm run build:rules` from rules/**/*.yaml: do not edit.',
    '/** Every built-in check function by the name rules give it in `check: { function }`. */',
    "import type { DeclaredRuleFunction } from '../engine/rule.js';",
    ...fns.map(([fn, f]) => `import { ${f.name} } from './${f.category}/${fn}.js';`),
    '',
    'export const RULE_FUNCTIONS: Readonly<Record<string, DeclaredRuleFunction>> = {',
    ...fns.map(([fn, f]) => `  '${fn}': ${f.name},`),
    '};',
    '',
  ].join('\n');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

const docsDir = join(root, 'docs', 'rules');
const outputs = new Map([
  [join(rulesDir, 'index.json'), JSON.stringify(defs) + '\n'],
  [join(docsDir, 'README.md'), indexPage(defs)],
]);
const registryFile = join(srcRulesDir, 'registry.generated.ts');
outputs.set(registryFile, await registryModule(registryFile));
for (const d of defs) outputs.set(join(docsDir, `${d.id}.md`), rulePage(d));
outputs.set(join(root, 'docs', 'suppressions.md'), suppressionsPage(defs));
// Hand-written pages in docs/rules/ that are no rule's page (kept, not generated).
const HAND_WRITTEN = ['coverage.md'].map((f) => join(docsDir, f));
const expectedDocs = new Set([...outputs.keys()].filter((f) => f.startsWith(docsDir)).concat(HAND_WRITTEN));
let extra = [];
try {
  extra = readdirSync(docsDir)
    .map((f) => join(docsDir, f))
    .filter((f) => f.endsWith('.md') && !expectedDocs.has(f));
} catch {
  /* no docs yet */
}

if (process.argv.includes('--check')) {
  const stale = [];
  for (const [file, text] of outputs) {
    let current;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== text) stale.push(relative(root, file));
  }
  for (const f of extra) stale.push(`${relative(root, f)} (no rule)`);
  if (stale.length) {
    console.error(
      `build-rules: stale generated files; run \`npm run build:rules\` and commit:\n  ${stale.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`build-rules: generated files are fresh (${defs.length} rules)`);
} else {
  mkdirSync(docsDir, { recursive: true });
  for (const [file, text] of outputs) {
    writeFileSync(file + '.tmp', text);
    renameSync(file + '.tmp', file);
  }
  for (const f of extra) unlinkSync(f);
  console.log(
    `build-rules: wrote rules/index.json, src/rules/registry.generated.ts and ${defs.length + 1} docs pages`,
  );
}
