// Secret-looking ConfigMap values are never printed: one unique marker inside every value that a
// heuristic of no-secret-literals-in-configmap reports, searched for in every output format.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const MARKER = 'Q7zMarkerX9k';

// One key per heuristic (each value made up, with the marker inside the secret part).
const HEURISTICS: Record<string, string> = {
  smtp_password: `pw-${MARKER}`,
  client_secret: `cs-${MARKER}`,
  refresh_token: `rt-${MARKER}`,
  database_url: `postgres://app:${MARKER}@db.shop.svc:5432/shop`,
  REDIS_URL: `default:${MARKER}@redis.shop.svc:6379`,
  ado: `Server=sql.shop.svc;User Id=app;Password=${MARKER};`,
  go_dsn: `app:${MARKER}@tcp(mysql.shop.svc:3306)/shop`,
  aws: `AKIA${MARKER.toUpperCase().slice(0, 12)}ABCD`,
  github: `ghp_${MARKER}${'a'.repeat(36 - MARKER.length)}`,
  slack: `xoxb-000000000000-${MARKER}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${MARKER}.c2ln`,
  'key.pem': `-----BEGIN RSA PRIVATE KEY-----\n${MARKER}\n-----END RSA PRIVATE KEY-----\n`,
};

const yaml = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: leaky',
  '  namespace: shop',
  'data:',
  ...Object.entries(HEURISTICS).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`),
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'shipshape-secret-'));
writeFileSync(join(dir, 'cm.yaml'), yaml);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no-secret-literals-in-configmap never prints a value', () => {
  it('the marker really is in the file, under the right keys', () => {
    expect(yaml.toLowerCase().split(MARKER.toLowerCase()).length - 1).toBe(Object.keys(HEURISTICS).length);
  });

  it.each(['stylish', 'json', 'sarif', 'junit', 'github', 'gitlab'])('in %s output', async (format) => {
    const r = await runCli(['lint', 'cm.yaml', '--no-config', '--preset', 'recommended', '-f', format], {
      cwd: dir,
    });
    const out = r.stdout + r.stderr;
    // Every heuristic fired (the key is named), so the output had every chance to leak a value.
    for (const key of Object.keys(HEURISTICS)) expect(out, `${key} reported`).toContain(key);
    expect(out).toContain('no-secret-literals-in-configmap');
    expect(out).not.toContain(MARKER);
    expect(out.toLowerCase()).not.toContain(MARKER.toLowerCase());
  });
});
