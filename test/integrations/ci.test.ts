// CI integrations: the GitHub Action (action.yml) checked by the real actionlint and by running its
// lint step's script, the GitLab example, and the TTY-only progress line.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { progressReporter } from '../../src/cli/integrations.js';
import { BIN, CACHE_BIN, git, ROOT, tool } from './tools.js';

const ACTIONLINT = join(CACHE_BIN, 'actionlint');
const CLI_FIX = join(ROOT, 'test/fixtures/cli');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const actionText = readFileSync(join(ROOT, 'action.yml'), 'utf8');

function actionlint(cwd: string, ...files: string[]) {
  const r = spawnSync(tool(ACTIONLINT), ['-no-color', ...files], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** A scratch repository whose workflow uses this action as a local action (`uses: ./shipshape`). */
function repoWithAction(workflow: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-actionlint-'));
  git(dir, 'init', '-q');
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  mkdirSync(join(dir, 'shipshape'));
  cpSync(join(ROOT, 'action.yml'), join(dir, 'shipshape/action.yml'));
  writeFileSync(join(dir, '.github/workflows/example.yml'), workflow);
  return dir;
}

describe('GitHub Action', () => {
  it('the example workflow passes actionlint', () => {
    const r = actionlint(ROOT, 'docs/ci/github-workflow.yml');
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('actionlint checks the example’s inputs and outputs against action.yml', () => {
    const example = readFileSync(join(ROOT, 'docs/ci/github-workflow.yml'), 'utf8').replace(
      /uses: \.\/$/gm,
      'uses: ./shipshape',
    );
    const ok = actionlint(repoWithAction(example), '.github/workflows/example.yml');
    expect(ok.out).toBe('');
    expect(ok.code).toBe(0);
    // The check is live: an input the action does not declare is an error.
    const bad = actionlint(
      repoWithAction(example.replace('fail-severity: error', 'fail-on: error')),
      '.github/workflows/example.yml',
    );
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('input "fail-on" is not defined in action "shipshape"');
  });

  it('declares the inputs the docs promise and uses every one of them', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(
      [
        'config',
        'fail-severity',
        'format',
        'max-warnings',
        'node-version',
        'output-file',
        'paths',
        'upload-sarif',
      ].sort(),
    );
    const used = new Set([...actionText.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]));
    for (const name of Object.keys(action.inputs)) expect(used, name).toContain(name);
    for (const name of used) expect(Object.keys(action.inputs), name).toContain(name);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).not.toBe('');
  });

  it('wires every output to a step that writes it', () => {
    expect(action.runs.using).toBe('composite');
    for (const [name, out] of Object.entries(action.outputs)) {
      const m = /^\$\{\{ steps\.([a-z-]+)\.outputs\.([a-z-]+) \}\}$/.exec(out.value);
      expect(m, name).not.toBeNull();
      const step = action.runs.steps.find((s) => s.id === m![1]);
      expect(step?.run, name).toContain(`echo "${m![2]}=`);
    }
    // Composite run steps must name their shell; every step id referenced exists.
    for (const s of action.runs.steps) if (s.run) expect(s.shell, s.name).toBe('bash');
    for (const m of actionText.matchAll(/steps\.([a-z-]+)\.outputs/g))
      expect(action.runs.steps.map((s) => s.id)).toContain(m[1]);
  });

  it('uploads SARIF with codeql-action only for the sarif format, then fails on findings', () => {
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.if).toContain("inputs.format == 'sarif'");
    expect(upload?.with?.sarif_file).toBe('${{ steps.lint.outputs.report-file }}');
    const names = action.runs.steps.map((s) => s.name);
    expect(names.indexOf('Upload SARIF to code scanning')).toBeLessThan(names.indexOf('Fail on findings'));
    // Inputs reach scripts through env, never spliced into the script text (script injection).
    for (const s of action.runs.steps) if (s.run) expect(s.run).not.toContain('${{');
  });

  function runLintStep(inputs: Record<string, string>, cwd: string) {
    const step = action.runs.steps.find((s) => s.id === 'lint')!;
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-action-'));
    const out = join(dir, 'github_output');
    writeFileSync(out, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_OUTPUT: out,
      RUNNER_TEMP: dir,
      SHIPSHAPE: BIN,
    };
    for (const [k, v] of Object.entries(step.env!)) {
      const m = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(v);
      if (m) env[k] = inputs[m[1]!] ?? action.inputs[m[1]!]?.default ?? '';
    }
    // The way GitHub runs `shell: bash` steps.
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd,
      env,
      encoding: 'utf8',
    });
    const outputs = Object.fromEntries(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    ) as Record<string, string>;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
  }

  it('its lint step writes SARIF and reports the exit code as an output', () => {
    const r = runLintStep({ paths: 'good.yaml\nbad.yaml', format: 'sarif', config: '' }, CLI_FIX);
    expect(r.code).toBe(0); // the step itself succeeds; "Fail on findings" fails the job after the upload
    expect(r.outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(readFileSync(r.outputs['report-file']!, 'utf8')) as {
      version: string;
      runs: Array<{ results: unknown[] }>;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
  });

  it('its lint step prints annotations with format github and honours fail-severity / max-warnings', () => {
    const warn = runLintStep({ paths: 'good.yaml', format: 'github', 'fail-severity': 'warn' }, CLI_FIX);
    expect(warn.outputs).toEqual({ 'exit-code': '1', 'report-file': '' });
    expect(warn.stdout).toMatch(/^::warning file=good\.yaml,line=\d+,/m);
    const ok = runLintStep({ paths: 'good.yaml', format: 'github' }, CLI_FIX);
    expect(ok.outputs['exit-code']).toBe('0');
    const capped = runLintStep({ paths: 'good.yaml', format: 'github', 'max-warnings': '0' }, CLI_FIX);
    expect(capped.outputs['exit-code']).toBe('1');
    const usage = runLintStep({ paths: 'good.yaml', format: 'github', config: 'missing.yaml' }, CLI_FIX);
    expect(usage.outputs['exit-code']).toBe('2');
  });
});

