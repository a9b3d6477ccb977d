// The generic rule runner: every rule's examples and fixtures (test/rules/<id>/), plus the parity
// between rules, fixtures and generated docs. Snapshots show each finding under its source line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.js';
import type { DeclaredRuleFunction, RuleDefinition } from '../../src/engine/rule.js';
import type { Finding } from '../../src/engine/types.js';
import { openLinter, type Linter } from '../../src/linter/linter.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { RULE_FUNCTIONS } from '../../src/rules/registry.generated.js';
import { parseSource } from '../../src/source/parse.js';
import { applyFixes } from '../../src/source/fix.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/rules');
const SOURCE_RULES = new Set(['yaml-syntax', 'duplicate-key', 'invalid-resource', 'unused-disable-directive', 'unreadable-file']);

/**
 * Options for a rule's fixtures: test/rules/<id>/options.<fixture> for that one fixture, else
 * test/rules/<id>/options.yaml for all of them (and the examples), if present.
 */
function optionsFor(id: string, file?: string): Record<string, unknown> | undefined {
  const own = file === undefined ? undefined : join(FIXTURES, id, `options.${file}`);
  const p = own !== undefined && existsSync(own) ? own : join(FIXTURES, id, 'options.yaml');
  return existsSync(p) ? (parseDocument(readFileSync(p, 'utf8')).toJS() as Record<string, unknown>) : undefined;
}

/**
 * A linter with exactly one rule enabled (plus no-host-network for the directive rule's
 * fixtures), opened as the CLI opens it, so in-manifest suppressions are honoured as there. A new
 * one for each lint: CRDs a fixture registers must not leak into the next.
 */
function linterFor(def: RuleDefinition, options?: Record<string, unknown>): Promise<Linter> {
  const config: Config = {
    presets: [],
    rules: def.id === 'unused-disable-directive' ? { 'no-host-network': 'error' } : { [def.id]: options ? { options } : {} },
  };
  // policy-error reports on Rego rules: its fixtures run one that looks at every kind (with a
  // label to check: without one the rule has nothing to report and is not evaluated).
  if (def.id === 'policy-error')
    config.rules!['require-label-patterns'] = { severity: 'warn', options: { labels: [{ key: 'team' }] } };
  return openLinter(config, { baseDir: ROOT });
}

const mine = (def: RuleDefinition, findings: readonly Finding[]) =>
  findings.filter((f) => f.ruleId === def.id && !f.suppressed);

/** Lint text with the rule's linter; suppressed findings and other rules' findings are dropped. */
export async function lintWithRule(def: RuleDefinition, file: string, text: string, options?: Record<string, unknown>): Promise<Finding[]> {
  const linter = await linterFor(def, options);
  return mine(def, linter.lintSources([{ file, text }], { reportUnusedDirectives: def.id === 'unused-disable-directive' }).findings);
}

/** Lint a fixture file from disk, as `shipshape lint <file>` reads it (its text is '' when it cannot be read). */
async function lintFixture(def: RuleDefinition, dir: string, file: string, options?: Record<string, unknown>) {
  const linter = await linterFor(def, options);
  let text = '';
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch {
    // unreadable-file's fixture is a dangling link
  }
  const { findings } = await linter.lintFiles([relative(ROOT, join(dir, file))], {
    reportUnusedDirectives: def.id === 'unused-disable-directive',
  });
  return { text, findings: mine(def, findings) };
}

