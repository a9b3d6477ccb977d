#!/usr/bin/env node
// The "platform" benchmark corpus: large multi-document manifests as a platform team renders them
// for each of its clusters (edge router, monitoring, certificate manager, logging, application
// teams). Hand-written for shipshape's benchmarks; deterministic, schema-valid for Kubernetes
// 1.30-1.37, only built-in kinds (plus CRD objects) so every peer can validate every document.
// Usage: node bench/platform/index.mjs <out-dir>
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import apps from './apps.mjs';
import certs from './certs.mjs';
import ingress from './ingress.mjs';
import monitoring from './monitoring.mjs';

/**
 * @typedef {object} Cluster
 * @property {string} name
 * @property {number} index
 * @property {string} region
 * @property {string} domain
 * @property {string} registry
 * @property {string[]} teams
 * @property {string[]} allowedSources
 * @property {string} podCidr
 * @property {string} serviceCidr
 * @property {string} controlPlaneCidr
 * @property {string} behindLoadBalancer
 * @property {string} storageClass
 * @property {string} retention
 * @property {string} retentionSize
 * @property {string} prometheusStorage
 * @property {{ edge: number, prometheus: number, certs: number, app: number }} replicas
 * @property {{ edge: string, prometheus: string, certs: string, app: string }} versions
 * @property {(millicores: number) => string} cpu
 * @property {(mebibytes: number) => string} mem
 * @property {(seed: string) => string} checksum
 * @property {(seed: string) => string} digest
 */

const hash = (s) => createHash('sha256').update(s).digest('hex');

/** @returns {Cluster} */
function cluster(name, index, scale, extra) {
  return {
    name,
    index,
    region: extra.region,
    domain: `${name}.shop.example.com`,
    registry: `registry.${extra.region}.example.com`,
    teams: extra.teams,
    allowedSources: extra.allowedSources,
    podCidr: `10.${index * 16}.0.0/14`,
    serviceCidr: `10.${index * 16 + 8}.0.0/16`,
    controlPlaneCidr: `172.${16 + index}.0.0/28`,
    behindLoadBalancer: index % 2 === 0 ? 'true' : 'false',
    storageClass: extra.storageClass,
    retention: scale > 1 ? '30d' : '7d',
    retentionSize: scale > 1 ? '180GB' : '40GB',
    prometheusStorage: scale > 1 ? '200Gi' : '50Gi',
    replicas: { edge: 1 + scale, prometheus: scale > 1 ? 2 : 1, certs: scale > 1 ? 2 : 1, app: 1 + scale },
    versions: {
      edge: `1.11.${index}`,
      prometheus: `2.53.${index}`,
      certs: `1.15.${index}`,
      app: `4.${20 + index}`,
    },
    cpu: (m) => {
      const v = Math.round(m * (scale > 1 ? 1.5 : 1));
      return v % 1000 === 0 ? `"${v / 1000}"` : `${v}m`;
    },
    mem: (mi) => {
      const v = Math.round(mi * (scale > 1 ? 1.5 : 1));
      return v % 1024 === 0 ? `${v / 1024}Gi` : `${v}Mi`;
    },
    checksum: (seed) => hash(`${name}/${seed}`),
    digest: (seed) => hash(`digest/${seed}/${index}`),
  };
}

export const CLUSTERS = [
  cluster('dev', 1, 1, {
    region: 'eu-west-1',
    teams: ['shop-dev', 'shop-qa'],
    allowedSources: ['0.0.0.0/0'],
    storageClass: 'gp3',
  }),
  cluster('staging', 2, 1, {
    region: 'eu-central-1',
    teams: ['shop-staging'],
    allowedSources: ['203.0.113.0/24', '198.51.100.0/24'],
    storageClass: 'gp3-encrypted',
  }),
  cluster('prod', 3, 3, {
    region: 'eu-central-1',
    teams: ['shop', 'shop-b2b', 'shop-eu'],
    allowedSources: ['0.0.0.0/0'],
    storageClass: 'io2-encrypted',
  }),
];

const STACKS = { ingress, monitoring, certs, apps };

/** The corpus as `{ relative path → text }`. */
export function platformCorpus() {
  const files = {};
  for (const c of CLUSTERS)
    for (const [stack, render] of Object.entries(STACKS)) files[`${c.name}/${stack}.yaml`] = render(c);
  return files;
}

/** Write the corpus under `dir`; returns `{ files, documents, lines }`. */
export function writePlatformCorpus(dir) {
  let documents = 0;
  let lines = 0;
  const files = platformCorpus();
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    documents += text.split(/^---$/m).length;
    lines += text.split('\n').length;
  }
  return { files: Object.keys(files).length, documents, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node bench/platform/index.mjs <out-dir>');
    process.exit(2);
  }
  console.log(writePlatformCorpus(out));
}
