// Property tests: the fast path agrees with the yaml package on generated Kubernetes-like YAML, and no input crashes the parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocuments, parseSource, type ParsedFile } from '../../src/source/parse.js';
import { locateOffsets, PosBuffer } from '../../src/source/positions.js';
import { codeUnits, parseYamlFast, ScalarCache } from '../../src/source/fast-yaml.js';
import { splitDocuments } from '../../src/source/documents.js';
import { keyString, resolvePlain } from '../../src/source/scalars.js';

// ---------------------------------------------------------------------------------------------
// A small model of block-style YAML, rendered to text.

type Node =
  | { t: 'plain'; s: string }
  | { t: 'sq'; s: string }
  | { t: 'dq'; s: string; esc: number }
  | { t: 'block'; folded: boolean; chomp: '' | '-' | '+'; explicit: boolean; extra: number; lines: string[] }
  | { t: 'flow'; v: Flow }
  | { t: 'empty' }
  | { t: 'map'; entries: [Key, Node][]; sameIndentSeq: boolean }
  | { t: 'seq'; items: Node[] };
type Flow = { t: 'fs'; s: Node } | { t: 'fseq'; items: Flow[] } | { t: 'fmap'; entries: [Key, Flow][] };
type Key = { plain: boolean; s: string; dq?: number };

const PLAIN_POOL = [
  'nginx',
  'app',
  'my-app',
  'v1',
  'apps/v1',
  'Deployment',
  'nginx:1.25',
  'ghcr.io/org/img@sha256:abc',
  '80',
  '8080',
  '0',
  '0777',
  '09',
  '0x1F',
  '0b101',
  '1e3',
  '1.5',
  '.5',
  '5.',
  '-1',
  '+5',
  '1_000',
  '.inf',
  '-.Inf',
  '.NaN',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'N',
  'true',
  'False',
  '~',
  'null',
  'NULL',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '1:30',
  'a:b',
  'http://example.com/a?b=c#frag',
  '100m',
  '1Gi',
  '500Mi',
  'a b  c',
  'a#b',
  'foo-bar_baz.qux',
  'ümlaut',
  '日本語',
  'x=y',
  '-dash',
  '?q',
  ':colon',
  '0o17',
  '12e',
  '0x',
  '.',
  '1.',
  'a[0]',
  'a{b}',
  'a,b',
  '<<',
  '=',
  'é 😀',
  "it's",
  'say "hi"',
  'back\\slash',
  'tab\there',
  '%20',
  'a!b',
  'a&b',
  'a*b',
  'a|b',
  'a>b',
  '-',
  '--',
  '---x',
];
const isFlowSafe = (s: string): boolean => !/[,[\]{}]/.test(s) && !s.includes('\t');
const plainOk = (s: string): boolean =>
  s.length > 0 &&
  !/^[-?:](?:\s|$)/.test(s) &&
  !/^[[\]{}#&*!|>'"%@`,]/.test(s) &&
  !/:(?:\s|$)/.test(s) &&
  !/\s#/.test(s) &&
  !/^\s|\s$/.test(s);
const genPlain = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PLAIN_POOL.filter(plainOk)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 ._/=+-]{0,10}$/).filter(plainOk) },
);
const CHARS = [
  'a',
  'B',
  '1',
  ' ',
  '"',
  "'",
  '\\',
  '#',
  ':',
  '-',
  ',',
  '{',
  '[',
  'é',
  '😀',
  '\t',
  '/',
  '\u00a0',
];
const DQ_CHARS = [...CHARS, '\n', '\0', '\x1b', '\u0085', '\u2028', '\u2029', '\x07', '\r'];
const genSq = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 });
const genDq = fc.string({ unit: fc.constantFrom(...DQ_CHARS), maxLength: 12 });

const KEY_POOL = [
  'name',
  'image',
  'ports',
  'env',
  'value',
  'on',
  'y',
  'n',
  'yes',
  '1',
  '0777',
  '1.0',
  'a b',
  'a.b/c',
  'app.kubernetes.io/name',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'kind',
  'apiVersion',
  'x-y',
  '日本',
  'null',
  'é',
];
const genKey: fc.Arbitrary<Key> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEY_POOL).map((s) => ({ plain: true, s })) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_.-]{0,8}$/).map((s) => ({ plain: true, s })) },
  { weight: 1, arbitrary: genSq.map((s) => ({ plain: false, s })) },
  {
    weight: 1,
    arbitrary: fc.record({ s: genDq, dq: fc.nat(7) }).map(({ s, dq }) => ({ plain: false, s, dq })),
  },
);
const keyId = (k: Key): string => {
  if (!k.plain) return k.s;
  return keyString(resolvePlain(k.s));
};

