// The Helm chart under test (charts/shipshape): rendering with the real helm, and the values the
// end-to-end install uses (webhooks registered by URL on loopback, never through a Service).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHART = join(ROOT, 'charts/shipshape');
export const HELM = join(ROOT, '.cache/bin/helm');

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
} & Record<string, unknown>;

/**
 * The values of the end-to-end install: the webhook server runs on the host at
 * `https://127.0.0.1:<port>`, so both configurations are registered by `clientConfig.url` with the
 * given caBundle, and the serving pair (which the chart's Deployment would mount) is provided.
 */
export function urlModeValues(o: { port: number; caBundle: string; tlsCrt: string; tlsKey: string }) {
  return {
    webhooks: { url: `https://127.0.0.1:${o.port}` },
    certificates: {
      mode: 'provided',
      provided: { caBundle: o.caBundle, tlsCrt: o.tlsCrt, tlsKey: o.tlsKey },
    },
  };
}

/** `helm template <release> charts/shipshape -n <namespace> [-f values.json] [--set …]`, parsed. */
export function renderChart(
  o: { release?: string; namespace?: string; valuesFile?: string; set?: string[] } = {},
): K8sObject[] {
  const args = [
    'template',
    o.release ?? 'shipshape',
    CHART,
    '--namespace',
    o.namespace ?? 'shipshape-system',
  ];
  if (o.valuesFile) args.push('--values', o.valuesFile);
  for (const s of o.set ?? []) args.push('--set', s);
  const r = spawnSync(HELM, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}

export const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
