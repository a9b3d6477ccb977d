import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directoryUri,
  FINGERPRINT_KEY,
  pascalCase,
  sarif as sarifChunks,
  type SarifLog,
} from '../../src/formatters/sarif.js';
import { formatToString } from '../../src/formatters/index.js';
import { ALL, context, fromStdin, hostNetwork, NASTY_MESSAGE, orphan } from './fixtures.js';

const sarif = (...args: Parameters<typeof sarifChunks>): string => formatToString(sarifChunks, ...args);

// The SARIF SDK (@microsoft/sarif-multitool) ships its SARIF 2.1.0 schema next to the validator
// binary, in the package for this platform; the wrapper package exports that binary's path.
const require = createRequire(import.meta.url);
const multitool = require('@microsoft/sarif-multitool') as string;
const schema = JSON.parse(
  await readFile(path.join(path.dirname(multitool), 'sarif-2.1.0.json'), 'utf8'),
) as Record<string, unknown>;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const parse = (s: string): SarifLog => JSON.parse(s) as SarifLog;
/** The first result's first location of a log. */
const firstLocation = (log: SarifLog) => log.runs[0]!.results[0]!.locations[0]!;

describe('sarif', () => {
  const log = parse(sarif(ALL, context()));
  const run = log.runs[0]!;
  const results = run.results;

  it('is valid against the SARIF 2.1.0 schema', () => {
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate(parse(sarif([], context())))).toBe(true);
    expect(validate(parse(sarif([orphan, fromStdin], context({ rules: new Map() }))))).toBe(true);
  });

  it('the validator rejects a broken log', () => {
    const { version: _, ...noVersion } = log;
    expect(validate(noVersion)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'version' } }),
    );
    const badRegion = structuredClone(log);
    firstLocation(badRegion).physicalLocation!.region.startLine = 0;
    expect(validate(badRegion)).toBe(false);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('names the tool and maps %SRCROOT% to cwd', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(run.tool.driver).toMatchObject({
      name: 'shipshape',
      version: '0.1.0',
      informationUri: 'https://shipshape.dev',
    });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/proj/' } });
  });

  it('describes exactly the rules that appear, sorted, with metadata', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual([
      'no-host-network',
      'no-latest-tag',
      'require-app-label',
      'require-probes',
      'require-resource-limits',
    ]);
    expect(rules[0]).toEqual({
      id: 'no-host-network',
      name: 'NoHostNetwork',
      shortDescription: { text: "Disallow pods that share the node's network namespace." },
      fullDescription: {
        text: "A pod on the host network can reach node-local services and sniff other pods' traffic.",
      },
      help: {
        text: 'Remove `hostNetwork`, or expose the workload through a Service.',
        markdown:
          "**Why:** A pod on the host network can reach node-local services and sniff other pods' traffic." +
          '\n\n**How to fix:** Remove `hostNetwork`, or expose the workload through a Service.' +
          '\n\n[Documentation](https://shipshape.dev/rules/no-host-network)',
      },
      helpUri: 'https://shipshape.dev/rules/no-host-network',
      defaultConfiguration: { level: 'error' },
      properties: { category: 'security', tags: ['security'], 'security-severity': '8.0' },
    });
    // A rule missing from ctx.rules still gets a descriptor built from the finding.
    expect(rules[3]).toMatchObject({ id: 'require-probes', defaultConfiguration: { level: 'error' } });
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('writes results with levels, relative URIs and full regions', () => {
    expect(results.map((r) => r.level)).toEqual([
      'error',
      'warning',
      'note',
      'error',
      'warning',
      'warning',
      'note',
    ]);
    expect(results[0]!.message).toEqual({ text: 'Deployment web sets hostNetwork: true.' });
    expect(results[1]!.message).toEqual({ text: NASTY_MESSAGE });
    expect(results[0]!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'manifests/deploy.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 12, startColumn: 7, endLine: 12, endColumn: 24 },
        },
        logicalLocations: [{ name: 'web', fullyQualifiedName: 'Deployment/prod/web', kind: 'resource' }],
      },
    ]);
    expect(results[2]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe('manifests/svc.yaml');
  });

  it('names the resource when there is no file to point at', () => {
    expect(results[3]!.locations).toEqual([
      { logicalLocations: [{ name: 'orphan', fullyQualifiedName: 'Pod/default/orphan', kind: 'resource' }] },
    ]);
    expect(results[4]!.locations).toEqual([
      { logicalLocations: [{ name: 'piped', fullyQualifiedName: 'Pod/piped', kind: 'resource' }] },
    ]);
  });

  it('marks suppressed findings as in-source or external suppressions', () => {
    expect(results.map((r) => r.suppressions)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      [{ kind: 'inSource', justification: 'pinned by digest upstream' }],
      [{ kind: 'external' }],
    ]);
  });

  it('fingerprints by rule, resource and pointer', () => {
    const prints = results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(prints).size).toBe(prints.length);
    const moved = { ...hostNetwork, location: { ...hostNetwork.location!, start: { line: 99, column: 1 } } };
    const again = parse(sarif([moved], context())).runs[0]!.results[0]!.partialFingerprints[FINGERPRINT_KEY];
    expect(again).toBe(prints[0]);
  });

  it('encodes paths into URIs', () => {
    const odd = {
      ...hostNetwork,
      location: { ...hostNetwork.location!, file: '/work/proj/a dir/x#1:%.yaml' },
    };
    const uri = firstLocation(parse(sarif([odd], context()))).physicalLocation!.artifactLocation;
    expect(uri).toEqual({ uri: 'a%20dir/x%231%3A%25.yaml', uriBaseId: '%SRCROOT%' });
    expect(directoryUri('/srv/my repo')).toBe('file:///srv/my%20repo/');
    expect(directoryUri('C:\\src\\repo\\')).toBe('file:///C:/src/repo/');
    const winOtherDrive = { ...hostNetwork, location: { ...hostNetwork.location!, file: 'D:\\k8s\\x.yaml' } };
    const winLog = parse(sarif([winOtherDrive], context({ cwd: 'C:\\src\\repo' })));
    expect(firstLocation(winLog).physicalLocation!.artifactLocation).toEqual({
      uri: 'file:///D:/k8s/x.yaml',
    });
    expect(validate(winLog), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('PascalCases rule ids', () => {
    expect(pascalCase('no-host-network')).toBe('NoHostNetwork');
    expect(pascalCase('k8s-schema')).toBe('K8sSchema');
  });
});

// The SARIF SDK's own validator: schema checks plus GitHub code scanning's ingestion rules.
// Only `--rule-kind Gh`: the default rule set fetches every URI in the log over HTTP.
describe('sarif with the SARIF Multitool validator', () => {
  const exec = promisify(execFile);
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'shipshape-sarif-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function multitoolFindings(text: string): Promise<string[]> {
    const input = path.join(dir, 'in.sarif');
    await writeFile(input, text);
    const { stdout } = await exec(multitool, [
      'validate',
      input,
      '--output',
      path.join(dir, 'out.sarif'),
      '--log',
      'ForceOverwrite',
      '--rule-kind',
      'Gh',
    ]);
    return stdout.split('\n').filter((l) => / (error|warning) [A-Z]+\d+:/.test(l));
  }

  it('reports nothing for our log', async () => {
    expect(await multitoolFindings(sarif(ALL, context()))).toEqual([]);
  });

  it('reports a broken log', async () => {
    const { version: _, ...noVersion } = parse(sarif(ALL, context()));
    const reported = await multitoolFindings(JSON.stringify(noVersion));
    expect(reported.join('\n')).toMatch(/error JSON1002: root: The required property 'version' is missing/);
  });

  it('ranks security rules for GitHub code scanning with properties.security-severity', () => {
    // GitHub reads `security-severity` from the rule (reportingDescriptor.properties) of a rule
    // tagged `security`: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
    const warnRule = { ...hostNetwork, ruleId: 'no-privilege-escalation', severity: 'warn' as const };
    const infoRule = { ...hostNetwork, ruleId: 'no-default-namespace', severity: 'info' as const };
    const metas = new Map([
      [
        'no-host-network',
        {
          id: 'no-host-network',
          description: 'd',
          category: 'security' as const,
          severity: 'error' as const,
          helpUri: '',
        },
      ],
      [
        'no-privilege-escalation',
        {
          id: 'no-privilege-escalation',
          description: 'd',
          category: 'security' as const,
          severity: 'warn' as const,
          helpUri: '',
        },
      ],
      [
        'no-default-namespace',
        {
          id: 'no-default-namespace',
          description: 'd',
          category: 'security' as const,
          severity: 'info' as const,
          helpUri: '',
        },
      ],
    ]);
    // A security rule the config raised to error: the result says so, the rule keeps its default.
    const raised = { ...warnRule, severity: 'error' as const };
    const out = parse(sarif([hostNetwork, warnRule, infoRule, raised, orphan], context({ rules: metas })));
    expect(validate(out)).toBe(true);
    const byId = new Map(out.runs[0]!.tool.driver.rules.map((r) => [r.id, r.properties]));
    expect(byId.get('no-host-network')).toEqual({
      category: 'security',
      tags: ['security'],
      'security-severity': '8.0',
    });
    expect(byId.get('no-privilege-escalation')).toMatchObject({ 'security-severity': '5.5' });
    expect(byId.get('no-default-namespace')).toMatchObject({ 'security-severity': '2.0' });
    // Not a security rule: no score, so code scanning does not show it as a security alert.
    expect(byId.get(orphan.ruleId)).not.toHaveProperty('security-severity');
    const scores = out.runs[0]!.results.map(
      (r) => (r.properties as Record<string, unknown>)['security-severity'],
    );
    expect(scores).toEqual(['8.0', '5.5', '2.0', '8.0', undefined]);
  });

  it('leaves the link out for a rule without documentation (a user policy without docs:)', () => {
    const policy = { ...hostNetwork, ruleId: 'team-registry', helpUri: '' };
    const out = parse(sarif([policy], context()));
    expect(validate(out)).toBe(true);
    const rule = out.runs[0]!.tool.driver.rules.find((r) => r.id === 'team-registry')!;
    expect(rule).not.toHaveProperty('helpUri');
    expect(rule.help.markdown).not.toContain('[Documentation]');
  });
});
