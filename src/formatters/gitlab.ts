// GitLab Code Quality report (a subset of the Code Climate issue format), shown in merge requests.
// Format: https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
import type { Finding, Severity } from '../engine/types.js';
import type { FormatContext, Formatter } from './types.js';
import {
  displayPath,
  jsonChunks,
  mapped,
  resourceLabel,
  uniqueFingerprinter,
  visibleFindings,
} from './shared.js';

/** GitLab's severities, from `info` to `blocker`. */
export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/**
 * error → major, warn → minor, info → info. `critical`/`blocker` are left for a future notion of
 * rule impact; a severity alone says "must fix", not "the cluster is at risk".
 */
export const GITLAB_SEVERITY: Readonly<Record<Severity, GitlabSeverity>> = {
  error: 'major',
  warn: 'minor',
  info: 'info',
};

/** One entry of the report. */
export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number } };
}

/**
 * A JSON array of Code Quality issues for the unsuppressed findings (`[]` when none). A finding
 * without a location is reported at line 1 of a pseudo path naming its resource.
 */
export const gitlab: Formatter = (findings, ctx: FormatContext) => {
  const print = uniqueFingerprinter();
  const issue = (f: Finding): GitlabIssue => ({
    description: f.message,
    check_name: f.ruleId,
    fingerprint: print(f),
    severity: GITLAB_SEVERITY[f.severity],
    location: f.location
      ? { path: displayPath(f.location.file, ctx.cwd), lines: { begin: f.location.start.line } }
      : { path: `<resource ${resourceLabel(f.resource)}>`, lines: { begin: 1 } },
  });
  return jsonChunks((slot) => slot, mapped(visibleFindings(findings), issue));
};
