/** `audit --apply`: create each policy report, or update it in place when it exists already. */
import { ClusterError, HttpError, type Cluster } from './kube.js';
import { reportPath, type PolicyReport } from './policyreport.js';

/** What happened to each report. */
export interface Applied {
  report: PolicyReport;
  action: 'created' | 'updated';
}

const where = (r: PolicyReport) =>
  r.kind === 'PolicyReport'
    ? `PolicyReport ${r.metadata.namespace}/${r.metadata.name}`
    : `ClusterPolicyReport ${r.metadata.name}`;

/** Create or update the reports; one-line errors when the CRDs are missing or RBAC forbids it. */
export async function applyReports(cluster: Cluster, reports: readonly PolicyReport[]): Promise<Applied[]> {
  const out: Applied[] = [];
  for (const report of reports) {
    try {
      let current: { metadata?: { resourceVersion?: string } } | undefined;
      try {
        current = await cluster.get(reportPath(report, true));
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 404)) throw err;
      }
      if (current === undefined) {
        await cluster.send('POST', reportPath(report, false), report);
        out.push({ report, action: 'created' });
      } else {
        const body = {
          ...report,
          metadata: { ...report.metadata, resourceVersion: current.metadata?.resourceVersion },
        };
        await cluster.send('PUT', reportPath(report, true), body);
        out.push({ report, action: 'updated' });
      }
    } catch (err) {
      if (err instanceof HttpError && err.status === 404)
        throw new ClusterError(
          `cannot write ${where(report)}: the cluster does not serve wgpolicyk8s.io/v1alpha2 policy reports (install their CRDs: docs/audit.md)`,
        );
      if (err instanceof HttpError && err.status === 403)
        throw new ClusterError(`cannot write ${where(report)}: forbidden: ${err.reason}`);
      throw err;
    }
  }
  return out;
}
