// Code-action edits on a big multi-document buffer: a quick fix or an object suppression reads
// only the YAML document it changes (editors ask for code actions on every cursor move), and
// gives exactly the text a fix of the whole buffer gives.
import { describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { openLinter } from '../../src/linter/linter.js';
import { fixText, suppressObjectText } from '../../src/lsp/edits.js';
import { parseSource } from '../../src/source/parse.js';
import * as fix from '../../src/source/fix.js';
import { pods } from './big.js';

/** Lengths of the texts handed to the YAML splicer. */
const spliced: number[] = [];
vi.mock('../../src/source/fix.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/source/fix.js')>();
  return {
    ...real,
    applyFixes: (
      text: Parameters<typeof real.applyFixes>[0],
      ...rest: Parameters<typeof real.applyFixes> extends [unknown, ...infer R] ? R : never
    ) => {
      spliced.push(typeof text === 'string' ? text.length : text.text.length);
      return real.applyFixes(text, ...rest);
    },
  };
});

const FILE = '/work/big.yaml';
// Comments, a `...` end marker and a document with leading comments, so that the documents' edges are not all alike.
const TEXT = `# fleet\n${pods(300)}...\n# trailing pod\n${pods(1, 'last')}`;

async function findings(): Promise<Finding[]> {
  const linter = await openLinter({}, { baseDir: '/work' });
  return linter
    .lintSources([{ file: FILE, text: TEXT }])
    .findings.filter((f) => !f.suppressed && f.fix && f.location?.file === FILE);
}

describe('fixText on a multi-document buffer', () => {
  it('splices only the document of the fix, with the same result as the whole-buffer splicer', async () => {
    const all = await findings();
    const picks = [all[0]!, all[Math.floor(all.length / 2)]!, all[all.length - 1]!];
    for (const f of picks) {
      spliced.length = 0;
      const got = fixText(FILE, TEXT, [f], true);
      expect(got).not.toBe(TEXT);
      expect(got).toBe(fix.applyFixes(TEXT, [f], { unsafe: true }));
      // The first call is fixText's own: one document of a few hundred characters, not the buffer.
      expect(spliced[0]).toBeLessThan(1000);
    }
  });

  it('applies fixes in many documents at once exactly as the whole-buffer splicer does', async () => {
    const all = await findings();
    expect(fixText(FILE, TEXT, all, false)).toBe(fix.applyFixes(TEXT, all, { unsafe: false }));
    expect(fixText(FILE, TEXT, all, true)).toBe(fix.applyFixes(TEXT, all, { unsafe: true }));
  });

  it('adds the suppression annotation to one object reading only its document', async () => {
    const all = await findings();
    const f = all[all.length - 1]!;
    const { object } = parseSource(FILE, TEXT).resources.find(
      (r) => r.source?.document === f.location!.document,
    )!;
    spliced.length = 0;
    const got = suppressObjectText(FILE, TEXT, f, object);
    expect(got).toContain('shipshape.dev/ignore');
    expect(spliced).toHaveLength(1);
    expect(spliced[0]).toBeLessThan(1000);
  });
});
