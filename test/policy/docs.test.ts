// docs/policies.md stays true: its Rego compiles with the real opa, its config examples validate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildBundle, ROOT } from './helpers.js';

const DOC = readFileSync(join(ROOT, 'docs/policies.md'), 'utf8');
const blocks = (lang: string) =>
  [...DOC.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

describe('docs/policies.md: Rego examples', () => {
  const rego = blocks('rego');
  it('has examples', () => expect(rego.length).toBeGreaterThanOrEqual(2));
  it.each(rego.map((r, i) => [i, r] as const))(
    'block %i compiles to WebAssembly',
    (_i, text) => {
      const pkg = /^package\s+([\w.]+)/m.exec(text)![1]!.replace(/\./g, '/');
      const entrypoints = [
        ...new Set([...text.matchAll(/^(deny|warn|violation)\b/gm)].map((m) => `${pkg}/${m[1]}`)),
      ];
      expect(() => buildBundle({ 'policy.rego': text }, entrypoints)).not.toThrow();
    },
    60_000,
  );
});

describe('docs/policies.md: configuration examples', () => {
  it.each(blocks('yaml').map((y, i) => [i, y] as const))(
    'block %i is a valid .shipshape.yaml',
    (_i, text) => {
      expect(() => parseConfig(text, 'docs/policies.md')).not.toThrow();
    },
  );
});