const BLOCK_LINES = [
  'text',
  'more text',
  '  indented',
  '    deeper',
  '',
  '# not a comment',
  'key: value',
  '- item',
  'trailing  ',
  '\tlead tab',
  'a "q" \\ b',
  'é😀',
  '---',
  '...',
];
const genBlock = fc
  .record({
    t: fc.constant('block' as const),
    folded: fc.boolean(),
    chomp: fc.constantFrom('' as const, '-' as const, '+' as const),
    explicit: fc.boolean(),
    extra: fc.integer({ min: 1, max: 3 }),
    lines: fc.array(fc.constantFrom(...BLOCK_LINES), { minLength: 1, maxLength: 6 }),
    trailing: fc.integer({ min: 0, max: 2 }),
  })
  .map(({ trailing, ...b }): Node => {
    // without an explicit indentation indicator the first line fixes the indentation: no leading space
    const lines = [...b.lines];
    if (!b.explicit) {
      while (lines.length > 0 && (lines[0] === '' || /^\s/.test(lines[0]!))) lines.shift();
      if (lines.length === 0) lines.push('text');
    }
    // (`|+` with no content at all is left to the yaml package on purpose)
    if (!lines.some((l) => l !== '')) lines.push('text');
    for (let i = 0; i < trailing; i++) lines.push('');
    return { ...b, lines };
  });

const genScalar: fc.Arbitrary<Node> = fc.oneof(
  { weight: 6, arbitrary: genPlain.map((s): Node => ({ t: 'plain', s })) },
  { weight: 2, arbitrary: genSq.map((s): Node => ({ t: 'sq', s })) },
  {
    weight: 2,
    arbitrary: fc.record({ s: genDq, esc: fc.nat(7) }).map(({ s, esc }): Node => ({ t: 'dq', s, esc })),
  },
);

const { flow } = fc.letrec<{ flow: Flow }>((tie) => ({
  flow: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      genPlain.filter(isFlowSafe).map((s): Flow => ({ t: 'fs', s: { t: 'plain', s } })),
      genSq.map((s): Flow => ({ t: 'fs', s: { t: 'sq', s } })),
      fc
        .record({ s: genDq, esc: fc.nat(7) })
        .map(({ s, esc }): Flow => ({ t: 'fs', s: { t: 'dq', s, esc } })),
    ),
    fc.array(tie('flow'), { maxLength: 4 }).map((items): Flow => ({ t: 'fseq', items })),
    fc
      .uniqueArray(
        fc.tuple(
          genKey.filter((k) => !k.plain || isFlowSafe(k.s)),
          tie('flow'),
        ),
        {
          maxLength: 4,
          selector: ([k]) => keyId(k),
        },
      )
      .map((entries): Flow => ({ t: 'fmap', entries })),
  ),
}));

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    genScalar,
    genBlock,
    flow.map((v): Node => ({ t: 'flow', v })),
    fc.constant<Node>({ t: 'empty' }),
    fc
      .record({
        entries: fc.uniqueArray(fc.tuple(genKey, tie('node')), {
          minLength: 1,
          maxLength: 5,
          selector: ([k]) => keyId(k),
        }),
        sameIndentSeq: fc.boolean(),
      })
      .map(({ entries, sameIndentSeq }): Node => ({ t: 'map', entries, sameIndentSeq })),
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((items): Node => ({ t: 'seq', items })),
  ),
}));

function renderDq(s: string, esc: number): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\0') out += '\\0';
    else if (ch === '\x1b') out += '\\e';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\u0085') out += '\\N';
    else if (ch === '\u2028') out += '\\L';
    else if (ch === '\u2029') out += '\\P';
    else if (ch === '\u00a0') out += esc & 1 ? '\\_' : ch;
    else if (ch === '\t') out += esc & 2 ? '\\t' : ch;
    else if (ch === '/') out += esc & 4 ? '\\/' : ch;
    else if (code > 0xffff) out += esc & 1 ? `\\U${code.toString(16).padStart(8, '0')}` : ch;
    else if (code > 0x7f) out += esc & 2 ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
    else if (ch === 'a' && esc & 4) out += '\\x61';
    else out += ch;
  }
  return out + '"';
}