/** `file:line:col message` with the source line and a caret run under the range. */
function render(findings: readonly Finding[], text: string): string {
  const lines = text.split(/\r?\n/);
  return findings
    .map((f) => {
      const loc = f.location!;
      const src = lines[loc.start.line - 1] ?? '';
      const width = loc.end.line === loc.start.line ? Math.max(1, loc.end.column - loc.start.column) : Math.max(1, src.length - loc.start.column + 1);
      const gutter = String(loc.start.line).padStart(4);
      return [
        `${loc.start.line}:${loc.start.column} ${f.severity} ${f.message}  (${f.resource.kind}/${f.resource.name ?? ''} ${f.path})`,
        `${gutter} | ${src}`,
        `${' '.repeat(gutter.length)} | ${' '.repeat(loc.start.column - 1)}${'^'.repeat(width)}`,
        f.fix ? `     fix (${f.fix.safety}): ${JSON.stringify(f.fix.patch)}` : '',
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n\n');
}

const rules = builtinRules();

describe('rule catalog parity', () => {
  it('has at least one rule and unique ids', () => {
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('describes each rule with one of the verbs of the convention (src/formatters/types.ts)', () => {
    const off = rules.filter((r) => !/^(Disallow|Require|Enforce|Report) /.test(r.description)).map((r) => `${r.id}: ${r.description}`);
    expect(off).toEqual([]);
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s has fixtures, examples (unless produced by the parser) and a docs page', (id, def) => {
    expect(existsSync(join(FIXTURES, id)), `test/rules/${id}/ is missing`).toBe(true);
    const files = readdirSync(join(FIXTURES, id));
    expect(files.some((f) => /^invalid.*\.ya?ml$/.test(f) && !f.includes('.fixed.')), `test/rules/${id}/invalid*.yaml is missing`).toBe(true);
    if (!SOURCE_RULES.has(id)) expect(files.some((f) => /^valid.*\.ya?ml$/.test(f)), `test/rules/${id}/valid*.yaml is missing`).toBe(true);
    if (!SOURCE_RULES.has(id) && def.category !== 'schema') expect(def.examples, `rules/${def.category}/${id}.yaml needs examples`).toBeDefined();
    expect(existsSync(join(ROOT, 'docs/rules', `${id}.md`))).toBe(true);
    if (def.fix) expect(files.some((f) => f.endsWith('.fixed.yaml')), `a rule with a fix needs invalid.fixed.yaml`).toBe(true);
  });

  // A function rule is three things: rules/<category>/<id>.yaml, src/rules/<category>/<id>.ts, fixtures.
  const functionRules = rules.filter((r): r is RuleDefinition & { check: { function: string } } => 'function' in r.check);
  const RULE_SRC = join(ROOT, 'src/rules');
  const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

  it.each(functionRules.map((r) => [r.id, r] as const))('%s has its check function in src/rules/<category>/<id>.ts, registered with the target its YAML declares', async (id, def) => {
    const fn = def.check.function;
    const owner = rules.find((r) => r.id === fn);
    expect(owner, `check function "${fn}" of ${id} must be a rule id (its file is src/rules/<category>/${fn}.ts)`).toBeDefined();
    const file = join(RULE_SRC, owner!.category, `${fn}.ts`);
    expect(existsSync(file), `src/rules/${owner!.category}/${fn}.ts is missing`).toBe(true);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const exported = mod[camel(fn)] as DeclaredRuleFunction | undefined;
    expect(exported, `src/rules/${owner!.category}/${fn}.ts must export ${camel(fn)}`).toBeTypeOf('function');
    expect(RULE_FUNCTIONS[fn], 'src/rules/registry.generated.ts is stale: run `npm run build:rules`').toBe(exported);
    expect(exported!.target, `the target declared in ${fn}.ts must be the YAML's`).toBe(def.target ?? 'resource');
    if (def.options?.schema && fn === id) {
      const name = `${camel(id).replace(/^./, (c) => c.toUpperCase())}Options`;
      expect(readFileSync(file, 'utf8'), `${fn}.ts must export its options type ${name}`).toMatch(
        new RegExp(`export (?:interface|type) ${name}\\b|export type \\{[^}]*\\bas ${name}\\b`),
      );
    }
  });

  it('has no check function file without its rule, and registers exactly the rules\' functions', () => {
    const owned = new Set(functionRules.filter((r) => r.check.function === r.id).map((r) => `${r.category}/${r.id}.ts`));
    const files = ['schema', 'security', 'reliability', 'efficiency', 'hygiene'].flatMap((c) =>
      existsSync(join(RULE_SRC, c)) ? readdirSync(join(RULE_SRC, c)).filter((f) => f.endsWith('.ts')).map((f) => `${c}/${f}`) : [],
    );
    expect(files.filter((f) => !owned.has(f)), 'src/rules/<category>/<id>.ts without rules/<category>/<id>.yaml using it').toEqual([]);
    expect(Object.keys(RULE_FUNCTIONS).sort()).toEqual([...new Set(functionRules.map((r) => r.check.function))].sort());
  });

  it('has no fixture folder without a rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    const orphans = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !ids.has(d.name))
      .map((d) => d.name);
    expect(orphans).toEqual([]);
  });
});

describe.each(rules.map((r) => [r.id, r] as const))('rule %s', (id, def) => {
  const dir = join(FIXTURES, id);
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  const options = optionsFor(id);

  if (def.examples) {
    it('fires on its invalid example and not on its valid one', async () => {
      expect((await lintWithRule(def, 'example.yaml', def.examples!.invalid, options)).length).toBeGreaterThan(0);
      expect(await lintWithRule(def, 'example.yaml', def.examples!.valid, options)).toEqual([]);
    });
  }

  for (const file of files.filter((f) => /^valid.*\.ya?ml$/.test(f))) {
    it(`stays silent on ${file}`, async () => {
      const { text, findings } = await lintFixture(def, dir, file, optionsFor(id, file));
      expect(render(findings, text)).toBe('');
    });
  }

  for (const file of files.filter((f) => /^invalid.*\.ya?ml$/.test(f) && !f.includes('.fixed.'))) {
    it(`fires exactly on the fire-* objects of ${file}`, async () => {
      const fileOptions = optionsFor(id, file);
      const { text, findings } = await lintFixture(def, dir, file, fileOptions);
      expect(findings.length).toBeGreaterThan(0);
      if (!SOURCE_RULES.has(id)) {
        const parsed = parseSource(file, text);
        for (const r of parsed.resources) {
          const name = String((r.object.metadata as { name?: string } | undefined)?.name ?? '');
          expect(name, `every object in ${file} is named fire-* or dont-fire-*`).toMatch(/^(fire|dont-fire)-/);
          const hits = findings.filter((f) => f.resource.name === name && f.resource.kind === r.object.kind);
          if (name.startsWith('fire-')) expect(hits.length, `${name} should fire`).toBeGreaterThan(0);
          else expect(render(hits, text), `${name} should not fire`).toBe('');
        }
      }
      await expect(render(findings, text) + '\n').toMatchFileSnapshot(join(dir, '__snapshots__', `${file}.snap`));

      const fixedFile = join(dir, file.replace(/\.ya?ml$/, '.fixed.yaml'));
      if (def.fix && existsSync(fixedFile)) {
        const fixed = applyFixes(text, findings, { unsafe: true });
        expect(fixed).toBe(readFileSync(fixedFile, 'utf8'));
        const again = await lintWithRule(def, file, fixed, fileOptions);
        const fixable = findings.filter((f) => f.fix).map((f) => `${f.resource.kind}/${f.resource.name}`);
        expect(again.filter((f) => fixable.includes(`${f.resource.kind}/${f.resource.name}`) && f.fix)).toEqual([]);
        expect(applyFixes(fixed, again, { unsafe: true })).toBe(fixed);
      }
    });
  }
});
