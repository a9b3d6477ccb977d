// Every problem in .shipshape.yaml is a one-line ConfigError naming the file and line, never a crash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/program/main.js';
import { ConfigError } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/load.js';

/** Billion laughs: ten levels of nine aliases each expand to 9^10 strings. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  lines.push('ignorePaths: *a9');
  return lines.join('\n') + '\n';
}

function configError(text: string): string {
  try {
    parseConfig(text, '/x/.shipshape.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('config files that cannot be read as data', () => {
  it('an alias bomb is a config error at the first alias', () => {
    expect(configError(aliasBomb())).toBe(
      '/x/.shipshape.yaml:2:10: too many aliases expand here (a YAML alias bomb?); write the values out',
    );
  });

  it('an unresolved alias is a config error at that alias', () => {
    expect(configError('presets: [recommended]\nrules: *nope\n')).toBe(
      '/x/.shipshape.yaml:2:8: Unresolved alias (the anchor must be set before the alias): nope',
    );
  });

  it('the CLI prints one line and exits 2, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-config-'));
    writeFileSync(join(dir, '.shipshape.yaml'), aliasBomb());
    writeFileSync(join(dir, 'c.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    let stdout = '';
    let stderr = '';
    const code = await run(['lint', 'c.yaml'], {
      cwd: dir,
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: (s: string) => (stderr += s) },
      readStdin: () => Promise.resolve(''),
      env: {},
    });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      `shipshape: ${join(dir, '.shipshape.yaml')}:2:10: too many aliases expand here (a YAML alias bomb?); write the values out\n`,
    );
  });
});
