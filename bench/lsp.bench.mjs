#!/usr/bin/env node
// Language-server re-validation latency over the real stdio connection: a 1,000-line
// multi-document manifest is opened, then edited repeatedly; each sample is the time from sending
// textDocument/didChange to receiving the publishDiagnostics for that version.
// Usage: npm run build && node bench/lsp.bench.mjs [--edits 60] [--lines 1000] [--gap 200]
//   --gap: pause between edits in ms (longer than the 150 ms debounce window, so each edit is
//   linted on the debounce's leading edge, as a single edit after a pause is in an editor).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { corpus } from './corpus.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const EDITS = arg('--edits', 60);
const LINES = arg('--lines', 1000);
const GAP = arg('--gap', 200);

// Whole corpus documents until the file reaches LINES lines.
const docs = corpus(400);
const parts = [];
let text = '';
for (const d of docs) {
  if (text.split('\n').length >= LINES) break;
  parts.push(d);
  text = parts.join('---\n');
}
const lines = text.split('\n').length;
const resources = parts.length;

const dir = mkdtempSync(join(tmpdir(), 'shipshape-lsp-bench-'));
const uri = pathToFileURL(join(dir, 'manifests.yaml')).href;
const child = spawn(process.execPath, ['bin/shipshape.js', 'lsp', '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const conn = createMessageConnection(
  new StreamMessageReader(child.stdout),
  new StreamMessageWriter(child.stdin),
);
const waiting = new Map();
let lastCount = 0;
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  if (p.uri !== uri) return;
  lastCount = p.diagnostics.length;
  waiting.get(p.version)?.(performance.now());
  waiting.delete(p.version);
});
conn.listen();

const t0 = performance.now();
await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(dir).href,
  workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
  capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } },
});
await conn.sendNotification('initialized', {});
const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
const firstDone = published(1);
await conn.sendNotification('textDocument/didOpen', {
  textDocument: { uri, languageId: 'yaml', version: 1, text },
});
const tFirst = (await firstDone) - t0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const samples = [];
for (let v = 2; v < EDITS + 2; v++) {
  await sleep(GAP);
  // Alternate one replica count somewhere in the middle of the file: a one-character edit.
  const next = text.replace(/replicas: (\d+)/, (_m, n) => `replicas: ${n === '2' ? 3 : 2}`);
  const at = text.search(/replicas: \d+/);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  const character = at - before.lastIndexOf('\n') - 1 + 'replicas: '.length;
  const newDigit = next[at + 'replicas: '.length];
  text = next;
  const done = published(v);
  const t = performance.now();
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: v },
    contentChanges: [
      { range: { start: { line, character }, end: { line, character: character + 1 } }, text: newDigit },
    ],
  });
  samples.push((await done) - t);
}
await conn.sendRequest('shutdown');
await conn.sendNotification('exit');

samples.sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)];
const round = (x) => Math.round(x * 10) / 10;
const result = {
  file: { lines, documents: resources, diagnostics: lastCount },
  edits: samples.length,
  startToFirstDiagnosticsMs: round(tFirst),
  revalidateMs: {
    median: round(pct(50)),
    p95: round(pct(95)),
    min: round(samples[0]),
    max: round(samples[samples.length - 1]),
  },
  goalMs: 50,
};
console.log(JSON.stringify(result, null, 2));
