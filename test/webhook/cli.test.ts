// CLI contracts of `serve` and `certs`, and the webhook: section of the configuration file.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseConfig } from '../../src/config/load.js';
import { rsaCa } from './rsa-ca.js';

const cli = (args: string[], cwd = process.cwd()) => runCli(args, { cwd });

describe('shipshape certs', () => {
  it('writes a CA and a serving certificate for the Service and prints the caBundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-certs-'));
    const r = await cli([
      'certs',
      '--service',
      'hook',
      '--namespace',
      'policy',
      '--ip',
      '127.0.0.1',
      '--dns',
      'hook.example',
      '--out-dir',
      dir,
    ]);
    expect(r.code).toBe(0);
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    expect(r.stdout).toBe(`${Buffer.from(ca).toString('base64')}\n`);
    expect(r.stderr).toContain('wrote ca.crt, ca.key, tls.crt, tls.key');
    const cert = new X509Certificate(readFileSync(join(dir, 'tls.crt')));
    expect(cert.verify(new X509Certificate(ca).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:hook, DNS:hook.policy, DNS:hook.policy.svc, DNS:hook.policy.svc.cluster.local, DNS:hook.example, IP Address:127.0.0.1',
    );
    expect(new X509Certificate(ca).ca).toBe(true);
    for (const key of ['tls.key', 'ca.key'])
      expect(createPrivateKey(readFileSync(join(dir, key))).asymmetricKeyDetails?.namedCurve).toBe(
        'prime256v1',
      );
    expect(statSync(join(dir, 'tls.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);

    // re-issue under the same CA: the caBundle does not change
    const again = mkdtempSync(join(tmpdir(), 'shipshape-certs-'));
    const r2 = await cli([
      'certs',
      '--service',
      'hook',
      '--namespace',
      'policy',
      '--out-dir',
      again,
      '--ca-cert',
      join(dir, 'ca.crt'),
      '--ca-key',
      join(dir, 'ca.key'),
    ]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toBe(r.stdout);
    expect(
      new X509Certificate(readFileSync(join(again, 'tls.crt'))).verify(new X509Certificate(ca).publicKey),
    ).toBe(true);
  });

  it('re-issues under an RSA CA from an older version (PKCS#1 key), and refuses a key of another CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-certs-'));
    const legacy = await rsaCa('pkcs1');
    writeFileSync(join(dir, 'ca.crt'), legacy.cert);
    writeFileSync(join(dir, 'ca.key'), legacy.key);
    const args = ['certs', '--service', 'hook', '--namespace', 'policy', '--out-dir', dir];
    const r = await cli([...args, '--ca-cert', join(dir, 'ca.crt'), '--ca-key', join(dir, 'ca.key')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${Buffer.from(legacy.cert).toString('base64')}\n`);
    expect(r.stderr).toContain('wrote tls.crt, tls.key');
    const cert = new X509Certificate(readFileSync(join(dir, 'tls.crt')));
    expect(cert.verify(new X509Certificate(legacy.cert).publicKey)).toBe(true);
    expect(createPrivateKey(readFileSync(join(dir, 'tls.key'))).asymmetricKeyDetails?.namedCurve).toBe(
      'prime256v1',
    );

    writeFileSync(join(dir, 'other.key'), (await rsaCa()).key);
    const bad = await cli([...args, '--ca-cert', join(dir, 'ca.crt'), '--ca-key', join(dir, 'other.key')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'shipshape: cannot issue under --ca-cert/--ca-key: the CA key does not belong to the CA certificate\n',
    );
  });

  it('needs --service and --namespace', async () => {
    const r = await cli(['certs', '--service', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--namespace <ns>' not specified");
  });
});

describe('shipshape serve: usage errors', () => {
  it('refuses to serve without certificates unless --insecure-http', async () => {
    const r = await cli(['serve', '--no-config']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'shipshape: serve needs --cert-file and --key-file (or --insecure-http for local development only)\n',
    );
  });

  it('rejects a bad port', async () => {
    const r = await cli(['serve', '--no-config', '--insecure-http', '--port', 'http']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port expects a whole number');
  });
});

describe('the webhook: section of .shipshape.yaml', () => {
  it('accepts every documented key', () => {
    const c = parseConfig(
      [
        'webhook:',
        '  actions: { error: deny, warn: warn, info: audit, rules: { no-latest-image-tag: deny } }',
        '  exemptNamespaces: [kube-system, sandbox-*]',
        '  namespaces: [prod-*]',
        '  objectSelector: { matchLabels: { a: b }, matchExpressions: [{ key: c, operator: In, values: [d] }] }',
        '  inlineConfig: false',
        '  onlyNewFindingsOnUpdate: true',
        '  skipControllerPods: true',
        '  subresources: [ephemeralcontainers]',
        '  onError: deny',
        '  mutation: { onError: allow, operations: [CREATE, UPDATE] }',
        '  maxWarnings: 10',
        '  maxWarningLength: 120',
        '  deadlineMs: 2000',
        '  maxBodyBytes: 1048576',
      ].join('\n'),
      'c.yaml',
    );
    expect(c.webhook?.actions?.rules).toEqual({ 'no-latest-image-tag': 'deny' });
  });

  it('names the line of a bad value or an unknown key', () => {
    expect(() => parseConfig('webhook:\n  actions:\n    error: block\n', 'c.yaml')).toThrow(
      /c\.yaml:3:\d+: .*(deny|allowed)/,
    );
    expect(() => parseConfig('webhook:\n  failurePolicy: Fail\n', 'c.yaml')).toThrow(
      /c\.yaml:2:3: .*failurePolicy/,
    );
    expect(() => parseConfig('webhook:\n  maxWarningLength: 1000\n', 'c.yaml')).toThrow(/c\.yaml:2:\d+/);
  });
});
