// docs/rules/coverage.md, the peers' checks → shipshape rules, cannot drift from the catalog: every
// rule it names exists, every covered row names one, and every peer check a rule's `references:`
// claims is mapped to that rule in the table.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/builtin.js';

const FILE = fileURLToPath(new URL('../../docs/rules/coverage.md', import.meta.url));

const PEERS = { 'kube-linter': 'kube-linter', Polaris: 'polaris', 'kube-score': 'kube-score' } as const;
type Peer = (typeof PEERS)[keyof typeof PEERS];
const STATUSES = ['covered', 'partly', 'not applicable', '(wt/cov)', 'missing'] as const;

interface Row {
  peer: Peer;
  check: string;
  status: string;
  rules: string[];
  note: string;
  line: number;
}

/** The rows of the table under each peer's `## <peer>` heading. */
function parseCoverage(markdown: string): Row[] {
  const rows: Row[] = [];
  let peer: Peer | undefined;
  markdown.split('\n').forEach((text, i) => {
    const heading = /^## (.+)$/.exec(text);
    if (heading) {
      peer = PEERS[heading[1]!.trim() as keyof typeof PEERS];
      return;
    }
    if (!peer || !text.startsWith('|')) return;
    const cells = text
      .slice(1, text.endsWith('|') ? -1 : undefined)
      .split('|')
      .map((c) => c.trim());
    if (cells[0] === 'Check' || /^-+$/.test(cells[0] ?? '')) return;
    const [check = '', status = '', rules = '', note = ''] = cells;
    rows.push({
      peer,
      check,
      status,
      rules: [...rules.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
      note,
      line: i + 1,
    });
  });
  return rows;
}

const rows = parseCoverage(readFileSync(FILE, 'utf8'));
const ids = new Set(builtinRules().map((r) => r.id));
const at = (r: Row) => `coverage.md:${r.line} ${r.peer} ${r.check}`;

describe('docs/rules/coverage.md', () => {
  it('has a table for each peer', () => {
    for (const peer of Object.values(PEERS)) expect(rows.filter((r) => r.peer === peer).length, peer).toBeGreaterThan(10);
  });

  it('lists each peer check once, with a known status', () => {
    const seen = new Set<string>();
    for (const r of rows) {
      expect(STATUSES, at(r)).toContain(r.status);
      expect(seen.has(`${r.peer}/${r.check}`), `${at(r)} is listed twice`).toBe(false);
      seen.add(`${r.peer}/${r.check}`);
    }
  });

  it('names only rules of the catalog', () => {
    const unknown = rows.flatMap((r) => r.rules.filter((id) => !ids.has(id)).map((id) => `${at(r)}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it('names a rule on every covered or partly covered row, and says why on the others', () => {
    for (const r of rows) {
      if (r.status === 'covered' || r.status === 'partly') expect(r.rules.length, at(r)).toBeGreaterThan(0);
      if (r.status === 'partly') expect(r.note, `${at(r)}: say what differs`).not.toBe('');
      if (r.status === 'not applicable') expect(r.note, `${at(r)}: say why`).toMatch(/^Because /);
      if (r.status === 'missing' || r.status === '(wt/cov)') expect(r.rules, at(r)).toEqual([]);
    }
  });

  it("maps every peer check a rule's references name to that rule", () => {
    const table = new Map(rows.map((r) => [`${r.peer}/${r.check}`, r]));
    const off: string[] = [];
    for (const def of builtinRules())
      for (const peer of Object.values(PEERS)) {
        const ref = def.references?.[peer];
        for (const check of ref === undefined ? [] : Array.isArray(ref) ? ref : [ref]) {
          const row = table.get(`${peer}/${check}`);
          if (!row) off.push(`${def.id} references ${peer} ${check}, which the table does not list`);
          else if (!row.rules.includes(def.id)) off.push(`${def.id} references ${peer} ${check}, but ${at(row)} does not name it`);
        }
      }
    expect(off).toEqual([]);
  });
});
