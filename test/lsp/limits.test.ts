// The language server on big buffers: diagnostics capped per document with a summary, requests
// answered from the published state while a lint runs, stale lints dropped, memory bounded.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { pod, pods } from './big.js';
import { TestClient, uriOf } from './client.js';

const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop().catch(() => c.child.kill());
});

async function start(init: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-lsp-limits-'));
  const c = new TestClient({ rootDir: dir, initializationOptions: init });
  clients.push(c);
  await c.initialize();
  return { c, dir };
}

const text = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

/** The summary diagnostic of a capped document: how many findings it leaves out. */
function hidden(d: Diagnostic | undefined): number | undefined {
  const m = d && /^([\d,]+) more shipshape problems? (?:is|are) not shown/.exec(text(d));
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

/** Diagnostics of one Pod, to count what a document of many Pods has. */
async function perPod(c: TestClient, dir: string): Promise<Diagnostic[]> {
  const uri = uriOf(join(dir, 'one.yaml'));
  await c.open(uri, pod('one'));
  return c.diagnostics(uri);
}

describe('shipshape lsp on big documents', () => {
  it('publishes at most 1,000 diagnostics, errors first, and one info diagnostic counting the rest', async () => {
    const { c, dir } = await start();
    const one = await perPod(c, dir);
    expect(one.length).toBeGreaterThanOrEqual(5);
    const uri = uriOf(join(dir, 'many.yaml'));
    const n = 400;
    await c.open(uri, pods(n));
    const ds = await c.diagnostics(uri);
    expect(ds).toHaveLength(1001);
    const summary = ds[1000]!;
    expect(summary).toMatchObject({ severity: 3, source: 'shipshape', code: 'max-diagnostics' });
    expect(hidden(summary)).toBe(n * one.length - 1000);
    expect(text(summary)).toContain('maxDiagnostics');
    // The cap keeps the most severe first: as many errors as fit.
    const errorsPerPod = one.filter((d) => d.severity === 1).length;
    const shownErrors = ds.filter((d) => d.severity === 1).length;
    expect(shownErrors).toBe(Math.min(1000, n * errorsPerPod));
    // Shown in document order.
    const lines = ds.slice(0, 1000).map((d) => d.range.start.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    // No summary when everything fits.
    expect(one.some((d) => d.code === 'max-diagnostics')).toBe(false);
  });

  it('takes the cap from the maxDiagnostics setting, at start and when it changes', async () => {
    const { c, dir } = await start({ maxDiagnostics: 10 });
    // One Pod has more than 10 findings: it is capped too.
    const one = await perPod(c, dir);
    expect(one).toHaveLength(11);
    const each = 10 + hidden(one[10])!;
    expect(each).toBeGreaterThanOrEqual(11);
    const uri = uriOf(join(dir, 'many.yaml'));
    await c.open(uri, pods(20));
    let ds = await c.diagnostics(uri);
    expect(ds).toHaveLength(11);
    expect(hidden(ds[10])).toBe(20 * each - 10);
    await c.configure({ maxDiagnostics: 25 });
    ds = (
      await c.until(() => c.published.filter((p) => p.uri === uri).length >= 2 && c.latest(uri), 'relint')
    ).diagnostics;
    expect(ds).toHaveLength(26);
    expect(hidden(ds[25])).toBe(20 * each - 25);
  });

  it('answers hover from the published diagnostics while a long lint of a newer version runs', async () => {
    const { c, dir } = await start();
    const uri = uriOf(join(dir, 'many.yaml'));
    const text = pods(4000);
    await c.open(uri, text);
    const ds = await c.diagnostics(uri);
    const first = ds[0]!;
    // A new version (one more Pod at the end: the published ranges still hold) starts a long lint.
    await c.change(uri, `${text}---\n${pod('extra')}`);
    // Not a timing assertion: only to let the server start that lint before the hover goes out.
    await new Promise((r) => setTimeout(r, 100));
    const hover = await c.hover(uri, first.range.start.line, first.range.start.character);
    const publishedBeforeHover = c.latest(uri, 2);
    expect(hover?.contents).toMatchObject({ kind: 'markdown' });
    expect(JSON.stringify(hover?.contents)).toContain(String(first.code));
    // The hover was answered without waiting for the running lint.
    expect(publishedBeforeHover).toBeUndefined();
    expect(await c.diagnostics(uri)).toHaveLength(1001);
  });

  it('drops lints that newer versions overtook and keeps memory bounded over 50 edits', async () => {
    const { c, dir } = await start();
    const uri = uriOf(join(dir, 'many.yaml'));
    await c.open(uri, pods(2500));
    await c.diagnostics(uri);
    let version = 1;
    for (let i = 0; i < 50; i++)
      version = await c.edit(
        uri,
        { start: { line: 3, character: 8 }, end: { line: 3, character: 9 } },
        `q${i}`,
      );
    const ds = await c.diagnostics(uri);
    // Only the newest version was published: every earlier lint was cancelled or its result dropped.
    const versions = c.published.filter((p) => p.uri === uri).map((p) => p.version);
    expect(versions).toEqual([1, version]);
    expect(ds).toHaveLength(1001);
    // A generous bound (the server starts at ~100 MB): the full findings list (37,500 here) and the
    // parses of superseded versions are not kept.
    expect(c.rss()).toBeLessThan(600 * 1024 * 1024);
  });
});
