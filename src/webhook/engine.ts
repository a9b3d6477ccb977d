/** What the webhook evaluates with, opened once at startup through the linter: rules, schemas, CRDs, policies, exemptions. */
import type { Config } from '../config/config.js';
import type { KubeObject } from '../engine/types.js';
import { openLinter } from '../linter/linter.js';
import type { AdmissionEngine, WebhookSettings } from './admission.js';

/**
 * Open the linter for the config (the same rule set as `shipshape lint` with it) and adapt it to
 * admission: suppressions are config exemptions always, annotations only when
 * `webhook.inlineConfig` is true; the schema rule runs only with `webhook.schemaValidation`.
 */
export async function loadEngine(
  config: Config,
  settings: WebhookSettings,
  baseDir: string,
): Promise<AdmissionEngine> {
  const linter = await openLinter(config, { baseDir });
  // The API server validated the object against its own schema (of its own version) before a
  // validating webhook is called; our bundled schema may be of another version, so by default the
  // schema rule does not run again here (webhook.schemaValidation turns it on).
  const rules = settings.schemaValidation
    ? linter.rules
    : linter.rules.filter((r) => r.def.id !== 'k8s-schema');
  const { hook: suppress } = linter.suppressor(settings.inlineConfig);
  const engine: AdmissionEngine = {
    rules,
    schemas: linter.registry,
    lint: (object) => linter.lintObject(object, { rules, suppress }),
    fix: (object, findings, relint) => linter.fixObject(object, findings, relint),
  };
  if (linter.config.mutations?.length) engine.mutations = (object) => linter.planMutations(object);
  // Common kinds, evaluated once before the webhook reports ready, so the first request is not the slow one.
  for (const object of WARM_UP) engine.lint(object);
  return engine;
}

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