function scalarText(n: Node): string {
  switch (n.t) {
    case 'plain':
      return n.s;
    case 'sq':
      return `'${n.s.replace(/'/g, "''")}'`;
    case 'dq':
      return renderDq(n.s, n.esc);
    default:
      throw new Error('not a scalar');
  }
}

function keyText(k: Key): string {
  if (k.dq !== undefined) return renderDq(k.s, k.dq);
  return k.plain ? k.s : `'${k.s.replace(/'/g, "''")}'`;
}

function flowText(f: Flow, spaced: boolean): string {
  const sp = spaced ? ' ' : '';
  switch (f.t) {
    case 'fs':
      return scalarText(f.s);
    case 'fseq':
      return f.items.length === 0
        ? '[]'
        : `[${sp}${f.items.map((i) => flowText(i, spaced)).join(`,${sp || ' '}`)}${sp}]`;
    case 'fmap':
      return f.entries.length === 0
        ? '{}'
        : `{${sp}${f.entries.map(([k, v]) => `${keyText(k)}: ${flowText(v, spaced)}`).join(`, `)}${sp}}`;
  }
}

/** Renders with a few deterministic variations chosen by `salt`. */
class Renderer {
  private out: string[] = [];
  private n = 0;
  constructor(private readonly salt: number) {}
  private flip(): number {
    this.n++;
    return (this.salt >> (this.n % 16)) & 1 ? this.n % 3 : 0;
  }
  private comment(): string {
    return this.flip() === 1 ? '  # note: x' : '';
  }
  private line(s: string): void {
    this.out.push(s);
    const f = this.flip();
    if (f === 2 && this.n % 5 === 0) this.out.push('');
    if (f === 1 && this.n % 7 === 0) this.out.push(`${' '.repeat(this.n % 4)}# comment line`);
  }

  text(root: Node): string {
    this.node(root, 0, -1, '');
    return this.out.join('\n');
  }

  /** Inline text for a value placed after `prefix` (`key:` or `-`). */
  private inline(prefix: string, n: Node, parentCol: number, indent: number): void {
    switch (n.t) {
      case 'plain':
      case 'sq':
      case 'dq':
        this.line(`${prefix}${this.flip() === 2 ? '   ' : ' '}${scalarText(n)}${this.comment()}`);
        return;
      case 'empty':
        this.line(`${prefix}${this.comment()}`);
        return;
      case 'flow':
        this.line(`${prefix} ${flowText(n.v, this.flip() === 1)}${this.comment()}`);
        return;
      case 'block': {
        const ind = n.explicit ? String(n.extra) : '';
        const head = this.flip() === 1 ? `${ind}${n.chomp}` : `${n.chomp}${ind}`;
        this.out.push(`${prefix} ${n.folded ? '>' : '|'}${head}${this.comment()}`);
        const contentCol = parentCol + n.extra;
        for (const l of n.lines) this.out.push(l === '' ? '' : ' '.repeat(contentCol) + l);
        return;
      }
      default:
        this.line(`${prefix}${this.comment()}`);
        this.node(n, indent, parentCol, '');
    }
  }

