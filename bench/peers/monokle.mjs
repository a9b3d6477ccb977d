#!/usr/bin/env node
// A command-line driver for @monokle/validation (a library without its own offline CLI) for
// bench/peers.bench.mjs. Its kubernetes-schema plugin fetches one definitions document from the
// network at run time; here a SchemaLoader serves the same definitions built offline from our
// bundled schemas (the conversion scripts/kubeconform-schemas.mjs uses), so it runs without network.
// Usage: node bench/peers/monokle.mjs <schema|best-practice> <kubernetes minor> <file or folder>
// Exit 1 when there are findings, as a linter would (monokle reports schema errors as warnings).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convertDefinitions } from '../../scripts/kubeconform-schemas.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const NM = join(ROOT, '.cache/peers/node/node_modules');
const lib = await import(pathToFileURL(join(NM, '@monokle/validation/lib/node.js')).href);
const { parseAllDocuments } = await import(pathToFileURL(join(NM, 'yaml/dist/index.js')).href);

const [mode, minor, target] = process.argv.slice(2);
const index = JSON.parse(readFileSync(join(ROOT, 'schemas/kubernetes/index.json'), 'utf8'));
const full = index.versions[minor].replace(/^v/, '');

class LocalSchemaLoader extends lib.SchemaLoader {
  definitions = { definitions: convertDefinitions(minor) };
  async getFullSchema() {
    return { url: 'local:definitions.json', schema: this.definitions };
  }
}

const plugins =
  mode === 'schema'
    ? { 'kubernetes-schema': true }
    : { 'kubernetes-schema': true, 'pod-security-standards': true, practices: true, 'resource-links': true };
const validator = new lib.MonokleValidator({
  loader: new lib.DefaultPluginLoader(),
  parser: new lib.ResourceParser(),
  schemaLoader: new LocalSchemaLoader(),
  suppressors: [],
  fixer: new lib.DisabledFixer(),
});
await validator.preload({ plugins, settings: { 'kubernetes-schema': { schemaVersion: full } } });

const files = statSync(target).isDirectory()
  ? readdirSync(target, { recursive: true })
      .map((f) => join(target, String(f)))
      .filter((f) => /\.ya?ml$/.test(f))
  : [target];
const resources = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  parseAllDocuments(text).forEach((doc, i) => {
    const content = doc.toJS();
    if (!content || typeof content !== 'object') return;
    resources.push({
      id: `${file}#${i}`,
      fileId: file,
      filePath: file,
      fileOffset: doc.range[0],
      name: content.metadata?.name ?? '',
      apiVersion: content.apiVersion,
      kind: content.kind,
      namespace: content.metadata?.namespace,
      content,
      text: text.slice(doc.range[0], doc.range[2]),
    });
  });
}
const response = await validator.validate({ resources });
let errors = 0;
let results = 0;
for (const run of response.runs) {
  for (const r of run.results) {
    results++;
    if (r.level === 'error') errors++;
  }
}
console.log(JSON.stringify({ resources: resources.length, results, errors }));
process.exit(results > 0 ? 1 : 0);
