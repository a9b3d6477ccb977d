/**
 * Nested configuration: each input file is linted under the `.shipshape.yaml` nearest above it (as
 * the language server does), unless `--config` / `--no-config` names one for the whole run.
 */
import { dirname, resolve } from 'node:path';
import { findConfig } from '../config/load.js';
import type { Inputs } from '../linter/inputs.js';

/** The inputs one config governs. */
export interface ConfigGroup {
  /** The config file, or undefined for the defaults (no config above the files). */
  configFile: string | undefined;
  inputs: Inputs;
}

/**
 * Split collected inputs by the config that governs each file (the nearest `.shipshape.yaml` at or
 * above its folder). The first group is the working directory's config (`rootConfig`): it also
 * takes standard input, the folders that could not be read, and every file when `perFile` is false.
 */
export function groupByConfig(
  collected: Inputs,
  cwd: string,
  rootConfig: string | undefined,
  perFile: boolean,
): ConfigGroup[] {
  const root: ConfigGroup = {
    configFile: rootConfig,
    inputs: { ...collected, files: [], skipped: [], filtered: new Set() },
  };
  if (!perFile) return [{ configFile: rootConfig, inputs: collected }];
  const groups = new Map<string | undefined, ConfigGroup>([[rootConfig, root]]);
  const byDir = new Map<string, string | undefined>();
  const groupOf = (file: string): ConfigGroup => {
    const dir = dirname(resolve(cwd, file));
    let config = byDir.get(dir);
    if (!byDir.has(dir)) byDir.set(dir, (config = findConfig(dir)));
    let g = groups.get(config);
    if (!g) {
      g = {
        configFile: config,
        inputs: { files: [], stdin: false, problems: [], skipped: [], filtered: new Set() },
      };
      groups.set(config, g);
    }
    return g;
  };
  for (const f of collected.files) {
    const g = groupOf(f);
    g.inputs.files.push(f);
    if (collected.filtered.has(f)) g.inputs.filtered.add(f);
  }
  for (const s of collected.skipped) groupOf(s.path).inputs.skipped.push(s);
  // A config governing only skipped files needs no linter: the root group counts them.
  const out: ConfigGroup[] = [];
  for (const g of groups.values())
    if (g === root || g.inputs.files.length > 0) out.push(g);
    else root.inputs.skipped.push(...g.inputs.skipped);
  return out;
}
