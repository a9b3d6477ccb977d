/** The shape of .shipshape.yaml (schemas/config.schema.json is the published contract). */
import type { RuleSetting } from '../engine/compile.js';
import type { Severity } from '../engine/types.js';

export interface Exemption {
  /** Rule ids, or "*" for every rule. */
  rules: string[];
  namespaces?: string[];
  kinds?: string[];
  /** Glob patterns (`*`, `?`) over metadata.name. */
  names?: string[];
  /** Glob patterns over file paths, relative to the config file's folder. */
  paths?: string[];
  reason?: string;
}

export interface Config {
  kubernetesVersion?: string;
  strict?: boolean;
  ignoreMissingSchemas?: boolean;
  failSeverity?: Severity;
  /** Warnings allowed before the run fails; -1 means no limit. */
  maxWarnings?: number;
  presets?: string[];
  rules?: Record<string, RuleSetting>;
  ignorePaths?: string[];
  exemptions?: Exemption[];
  crds?: string[];
  schemaLocations?: string[];
  /** Allow suppressions written in manifests (annotations, comments). Default true. */
  inlineConfig?: boolean;
}

/** A config or usage problem; the CLI prints it and exits 2. */
export class ConfigError extends Error {}
