/** The one place config defaults live: every front end lints with `resolveConfig(config)`. */
import type { Config } from './config.js';

/** A config whose defaulted fields are all set (see schemas/config.schema.json for each default). */
export interface ResolvedConfig extends Config {
  strict: boolean;
  ignoreMissingSchemas: boolean;
  inlineConfig: boolean;
  ignorePaths: string[];
  crds: string[];
  schemaLocations: string[];
}

/** Apply the defaults: strict on, inline suppressions honoured, missing schemas reported. */
export function resolveConfig(config: Config): ResolvedConfig {
  return {
    ...config,
    strict: config.strict ?? true,
    ignoreMissingSchemas: config.ignoreMissingSchemas ?? false,
    inlineConfig: config.inlineConfig ?? true,
    ignorePaths: config.ignorePaths ?? [],
    crds: config.crds ?? [],
    schemaLocations: config.schemaLocations ?? [],
  };
}