describe('GitLab CI example', () => {
  it('writes the Code Quality report the job publishes', () => {
    const job = (
      parse(readFileSync(join(ROOT, 'docs/ci/gitlab-ci.yml'), 'utf8')) as Record<
        string,
        { script: string[]; artifacts: { when: string; reports: { codequality: string } } }
      >
    ).shipshape!;
    const report = job.artifacts.reports.codequality;
    expect(job.artifacts.when).toBe('always');
    const line = job.script.find((l) => l.includes('shipshape lint'))!;
    expect(line).toContain(`--format gitlab --output-file ${report}`);
    // Run the same command line against fixtures (paths swapped for the fixture files).
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-gitlab-'));
    cpSync(join(CLI_FIX, 'bad.yaml'), join(dir, 'bad.yaml'));
    const args = line
      .replace(/^npx --yes shipshape /, '')
      .replace(/ deploy\/$/, ' bad.yaml')
      .split(' ');
    const r = spawnSync(process.execPath, [BIN, ...args, '--no-config'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const issues = JSON.parse(readFileSync(join(dir, report), 'utf8')) as Array<Record<string, unknown>>;
    expect(issues.length).toBeGreaterThan(0);
    expect(Object.keys(issues[0]!).sort()).toEqual([
      'check_name',
      'description',
      'fingerprint',
      'location',
      'severity',
    ]);
    expect(issues[0]!.location).toMatchObject({
      path: 'bad.yaml',
      lines: { begin: expect.any(Number) as number },
    });
  });
});

describe('progress on stderr', () => {
  /** A folder of manifests big enough for the progress line to appear (runs over half a second). */
  function bigCorpus(): string {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-progress-'));
    const doc = readFileSync(join(CLI_FIX, 'good.yaml'), 'utf8');
    const text = Array.from({ length: 40 }, () => doc).join('---\n');
    for (let i = 0; i < 200; i++) writeFileSync(join(dir, `m-${i}.yaml`), text);
    return dir;
  }

  it('is never written when stderr is a pipe', () => {
    const dir = bigCorpus();
    const env = { ...process.env };
    delete env.CI;
    const r = spawnSync(process.execPath, [BIN, 'lint', '.', '--no-config', '-f', 'json'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('is drawn on a real terminal, and not when CI is set', () => {
    tool('/usr/bin/script');
    const dir = bigCorpus();
    // Show progress from the first update: how long the run takes must not decide what this test sees.
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm', SHIPSHAPE_PROGRESS_AFTER_MS: '0' };
    delete env.CI;
    // util-linux `script` runs the command on a pseudo-terminal; stdout goes to a file, stderr stays the TTY.
    // The report goes outside the linted folder (a JSON file there would be linted by the next run).
    const cmd = `"${process.execPath}" "${BIN}" lint . --no-config -f json -o "${dir}.report.json"`;
    const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env, encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(
      /shipshape: (?:\d+\/200 files, \d+ resources \(\d+ files\/s\)|linting 8000 resources in 200 files)/,
    );
    // The line is erased at the end.
    expect(tty.stdout.trimEnd().endsWith('\x1b[2K')).toBe(true);
    const ci = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: dir,
      env: { ...env, CI: 'true' },
      encoding: 'utf8',
    });
    expect(ci.status).toBe(0);
    expect(ci.stdout).not.toContain('shipshape:');
  }, 60_000);

  it('redraws at most every 100 ms, only after half a second, and says files, resources and rate', () => {
    let t = 0;
    let out = '';
    const report = progressReporter({ write: (s: string) => (out += s), isTTY: true }, {}, () => t)!;
    report({ phase: 'read', files: 1, totalFiles: 10, resources: 3 });
    expect(out).toBe('');
    t = 1000;
    report({ phase: 'read', files: 5, totalFiles: 10, resources: 20 });
    t = 1050;
    report({ phase: 'read', files: 6, totalFiles: 10, resources: 24 });
    t = 2000;
    report({ phase: 'lint', files: 10, totalFiles: 10, resources: 40 });
    report({ phase: 'done' });
    expect(out).toBe(
      '\r\x1b[2Kshipshape: 5/10 files, 20 resources (5 files/s)' +
        '\r\x1b[2Kshipshape: linting 40 resources in 10 files' +
        '\r\x1b[2K',
    );
    expect(progressReporter({ write: () => 0, isTTY: false }, {})).toBeUndefined();
    expect(progressReporter({ write: () => 0, isTTY: true }, { CI: 'true' })).toBeUndefined();
    expect(progressReporter({ write: () => 0, isTTY: true }, { TERM: 'dumb' })).toBeUndefined();
  });
});
