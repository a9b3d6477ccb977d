/**
 * Findings of an audit as policy reports of the Kubernetes Policy Working Group
 * (`wgpolicyk8s.io/v1alpha2`, the format Kyverno writes and Policy Reporter shows): one PolicyReport
 * per audited namespace and one ClusterPolicyReport for cluster-scoped objects. Pure.
 *
 * Field by field (the v1alpha2 API: results[].source/policy/rule/resources/message/result/scored/
 * severity/category/properties/timestamp, summary.pass/fail/warn/error/skip):
 * - `policy` and `rule` are the rule id; `source` is `shipshape`; `category` the rule's category;
 * - `result`: error → fail, warn and info → warn; a suppressed finding → skip;
 * - `severity`: error → high, warn → medium, info → info;
 * - `resources`: the object (apiVersion, kind, namespace, name); `properties.path` the JSON pointer;
 * - `summary` counts the results by outcome (shipshape records no `pass` results: a rule that
 *   finds nothing says so by its absence).
 */
import { stringify } from 'yaml';
import type { Finding, Severity } from '../engine/types.js';

export const POLICY_REPORT_API = 'wgpolicyk8s.io/v1alpha2';
/** The reports' name in every namespace (applying again updates them). */
export const REPORT_NAME = 'shipshape-audit';
export const CLUSTER_REPORT_NAME = 'shipshape-audit-cluster';

type Outcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export interface PolicyReportResult {
  source: string;
  policy: string;
  rule: string;
  category: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  result: Outcome;
  scored: boolean;
  message: string;
  resources: Array<{ apiVersion: string; kind: string; name?: string; namespace?: string }>;
  properties: Record<string, string>;
  timestamp: { seconds: number; nanos: number };
}

export interface PolicyReport {
  apiVersion: typeof POLICY_REPORT_API;
  kind: 'PolicyReport' | 'ClusterPolicyReport';
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  summary: Record<Outcome, number>;
  results: PolicyReportResult[];
}

const RESULT: Readonly<Record<Severity, Outcome>> = { error: 'fail', warn: 'warn', info: 'warn' };
const SEVERITY: Readonly<Record<Severity, PolicyReportResult['severity']>> = {
  error: 'high',
  warn: 'medium',
  info: 'info',
};

export interface ReportOptions {
  /** When the audit ran (results' timestamp). */
  now: Date;
  /**
   * Namespaces that get a report even without findings ('' for the cluster report), so that
   * applying a clean audit replaces the results of an earlier one.
   */
  scopes?: Iterable<string>;
}

/** One report per namespace of the findings (and of `scopes`), the cluster report first. */
export function policyReports(findings: readonly Finding[], opts: ReportOptions): PolicyReport[] {
  const seconds = Math.floor(opts.now.getTime() / 1000);
  const byScope = new Map<string, PolicyReportResult[]>();
  for (const s of opts.scopes ?? []) byScope.set(s, []);
  for (const f of findings) {
    const ns = f.resource.namespace ?? '';
    const { apiVersion, kind, name, namespace } = f.resource;
    const result: PolicyReportResult = {
      source: 'shipshape',
      policy: f.ruleId,
      rule: f.ruleId,
      category: f.category,
      severity: SEVERITY[f.severity],
      result: f.suppressed ? 'skip' : RESULT[f.severity],
      scored: true,
      message: f.message,
      resources: [
        {
          apiVersion,
          kind,
          ...(name !== undefined && { name }),
          ...(namespace !== undefined && { namespace }),
        },
      ],
      properties: {
        path: f.path,
        helpUri: f.helpUri,
        ...(f.suppressed && {
          suppressed: f.suppressed.kind,
          ...(f.suppressed.justification !== undefined && { justification: f.suppressed.justification }),
        }),
      },
      timestamp: { seconds, nanos: 0 },
    };
    const list = byScope.get(ns);
    if (list) list.push(result);
    else byScope.set(ns, [result]);
  }
  const scopes = [...byScope.keys()].sort();
  return scopes.map((ns) => {
    const results = byScope.get(ns)!;
    const summary: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const r of results) summary[r.result]++;
    const labels = { 'app.kubernetes.io/managed-by': 'shipshape' };
    return ns === ''
      ? {
          apiVersion: POLICY_REPORT_API,
          kind: 'ClusterPolicyReport',
          metadata: { name: CLUSTER_REPORT_NAME, labels },
          summary,
          results,
        }
      : {
          apiVersion: POLICY_REPORT_API,
          kind: 'PolicyReport',
          metadata: { name: REPORT_NAME, namespace: ns, labels },
          summary,
          results,
        };
  });
}

/** The reports as a multi-document YAML stream (`kubectl apply -f -` takes it). */
export function* policyReportYaml(reports: readonly PolicyReport[]): Generator<string> {
  for (const r of reports) yield `---\n${stringify(r, { lineWidth: 0 })}`;
}

/** The API path of a report (`…/namespaces/<ns>/policyreports` or `…/clusterpolicyreports`). */
export function reportPath(r: PolicyReport, withName: boolean): string {
  const base = `/apis/${POLICY_REPORT_API}`;
  const coll =
    r.kind === 'PolicyReport'
      ? `${base}/namespaces/${encodeURIComponent(r.metadata.namespace!)}/policyreports`
      : `${base}/clusterpolicyreports`;
  return withName ? `${coll}/${encodeURIComponent(r.metadata.name)}` : coll;
}
