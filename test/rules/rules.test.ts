// The generic rule runner: every rule's examples and fixtures (test/rules/<id>/), plus the parity
// between rules, fixtures and generated docs. Snapshots show each finding under its source line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileRules, type RuleSettings } from '../../src/engine/compile.js';
import type { RuleDefinition } from '../../src/engine/rule.js';
import { lint } from '../../src/engine/run.js';
import type { Finding } from '../../src/engine/types.js';
import { builtinRules } from '../../src/rules/builtin.js';
import { bundledSchemas } from '../../src/schema/bundled.js';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { parseSource } from '../../src/source/parse.js';
import { applyFixes } from '../../src/source/fix.js';
import { Suppressor } from '../../src/source/suppressions.js';
import { aliasTable } from '../../src/engine/suppress.js';
import { policyDeps } from '../../src/policy/setup.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/rules');
const source = bundledSchemas();
const SOURCE_RULES = new Set(['yaml-syntax', 'duplicate-key', 'invalid-resource', 'unused-disable-directive']);
const aliases = aliasTable(builtinRules());

/** Options for a rule's fixtures: test/rules/<id>/options.yaml (rule options), if present. */
function optionsFor(id: string): Record<string, unknown> | undefined {
  const p = join(FIXTURES, id, 'options.yaml');
  return existsSync(p) ? (parseDocument(readFileSync(p, 'utf8')).toJS() as Record<string, unknown>) : undefined;
}

/**
 * Lint text with exactly one rule enabled (plus no-host-network for the directive rule's fixtures),
 * with in-manifest suppressions honoured as in the CLI. Suppressed findings are dropped.
 */
export async function lintWithRule(def: RuleDefinition, file: string, text: string, options?: Record<string, unknown>): Promise<Finding[]> {
  const unused = def.id === 'unused-disable-directive';
  const settings: RuleSettings = {
    presets: [],
    rules: unused ? { 'no-host-network': 'error' } : { [def.id]: options ? { options } : {} },
  };
  // policy-error reports on Rego rules: its fixtures run one that looks at every kind.
  if (def.id === 'policy-error') settings.rules!['require-label-patterns'] = 'warn';
  const rules = await compileRules(builtinRules(), settings, policyDeps(settings));
  const parsed = parseSource(file, text);
  const schemas = new SchemaRegistry(source);
  for (const r of parsed.resources) if (r.object.kind === 'CustomResourceDefinition') schemas.registerCrd(r.object);
  const suppressor = new Suppressor({ inline: true, aliases });
  suppressor.addFile(file, text);
  const findings = lint(parsed.resources, { rules, schemas, problems: parsed.problems, suppress: suppressor.hook });
  if (unused) findings.push(...suppressor.unusedDirectives());
  return findings.filter((f) => f.ruleId === def.id && !f.suppressed);
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

  it.each(rules.map((r) => [r.id, r] as const))('%s has fixtures, examples (unless produced by the parser) and a docs page', (id, def) => {
    expect(existsSync(join(FIXTURES, id)), `test/rules/${id}/ is missing`).toBe(true);
    const files = readdirSync(join(FIXTURES, id));
    expect(files.some((f) => /^invalid.*\.ya?ml$/.test(f) && !f.includes('.fixed.')), `test/rules/${id}/invalid*.yaml is missing`).toBe(true);
    if (!SOURCE_RULES.has(id)) expect(files.some((f) => /^valid.*\.ya?ml$/.test(f)), `test/rules/${id}/valid*.yaml is missing`).toBe(true);
    if (!SOURCE_RULES.has(id) && def.category !== 'schema') expect(def.examples, `rules/${def.category}/${id}.yaml needs examples`).toBeDefined();
    expect(existsSync(join(ROOT, 'docs/rules', `${id}.md`))).toBe(true);
    if (def.fix) expect(files.some((f) => f.endsWith('.fixed.yaml')), `a rule with a fix needs invalid.fixed.yaml`).toBe(true);
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
      const text = readFileSync(join(dir, file), 'utf8');
      expect(render(await lintWithRule(def, file, text, options), text)).toBe('');
    });
  }

  for (const file of files.filter((f) => /^invalid.*\.ya?ml$/.test(f) && !f.includes('.fixed.'))) {
    it(`fires exactly on the fire-* objects of ${file}`, async () => {
      const text = readFileSync(join(dir, file), 'utf8');
      const findings = await lintWithRule(def, file, text, options);
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
        const again = await lintWithRule(def, file, fixed, options);
        const fixable = findings.filter((f) => f.fix).map((f) => `${f.resource.kind}/${f.resource.name}`);
        expect(again.filter((f) => fixable.includes(`${f.resource.kind}/${f.resource.name}`) && f.fix)).toEqual([]);
        expect(applyFixes(fixed, again, { unsafe: true })).toBe(fixed);
      }
    });
  }
});