  /** A node on its own line(s) at column `col`. */
  private node(n: Node, col: number, parentCol: number, _: string): void {
    const pad = ' '.repeat(Math.max(col, 0));
    if (n.t === 'map') {
      n.entries.forEach(([k, v]) => {
        const prefix = `${pad}${keyText(k)}:`;
        if (v.t === 'seq' && n.sameIndentSeq) this.inline(prefix, v, col, col);
        else this.inline(prefix, v, col, col + 2);
      });
      return;
    }
    if (n.t === 'seq') {
      for (const item of n.items) {
        if (item.t === 'map') {
          // compact mapping: first entry on the dash line
          const [k0, v0] = item.entries[0]!;
          const rest = item.entries.slice(1);
          const kc = col + 2;
          const first = `${pad}- ${keyText(k0)}:`;
          if (v0.t === 'seq' && item.sameIndentSeq) this.inline(first, v0, kc, kc);
          else this.inline(first, v0, kc, kc + 2);
          for (const [k, v] of rest) {
            const prefix = `${' '.repeat(kc)}${keyText(k)}:`;
            if (v.t === 'seq' && item.sameIndentSeq) this.inline(prefix, v, kc, kc);
            else this.inline(prefix, v, kc, kc + 2);
          }
        } else if (item.t === 'seq' && this.flip() !== 2) {
          // compact nested sequence `- - x`
          const inner = new Renderer(this.salt + 1);
          inner.node(item, col + 2, col + 2, '');
          const lines = inner.out;
          const firstContent = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
          lines.forEach((l, i) => this.out.push(i === firstContent ? `${pad}- ${l.slice(col + 2)}` : l));
        } else {
          this.inline(`${pad}-`, item, col, col + 2);
        }
      }
      return;
    }
    // scalars / flow / block at the root
    if (n.t === 'block')
      this.node(
        { t: 'map', entries: [[{ plain: true, s: 'root' }, n]], sameIndentSeq: false },
        col,
        parentCol,
        '',
      );
    else if (n.t === 'flow') this.line(`${pad}${flowText(n.v, true)}`);
    else if (n.t === 'empty') this.line('# nothing here');
    else this.line(`${pad}${scalarText(n)}`);
  }
}

