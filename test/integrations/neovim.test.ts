// The Neovim 0.7 snippet of docs/editors.md, run as written in a headless Neovim (Debian 12's
// 0.7.2: `apt-get install neovim`) against the real language server: a real LSP client.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './tools.js';

/** The lua block under the "Neovim 0.7" heading of docs/editors.md. */
function snippet(): string {
  const doc = readFileSync(join(ROOT, 'docs/editors.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Neovim 0.7'));
  const m = /```lua\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no lua block in the Neovim 0.7 section of docs/editors.md');
  return m[1]!;
}

// Waits for diagnostics on the opened buffer, then writes them (and the client names) as JSON.
const PROBE = `
local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 100)
local out = { ok = ok, version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor), clients = {}, diagnostics = {} }
for _, c in pairs(vim.lsp.buf_get_clients(0)) do table.insert(out.clients, c.name) end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { line = d.lnum, col = d.col, code = d.code, message = d.message, source = d.source })
end
vim.fn.writefile({ vim.fn.json_encode(out) }, vim.env.PROBE_OUT)
vim.cmd('qa!')
`;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: true
  containers:
    - name: app
      image: nginx:1.27
`;

describe('Neovim 0.7 with the documented snippet', () => {
  it('starts shipshape lsp for a manifest and shows its diagnostics', () => {
    const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    expect(nvim.status, 'nvim is not on PATH: apt-get install neovim').toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-nvim-'));
    // `shipshape` on PATH, as the snippet runs it.
    mkdirSync(join(dir, 'bin'));
    symlinkSync(BIN, join(dir, 'bin', 'shipshape'));
    const project = join(dir, 'project');
    mkdirSync(join(project, 'k8s'), { recursive: true });
    writeFileSync(join(project, '.shipshape.yaml'), 'presets: [pss-baseline]\n');
    writeFileSync(join(project, 'k8s', 'pod.yaml'), POD);
    writeFileSync(join(dir, 'shipshape.lua'), snippet());
    writeFileSync(join(dir, 'probe.lua'), PROBE);
    const out = join(dir, 'out.json');
    const r = spawnSync(
      'nvim',
      [
        '--headless',
        '--clean',
        '--cmd',
        `luafile ${join(dir, 'shipshape.lua')}`,
        '-c',
        `luafile ${join(dir, 'probe.lua')}`,
        'k8s/pod.yaml',
      ],
      {
        cwd: project,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
          PROBE_OUT: out,
          HOME: dir,
        },
      },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      ok: boolean;
      version: string;
      clients: string[];
      diagnostics: { line: number; col: number; code: string; message: string; source: string }[];
    };
    expect(result.clients).toEqual(['shipshape']);
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toContainEqual({
      line: 5,
      col: 15,
      code: 'no-host-network',
      message: 'Pod web sets hostNetwork: true.',
      source: 'shipshape',
    });
    // Reported so a reader of the test output sees which Neovim ran it.
    expect(result.version).toMatch(/^0\.\d+$/);
  }, 90_000);
});
