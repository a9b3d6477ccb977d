// SARIF 2.1.0 log for code-scanning tools (GitHub code scanning, IDE SARIF viewers).
// Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
import type { Category, Finding, ResourceRef, Severity, Suppression } from '../engine/types.js';
import type { FormatContext, Formatter, RuleMeta } from './types.js';
import {
  fingerprint,
  isAbsoluteDisplayPath,
  jsonChunks,
  mapped,
  relativePath,
  resourceLabel,
  STDIN_FILE,
} from './shared.js';

/** The published location of the OASIS SARIF 2.1.0 schema (errata 01). */
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Where the tool's documentation lives (`tool.driver.informationUri`). */
export const INFORMATION_URI = 'https://shipshape.dev';
/** The `uriBaseId` every artifact location is relative to: the directory shipshape ran in. */
export const SRCROOT = '%SRCROOT%';
/** Key of our entry in `result.partialFingerprints`. */
export const FINGERPRINT_KEY = 'shipshape/v1';

/** SARIF `level`. */
export type SarifLevel = 'error' | 'warning' | 'note';

/** The subset of SARIF 2.1.0 this formatter writes (names and nesting as in the spec). */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}
export interface SarifRun {
  tool: {
    driver: { name: string; version: string; informationUri: string; rules: SarifReportingDescriptor[] };
  };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}
export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { category: Category; tags: string[]; 'security-severity'?: string };
}
export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine?: number;
  endColumn?: number;
}
export interface SarifLocation {
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion };
  logicalLocations: { name: string; fullyQualifiedName: string; kind: 'resource' }[];
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource' | 'external'; justification?: string }[];
  properties: { category: Category; path: string; resource: ResourceRef; 'security-severity'?: string };
}

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warn: 'warning', info: 'note' };

/**
 * GitHub code scanning's `security-severity` score (a numeric string) of a security finding at each
 * severity: it ranks alerts 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. shipshape has
 * no level above error, so nothing is critical. Why: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  error: '8.0',
  warn: '5.5',
  info: '2.0',
};

/** `{ 'security-severity': … }` for the security category, nothing for the others. */
const securitySeverity = (category: Category, severity: Severity) =>
  category === 'security' ? { 'security-severity': SECURITY_SEVERITY[severity] } : {};

// Annotations and inline comments live in the analysed source; config lives elsewhere (SARIF §3.35.2).
const SUPPRESSION_KIND: Readonly<Record<Suppression['kind'], 'inSource' | 'external'>> = {
  annotation: 'inSource',
  inline: 'inSource',
  config: 'external',
};

/** `no-host-network` → `NoHostNetwork` (SARIF `reportingDescriptor.name`). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Percent-encode each segment of a forward-slash path so it is a valid URI reference. */
function encodePath(p: string): string {
  const parts = p.split('/');
  // Keep the drive of `/C:/…` as is; anywhere else a colon is encoded so it cannot read as a scheme.
  return parts
    .map((seg, i) => (i === 1 && parts[0] === '' && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** `file:` URI of an absolute POSIX or Windows path. */
export function fileUri(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  return `file://${encodePath(slashed.startsWith('/') ? slashed : `/${slashed}`)}`;
}

/** `file:` URI of a directory, with the trailing slash SARIF requires of a base URI (§3.14.14). */
export function directoryUri(dir: string): string {
  const uri = fileUri(dir);
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function ruleFor(f: Finding, rules: ReadonlyMap<string, RuleMeta>): RuleMeta {
  return (
    rules.get(f.ruleId) ?? {
      id: f.ruleId,
      description: f.ruleId,
      category: f.category,
      severity: f.severity,
      helpUri: f.helpUri,
    }
  );
}

function reportingDescriptor(rule: RuleMeta): SarifReportingDescriptor {
  const why = rule.why ?? rule.description;
  const remediation = rule.remediation ?? rule.description;
  const markdown = [
    rule.why !== undefined ? `**Why:** ${rule.why}` : rule.description,
    ...(rule.remediation !== undefined ? [`**How to fix:** ${rule.remediation}`] : []),
    ...(rule.helpUri ? [`[Documentation](${rule.helpUri})`] : []),
  ].join('\n\n');
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: why },
    help: { text: remediation, markdown },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    // GitHub reads the score here, on the rule (with the rule's default severity).
    properties: {
      category: rule.category,
      tags: [rule.category],
      ...securitySeverity(rule.category, rule.severity),
    },
  };
}

function locationOf(f: Finding, cwd: string): SarifLocation {
  const label = resourceLabel(f.resource);
  const logicalLocations: SarifLocation['logicalLocations'] = [
    { name: f.resource.name ?? f.resource.kind, fullyQualifiedName: label, kind: 'resource' },
  ];
  const loc = f.location;
  // Standard input has no URI, and consumers such as GitHub code scanning reject a physical location
  // without one, so stdin results (like those without any location) carry the resource only.
  if (!loc || loc.file === STDIN_FILE) return { logicalLocations };

  const rel = relativePath(loc.file, cwd);
  const artifactLocation = isAbsoluteDisplayPath(rel)
    ? { uri: fileUri(rel) }
    : { uri: encodePath(rel), uriBaseId: SRCROOT };
  const region: SarifRegion = { startLine: loc.start.line, startColumn: loc.start.column };
  // A well-formed end is at or after the start; SARIF's endColumn is exclusive, as ours is.
  if (
    loc.end.line > loc.start.line ||
    (loc.end.line === loc.start.line && loc.end.column >= loc.start.column)
  ) {
    region.endLine = loc.end.line;
    region.endColumn = loc.end.column;
  }
  return { physicalLocation: { artifactLocation, region }, logicalLocations };
}

/**
 * A SARIF 2.1.0 log with one run. Only rules that appear are described (sorted by id); results keep
 * input order. Suppressed findings are results with `suppressions`. Artifact URIs are relative to
 * `%SRCROOT%`, which `originalUriBaseIds` maps to `ctx.cwd`.
 */
export const sarif: Formatter = function* (findings, ctx: FormatContext) {
  const rules = new Map<string, RuleMeta>();
  for (const f of findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, ruleFor(f, ctx.rules));
  const ordered = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ordered.map((r, i) => [r.id, i]));

  const result = (f: Finding): SarifResult => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId) ?? -1,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [locationOf(f, ctx.cwd)],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
    ...(f.suppressed && {
      suppressions: [
        {
          kind: SUPPRESSION_KIND[f.suppressed.kind],
          ...(f.suppressed.justification !== undefined && { justification: f.suppressed.justification }),
        },
      ],
    }),
    properties: {
      category: f.category,
      path: f.path,
      resource: f.resource,
      // The finding's own severity, which config may have changed from the rule's default.
      ...securitySeverity(f.category, f.severity),
    },
  });

  // The log with a slot for its results (the last value in it), which are streamed one at a time.
  type Skeleton = Omit<SarifLog, 'runs'> & { runs: (Omit<SarifRun, 'results'> & { results: string })[] };
  const log = (results: string): Skeleton => ({
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipshape',
            version: ctx.toolVersion,
            informationUri: INFORMATION_URI,
            rules: ordered.map(reportingDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(ctx.cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  });
  yield* jsonChunks(log, mapped(findings, result));
};