const genDoc = fc.oneof(
  { weight: 6, arbitrary: node.filter((n) => n.t === 'map' || n.t === 'seq') },
  { weight: 1, arbitrary: node },
  { weight: 1, arbitrary: fc.constant(null) },
);
const genFile = fc.record({
  docs: fc.array(fc.tuple(genDoc, fc.nat(0xffff)), { minLength: 1, maxLength: 3 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  leadingMarker: fc.boolean(),
  sep: fc.constantFrom('---', '--- # next', '...\n---', '---  '),
});

interface FileSpec {
  docs: [Node | null, number][];
  crlf: boolean;
  bom: boolean;
  leadingMarker: boolean;
  sep: string;
}

function renderFile(f: FileSpec): string {
  const parts = f.docs.map(([n, salt]) => (n === null ? '# empty document' : new Renderer(salt).text(n)));
  let text = (f.leadingMarker ? '---\n' : '') + parts.join(`\n${f.sep}\n`) + '\n';
  if (f.crlf) text = text.replace(/\n/g, '\r\n');
  if (f.bom) text = '\uFEFF' + text;
  return text;
}

// ---------------------------------------------------------------------------------------------

function allPointers(v: unknown, prefix = ''): string[] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...allPointers(x, `${prefix}/${i}`)));
  else if (typeof v === 'object' && v !== null)
    for (const k of Object.keys(v))
      out.push(
        ...allPointers(
          (v as Record<string, unknown>)[k],
          `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        ),
      );
  return out;
}

function values(p: ParsedFile): [number, unknown][] {
  return p.documents.map((d) => [d.document, d.value]);
}

const RUNS = Number(process.env.FC_RUNS ?? 300);
/** FC_RUNS=20000 makes a long soak run; give it time. */
const TIMEOUT = Math.max(60_000, RUNS * 60);

describe('fast path ≡ yaml package (differential)', () => {
  it(
    'gives the same values with the scalar memo (used for big files) as without it',
    () => {
      fc.assert(
        fc.property(genFile, (f) => {
          const once = renderFile({ ...f, bom: false });
          // the same documents twice, so the memo is hit
          const text = `${once}---\n${once.replace(/^---\r?\n/, '')}`;
          const units = codeUnits(text);
          const cache = new ScalarCache(text, units);
          for (const span of splitDocuments(text)) {
            if (span.bodyStart < 0) continue;
            const plain = parseYamlFast(text, span.bodyStart, span.end);
            const memo = parseYamlFast(text, span.bodyStart, span.end, new PosBuffer(text), cache, units);
            expect(memo?.value).toEqual(plain?.value);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'gives the same values and positions for generated Kubernetes-like YAML, without falling back',
    () => {
      fc.assert(
        fc.property(genFile, (f) => {
          const text = renderFile(f);
          const fast = parseDocuments('gen.yaml', text);
          const slow = parseDocuments('gen.yaml', text, { fastPath: false });
          expect(slow.problems).toEqual([]);
          expect(fast.problems).toEqual([]);
          expect(values(fast)).toEqual(values(slow));
          for (const d of fast.documents) expect([d.document, d.parser]).not.toEqual([d.document, 'yaml']);
          const body = text.replace(/^\uFEFF/, '');
          fast.documents.forEach((d, i) => {
            const s = slow.documents[i]!;
            for (const ptr of allPointers(d.value)) {
              for (const target of [undefined, 'key'] as const) {
                const a = locateOffsets(body, d.source.tables, ptr, target);
                const b = locateOffsets(body, s.source.tables, ptr, target);
                expect({ ptr, target, ...a }).toEqual({ ptr, target, ...b });
                expect(a.exact).toBe(true);
                expect(a.start).toBeGreaterThanOrEqual(0);
                if (d.value !== null) expect(a.end).toBeGreaterThan(a.start);
                expect(a.end).toBeLessThanOrEqual(body.length);
              }
            }
          });
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'agrees on mutated YAML (fallback or not), and never throws',
    () => {
      const genMutated = fc
        .tuple(
          genFile,
          fc.array(
            fc.tuple(
              fc.nat(),
              fc.constantFrom(
                '',
                ' ',
                '\t',
                ':',
                '- ',
                '#',
                '"',
                "'",
                '&a ',
                '*a',
                '!t ',
                '? ',
                '{',
                ']',
                '\n',
                '\r',
                '---\n',
                '|',
                '  ',
              ),
            ),
            { maxLength: 4 },
          ),
          fc.array(fc.nat(), { maxLength: 3 }),
        )
        .map(([f, inserts, deletes]) => {
          let text = renderFile(f);
          for (const [at, s] of inserts) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + s + text.slice(i);
          }
          for (const at of deletes) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + text.slice(i + 1);
          }
          return text;
        });
      fc.assert(
        fc.property(genMutated, (text) => {
          const fast = parseDocuments('m.yaml', text);
          const slow = parseDocuments('m.yaml', text, { fastPath: false });
          expect(values(fast)).toEqual(values(slow));
          expect(fast.problems.filter((p) => p.ruleId === 'yaml-syntax')).toEqual(
            slow.problems.filter((p) => p.ruleId === 'yaml-syntax'),
          );
          expect(fast.problems.map((p) => [p.ruleId, p.path, p.start, p.end])).toEqual(
            slow.problems.map((p) => [p.ruleId, p.path, p.start, p.end]),
          );
          assertRangesInside(text, fast);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'never throws and keeps every located range inside the text, for arbitrary strings',
    () => {
      const genText = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({
          unit: fc.constantFrom(
            'a',
            ':',
            ' ',
            '-',
            '\n',
            '#',
            '"',
            "'",
            '[',
            ']',
            '{',
            '}',
            ',',
            '|',
            '>',
            '&',
            '*',
            '!',
            '\t',
            '\r',
            '.',
            '0',
            '%',
            '\\',
          ),
          maxLength: 200,
        }),
      );
      fc.assert(
        fc.property(genText, fc.constantFrom('a.yaml', 'b.json'), (text, file) => {
          const r = parseSource(file, text);
          assertRangesInside(text, parseDocuments(file, text));
          for (const p of r.problems) {
            expect(p.start.line).toBeGreaterThanOrEqual(1);
            expect(p.start.column).toBeGreaterThanOrEqual(1);
          }
          for (const res of r.resources) {
            for (const ptr of allPointers(res.object).concat(['/nope', '/0/x', 'bad', '/a~1b/~0'])) {
              const range = res.source!.locate(ptr);
              expect(range.start.line).toBeGreaterThanOrEqual(1);
            }
          }
        }),
        { numRuns: RUNS * 3 },
      );
    },
    TIMEOUT,
  );
});

function assertRangesInside(text: string, parsed: ParsedFile): void {
  const body = text.replace(/^\uFEFF/, '');
  for (const d of parsed.documents) {
    for (const ptr of allPointers(d.value).concat(['/missing', '/0/missing'])) {
      for (const target of [undefined, 'key'] as const) {
        const r = locateOffsets(body, d.source.tables, ptr, target);
        if (d.source.tables.start < 0) continue;
        expect(r.start).toBeGreaterThanOrEqual(0);
        expect(r.end).toBeGreaterThanOrEqual(r.start);
        expect(r.end).toBeLessThanOrEqual(body.length);
      }
    }
  }
}
