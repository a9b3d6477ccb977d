#!/usr/bin/env node
// Compiles rules/<category>/<id>.yaml into rules/index.json (what the CLI loads at start-up),
// validating each file against schemas/rule.schema.json. `--check` fails when the index is stale.
import { readFileSync, readdirSync, writeFileSync, renameSync, statSync } from 'node:fs';
import { join, relative, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import Ajv from 'ajv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'rules');
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas/rule.schema.json'), 'utf8')));

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.ya?ml$/.test(name)) yield p;
  }
}

const problems = [];
const defs = [];
for (const file of walk(rulesDir)) {
  const rel = relative(root, file);
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push(`${rel}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split('\n')[0]}`);
    continue;
  }
  const def = doc.toJS();
  if (!validate(def)) {
    for (const e of validate.errors) problems.push(`${rel}: ${e.instancePath || '(root)'} ${e.message}`);
    continue;
  }
  if (def.id !== basename(file).replace(/\.ya?ml$/, '')) problems.push(`${rel}: id "${def.id}" must equal the file name`);
  if (def.category !== basename(dirname(file))) problems.push(`${rel}: category "${def.category}" must equal the folder name`);
  defs.push(def);
}
const seen = new Set();
for (const d of defs) {
  if (seen.has(d.id)) problems.push(`rule id "${d.id}" is defined twice`);
  seen.add(d.id);
}
if (problems.length) {
  console.error(`build-rules: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
defs.sort((a, b) => (a.id < b.id ? -1 : 1));
const out = JSON.stringify(defs) + '\n';
const target = join(rulesDir, 'index.json');
if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing counts as stale */ }
  if (current !== out) {
    console.error('build-rules: rules/index.json is stale; run `npm run build:rules` and commit the result');
    process.exit(1);
  }
  console.log(`build-rules: rules/index.json is fresh (${defs.length} rules)`);
} else {
  writeFileSync(target + '.tmp', out);
  renameSync(target + '.tmp', target);
  console.log(`build-rules: wrote rules/index.json (${defs.length} rules)`);
}
