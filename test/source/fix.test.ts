// --fix never loses data: only the fixed node's bytes change, and what cannot be fixed that way is skipped with a reason.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/program/main.js';
import type { Finding, JsonPatchOp } from '../../src/engine/types.js';
import { applyFixes } from '../../src/source/fix.js';

const finding = (patch: JsonPatchOp[], name = 'p'): Finding => ({
  ruleId: 'r',
  severity: 'warn',
  category: 'security',
  message: 'm',
  resource: { apiVersion: 'v1', kind: 'Pod', name },
  path: '',
  helpUri: '',
  location: { file: 'f.yaml', document: 1, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
  fix: { safety: 'safe', patch },
});

/** Apply one finding per patch; returns the text and the skip reasons. */
function fix(text: string, ...patches: JsonPatchOp[][]): { text: string; skipped: string[] } {
  const skipped: string[] = [];
  const out = applyFixes(
    text,
    patches.map((p) => finding(p)),
    { onSkip: (_f, why) => skipped.push(why) },
  );
  return { text: out, skipped };
}

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(''),
    env: {},
  });
  return { code, stdout, stderr };
}

function workspace(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-fix-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

describe('flow collections: only the edited collection changes', () => {
  const POD =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1\n    args: [--x, "y"]\n    securityContext: {runAsUser: 1}\n';

  it('an added key goes into the flow mapping; every other flow collection keeps its bytes', () => {
    const { text } = fix(POD, [
      { op: 'add', path: '/spec/containers/0/securityContext/runAsNonRoot', value: true },
    ]);
    expect(text).toBe(POD.replace('{runAsUser: 1}', '{runAsUser: 1, runAsNonRoot: true}'));
  });

  it('adds, inserts and removes inside flow mappings and lists', () => {
    const c = '/spec/containers/0';
    expect(fix(POD, [{ op: 'add', path: `${c}/args/-`, value: 'z w' }]).text).toBe(
      POD.replace('[--x, "y"]', '[--x, "y", "z w"]'),
    );
    expect(fix(POD, [{ op: 'add', path: `${c}/args/0`, value: 'on' }]).text).toBe(
      POD.replace('[--x, "y"]', '["on", --x, "y"]'),
    );
    expect(fix(POD, [{ op: 'remove', path: `${c}/args/1` }]).text).toBe(POD.replace('[--x, "y"]', '[--x]'));
    expect(fix(POD, [{ op: 'remove', path: '/metadata/name' }]).text).toBe(
      POD.replace('{name: p, labels: {app: web}}', '{labels: {app: web}}'),
    );
    expect(fix(POD, [{ op: 'remove', path: '/metadata/labels/app' }]).text).toBe(
      POD.replace('labels: {app: web}', 'labels: {}'),
    );
    expect(fix(POD, [{ op: 'replace', path: `${c}/securityContext`, value: { drop: ['ALL'] } }]).text).toBe(
      POD.replace('{runAsUser: 1}', '{drop: [ALL]}'),
    );
    expect(fix('a: {}\nb: { c: 1 }\n', [{ op: 'add', path: '/a/k', value: 'x' }]).text).toBe(
      'a: {k: x}\nb: { c: 1 }\n',
    );
  });

  it('a whole `lint --fix` run changes only the fixed nodes', async () => {
    const dir = workspace('p.yaml', POD);
    await cli(
      ['lint', '.', '--no-config', '--preset', 'schema', '--rule', 'no-privilege-escalation=error', '--fix'],
      dir,
    );
    expect(readFileSync(join(dir, 'p.yaml'), 'utf8')).toBe(
      POD.replace('{runAsUser: 1}', '{runAsUser: 1, allowPrivilegeEscalation: false}'),
    );
  });
});

describe('a parent that is null, a string or a list', () => {
  const DEP = (template: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:${template}\n`;
  const ADD: JsonPatchOp[] = [{ op: 'add', path: '/spec/template/metadata/labels/app', value: 'web' }];
  const CREATED = '\n    metadata:\n      labels:\n        app: web';

  it('a null parent is replaced by the objects the patch needs', () => {
    for (const empty of [' null', ' ~', '', ' Null']) {
      const { text, skipped } = fix(DEP(empty), ADD);
      expect(skipped).toEqual([]);
      expect(text).toBe(DEP(CREATED));
    }
  });

  it('a string or a list is left alone, with a reason', () => {
    for (const [value, what] of [
      [' "x"', 'a string'],
      [' 3', 'a number'],
      [' []', 'a list'],
      [' [1]', 'a list'],
      ['\n    - a', 'a list'],
    ] as const) {
      const { text, skipped } = fix(DEP(value), ADD);
      expect(text).toBe(DEP(value));
      expect(skipped).toEqual([expect.stringContaining(`/spec/template is ${what}`)]);
    }
  });

  it('`lint --fix-unsafe` on such workloads: no crash; a null template gets the selector labels', async () => {
    const args = [
      'lint',
      '.',
      '--no-config',
      '--preset',
      'schema',
      '--rule',
      'no-selector-mismatch=error',
      '--fix-unsafe',
    ];
    for (const template of [' null', ' "x"', ' []', ' [1]']) {
      const dir = workspace('d.yaml', DEP(template));
      const { code, stderr } = await cli(args, dir);
      expect(stderr).not.toContain('internal error');
      expect(code).not.toBe(2);
      const after = readFileSync(join(dir, 'd.yaml'), 'utf8');
      expect(after).toBe(template === ' null' ? DEP(CREATED) : DEP(template));
    }
  });
});

describe('targets shared through an anchor', () => {
  const SHARED =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: registry.example.com/a:1\n    securityContext: &sc\n      runAsNonRoot: true\n  - name: b\n    image: registry.example.com/b:1\n    securityContext: *sc\n';
  const ape = (i: number): JsonPatchOp[] => [
    { op: 'add', path: `/spec/containers/${i}/securityContext/allowPrivilegeEscalation`, value: false },
  ];
  const AT_ANCHOR = SHARED.replace(
    '      runAsNonRoot: true\n',
    '      runAsNonRoot: true\n      allowPrivilegeEscalation: false\n',
  );

  it('every place that uses the anchor has the same fix: it is applied once, at the anchor', () => {
    expect(fix(SHARED, ape(0), ape(1))).toEqual({ text: AT_ANCHOR, skipped: [] });
    expect(fix(SHARED, ape(1), ape(0))).toEqual({ text: AT_ANCHOR, skipped: [] });
  });

  it('only some places have it: skipped, naming the anchor, and nothing changes', () => {
    for (const i of [0, 1]) {
      const { text, skipped } = fix(SHARED, ape(i));
      expect(text).toBe(SHARED);
      expect(skipped).toEqual([
        expect.stringContaining(
          'is shared through the anchor &sc (used at /spec/containers/0/securityContext, /spec/containers/1/securityContext)',
        ),
      ]);
    }
  });

  it('a `<<` merge of the anchor, nested anchors, or removing the anchored node: skipped', () => {
    const merged = SHARED.replace(
      '    securityContext: *sc\n',
      '    securityContext:\n      <<: *sc\n      runAsUser: 1\n',
    );
    expect(fix(merged, ape(0)).skipped).toEqual([expect.stringContaining('which a `<<` merge also uses')]);
    const removed = fix(SHARED, [{ op: 'remove', path: '/spec/containers/0/securityContext' }]);
    expect(removed.text).toBe(SHARED);
    expect(removed.skipped).toEqual([expect.stringContaining('is anchored as &sc, and aliases use it')]);
  });

  it('replacing or removing the alias itself is a local edit', () => {
    expect(fix(SHARED, [{ op: 'remove', path: '/spec/containers/1/securityContext' }]).text).toBe(
      SHARED.replace('    securityContext: *sc\n', ''),
    );
    expect(
      fix(SHARED, [{ op: 'replace', path: '/spec/containers/1/securityContext', value: { x: 1 } }]).text,
    ).toBe(SHARED.replace('    securityContext: *sc\n', '    securityContext:\n      x: 1\n'));
  });

  it('`lint --fix` on containers sharing a securityContext: fixed at the anchor, no crash', async () => {
    const dir = workspace('p.yaml', SHARED);
    const args = [
      'lint',
      '.',
      '--no-config',
      '--preset',
      'schema',
      '--rule',
      'no-privilege-escalation=error',
      '--fix',
    ];
    const { code, stderr } = await cli(args, dir);
    expect(stderr).not.toContain('internal error');
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'p.yaml'), 'utf8')).toBe(AT_ANCHOR);
  });
});

describe('found by the property test (fix-properties.test.ts)', () => {
  it('`add` at an existing list index inserts, even when the item there has the same value', () => {
    expect(fix('a:\n  - {}\n', [{ op: 'add', path: '/a/0', value: {} }]).text).toBe('a:\n  - {}\n  - {}\n');
  });

  it('a key added next to a tagged key is indented like the key, not like its text after the tag', () => {
    expect(fix('!!str a: 1\n', [{ op: 'add', path: '/on/deep', value: false }]).text).toBe(
      '!!str a: 1\n"on":\n  deep: false\n',
    );
  });
});

describe('the CLI says which fixes it left out', () => {
  it('`lint --fix-unsafe` and `--fix-dry-run` print one note per skipped fix, naming file, line, rule and reason', async () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template: "x"\n';
    const dir = workspace('d.yaml', text);
    for (const flags of [['--fix-unsafe'], ['--fix-dry-run', '--fix-unsafe']]) {
      const { stderr } = await cli(
        ['lint', '.', '--no-config', '--preset', 'schema', '--rule', 'no-selector-mismatch=error', ...flags],
        dir,
      );
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^shipshape: d\.yaml:\d+:\d+: no-selector-mismatch: fix not applied: \/spec\/template is a string, not an object/,
        ),
      ]);
      expect(readFileSync(join(dir, 'd.yaml'), 'utf8')).toBe(text);
    }
  });
});

describe('new scalars are written plain where YAML allows it', () => {
  it('in block context a plain scalar may hold `, ` and ` -- `; in flow context it is quoted', () => {
    const v = 'no-a, no-b -- TODO explain why';
    expect(fix('m:\n  k: old\n', [{ op: 'replace', path: '/m/k', value: v }]).text).toBe(`m:\n  k: ${v}\n`);
    expect(fix('m: {k: old}\n', [{ op: 'replace', path: '/m/k', value: v }]).text).toBe(`m: {k: "${v}"}\n`);
    expect(fix('m:\n  k: old\n', [{ op: 'replace', path: '/m/k', value: 'yes' }]).text).toBe(
      'm:\n  k: "yes"\n',
    );
  });
});
