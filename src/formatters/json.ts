// The stable machine-readable report (documented field by field in docs/formats.md).
import type { Finding, JsonPatchOp, Location } from '../engine/types.js';
import type { Formatter } from './types.js';
import { countFindings, jsonChunks, mapped, relativePath, STDIN_FILE } from './shared.js';

/** Bumped only on a breaking change to the shape below. */
export const JSON_REPORT_VERSION = 1;

/** The shape of the `json` report. */
export interface JsonReport {
  version: typeof JSON_REPORT_VERSION;
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    suppressed: number;
    files: number;
    resources: number;
  };
  findings: Finding[];
}

function patchOp(op: JsonPatchOp): JsonPatchOp {
  switch (op.op) {
    case 'remove':
      return { op: op.op, path: op.path };
    case 'move':
    case 'copy':
      return { op: op.op, from: op.from, path: op.path };
    default:
      return { op: op.op, path: op.path, value: op.value };
  }
}

function location(loc: Location, cwd: string): Location {
  return {
    file: loc.file === STDIN_FILE ? STDIN_FILE : relativePath(loc.file, cwd),
    document: loc.document,
    start: { line: loc.start.line, column: loc.start.column },
    end: { line: loc.end.line, column: loc.end.column },
  };
}

/** Rebuild a finding with a fixed key order and only the documented fields. */
function normalise(f: Finding, cwd: string): Finding {
  const { apiVersion, kind, name, namespace } = f.resource;
  const out: Finding = {
    ruleId: f.ruleId,
    severity: f.severity,
    category: f.category,
    message: f.message,
    resource: {
      apiVersion,
      kind,
      ...(name !== undefined && { name }),
      ...(namespace !== undefined && { namespace }),
    },
    path: f.path,
    ...(f.location && { location: location(f.location, cwd) }),
    ...(f.fix && { fix: { safety: f.fix.safety, patch: f.fix.patch.map(patchOp) } }),
    helpUri: f.helpUri,
  };
  if (f.suppressed) {
    out.suppressed = {
      kind: f.suppressed.kind,
      ...(f.suppressed.justification !== undefined && { justification: f.suppressed.justification }),
    };
  }
  return out;
}

/**
 * The machine contract: `{ version, summary, findings }`, pretty-printed with two spaces and a
 * trailing newline. Suppressed findings are included (with their `suppressed` object); file paths
 * are made relative to `ctx.cwd` (stdin stays `-`). Findings keep the order they were given in and are
 * stringified one at a time as the chunks are read.
 */
export const json: Formatter = function* (findings, ctx) {
  const { errors, warnings, infos, suppressed } = countFindings(findings);
  const head: Omit<JsonReport, 'findings'> = {
    version: JSON_REPORT_VERSION,
    summary: {
      errors,
      warnings,
      infos,
      suppressed,
      files: ctx.filesLinted,
      resources: ctx.resourcesLinted,
    },
  };
  yield* jsonChunks(
    (slot) => ({ ...head, findings: slot }),
    mapped(findings, (f) => normalise(f, ctx.cwd)),
  );
};
