/** Load what the webhook evaluates with, once at startup: rules, schemas, CRDs, policies, exemptions. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { exemptionSuppressor } from '../config/exemptions.js';
import { lint } from '../engine/run.js';
import type { KubeObject } from '../engine/types.js';
import { aliasTable } from '../engine/suppress.js';
import { compileWithPolicies } from '../policy/setup.js';
import { bundledSchemas } from '../schema/bundled.js';
import { SchemaRegistry } from '../schema/registry.js';
import { collectInputs } from '../cli/files.js';
import { decodeSource, parseSource } from '../source/parse.js';
import { Suppressor } from '../source/suppressions.js';
import type { AdmissionEngine, WebhookSettings } from './admission.js';

/**
 * Compile the configured rules (presets, severities, options, Rego policies), load the bundled
 * schemas for the configured Kubernetes version plus the config's CRDs, and build the suppression
 * hook: config exemptions always, annotations only when `webhook.inlineConfig` is true.
 */
export async function loadEngine(
  config: Config,
  settings: WebhookSettings,
  baseDir: string,
): Promise<AdmissionEngine> {
  const schemas = new SchemaRegistry(bundledSchemas(), config.kubernetesVersion);
  if (config.crds && config.crds.length > 0) {
    for (const file of collectInputs(config.crds, baseDir, [], baseDir).files) {
      const parsed = parseSource(file, decodeSource(file, readFileSync(resolve(baseDir, file))));
      for (const r of parsed.resources)
        if (r.object.kind === 'CustomResourceDefinition') schemas.registerCrd(r.object);
    }
  }
  // The same rule set as `shipshape lint` with this config: built-in rules, the users' Rego
  // policies (`policies:`), and policy-error on when there are policies.
  const { defs, rules: compiled } = await compileWithPolicies(config, { baseDir, cwd: baseDir });
  // The API server validated the object against its own schema (of its own version) before a
  // validating webhook is called; our bundled schema may be of another version, so by default the
  // schema rule does not run again here (webhook.schemaValidation turns it on).
  const rules = settings.schemaValidation ? compiled : compiled.filter((r) => r.def.id !== 'k8s-schema');
  const suppressor = new Suppressor({
    exemptions: exemptionSuppressor(config.exemptions, baseDir, baseDir),
    inline: settings.inlineConfig,
    aliases: aliasTable(defs),
  });
  const engine: AdmissionEngine = {
    rules,
    schemas,
    strict: config.strict ?? true,
    suppress: suppressor.hook,
  };
  warmUp(engine);
  return engine;
}

/** Common kinds, evaluated once before the webhook reports ready, so the first request is not the slow one. */
const WARM_UP: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'w', namespace: 'w' },
    spec: { containers: [{ name: 'c', image: 'x:1' }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'w' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'w', namespace: 'w' },
    spec: { ports: [{ port: 80 }] },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', namespace: 'w' }, data: { a: 'b' } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'w', namespace: 'w' },
    rules: [],
  },
];

function warmUp(engine: AdmissionEngine): void {
  lint(
    WARM_UP.map((object) => ({ object })),
    {
      rules: engine.rules,
      schemas: engine.schemas,
      strict: engine.strict,
      ignoreMissingSchemas: true,
      skipSetRules: true,
    },
  );
}
