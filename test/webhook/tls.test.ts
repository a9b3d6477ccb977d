// One real TLS test: generated CA and serving certificate, a client that verifies the CA, TLS ≥ 1.2,
// and hot reload when the certificate files are rotated on disk (as cert-manager does). Also what
// the generated certificates hold: ECDSA P-256 keys, the extensions, rotation under an RSA CA.
import 'reflect-metadata'; // before @peculiar/x509
import * as x509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts, type GeneratedCerts } from '../../src/webhook/certs.js';
import { createApp } from '../../src/webhook/app.js';
import { resolveSettings, type AdmissionReview } from '../../src/webhook/admission.js';
import { startServer, type RunningServer } from '../../src/webhook/server.js';
import { engineFor, pod, request, review } from './helpers.js';
import { rsaCa } from './rsa-ca.js';

const dir = mkdtempSync(join(tmpdir(), 'shipshape-tls-'));
const certFile = join(dir, 'tls.crt');
const keyFile = join(dir, 'tls.key');
/** Write like the kubelet: new files, then an atomic rename over the old ones. */
const install = (c: GeneratedCerts) => {
  writeFileSync(`${keyFile}.new`, c.key);
  writeFileSync(`${certFile}.new`, c.cert);
  renameSync(`${keyFile}.new`, keyFile);
  renameSync(`${certFile}.new`, certFile);
};

let running: RunningServer;
let first: GeneratedCerts;

function servedSerial(ca: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: running.port, ca, servername: 'shipshape.shipshape-system.svc' },
      () => {
        const serial = socket.getPeerCertificate().serialNumber;
        socket.end();
        resolvePromise(serial);
      },
    );
    socket.on('error', reject);
  });
}

function postJson(
  path: string,
  body: unknown,
  ca: string,
): Promise<{ status: number; json: AdmissionReview }> {
  return new Promise((resolvePromise, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port: running.port,
        path,
        method: 'POST',
        ca,
        servername: 'shipshape.shipshape-system.svc',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolvePromise({ status: res.statusCode!, json: JSON.parse(text) as AdmissionReview }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

beforeAll(async () => {
  first = await generateCerts({
    service: 'shipshape',
    namespace: 'shipshape-system',
    ipAddresses: ['127.0.0.1'],
  });
  install(first);
  const app = createApp({
    engine: await engineFor({ presets: ['recommended'] }),
    settings: resolveSettings(),
    logger: pino({ level: 'silent' }),
    processMetrics: false,
  });
  running = await startServer({
    app,
    port: 0,
    host: '127.0.0.1',
    tls: { certFile, keyFile, reloadIntervalMs: 50 },
    logger: pino({ level: 'silent' }),
  });
});
afterAll(() => running.close(1000));

describe('HTTPS with generated certificates', () => {
  it('the certificate names the Service (and the extra IP) and chains to the printed caBundle', () => {
    expect(first.dnsNames).toEqual([
      'shipshape',
      'shipshape.shipshape-system',
      'shipshape.shipshape-system.svc',
      'shipshape.shipshape-system.svc.cluster.local',
    ]);
    expect(Buffer.from(first.caBundle, 'base64').toString()).toBe(first.caCert);
  });

  it('serves admission over TLS to a client that verifies the CA and the service name', async () => {
    const req = request(pod({ securityContext: { privileged: true } }));
    const { status, json } = await postJson('/validate', review(req), first.caCert);
    expect(status).toBe(200);
    expect(json.response).toMatchObject({ uid: req.uid, allowed: false });
  });

  it('is refused by a client that does not trust the CA, and by a client for the wrong name', async () => {
    const other = await generateCerts({ service: 'other', namespace: 'x' });
    await expect(postJson('/validate', {}, other.caCert)).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
    await expect(
      new Promise((resolvePromise, reject) => {
        const s = tls.connect(
          { host: '127.0.0.1', port: running.port, ca: first.caCert, servername: 'evil.example' },
          () => resolvePromise(s.end()),
        );
        s.on('error', reject);
      }),
    ).rejects.toThrow(/altnames|Hostname/i);
  });

  /** Open a TLS session trusting the first CA and read something off it. */
  const onSession = <T>(read: (s: tls.TLSSocket) => T) =>
    new Promise<T>((resolvePromise, reject) => {
      const s = tls.connect(
        { host: '127.0.0.1', port: running.port, ca: first.caCert, servername: 'shipshape' },
        () => {
          resolvePromise(read(s));
          s.end();
        },
      );
      s.on('error', reject);
    });

  it('handshakes with the ECDSA P-256 key', async () => {
    const peer = await onSession((s) => s.getPeerCertificate());
    expect(peer.asn1Curve).toBe('prime256v1');
    expect(peer.bits).toBe(256);
  });

  it('speaks TLS 1.2 or newer only', async () => {
    const version = await onSession((s) => s.getProtocol());
    expect(['TLSv1.2', 'TLSv1.3']).toContain(version);
    await expect(
      new Promise((resolvePromise, reject) => {
        const s = tls.connect(
          {
            host: '127.0.0.1',
            port: running.port,
            ca: first.caCert,
            servername: 'shipshape',
            minVersion: 'TLSv1',
            maxVersion: 'TLSv1.1',
          },
          () => resolvePromise(s.end()),
        );
        s.on('error', reject);
      }),
    ).rejects.toThrow();
  });

  it('picks up a rotated certificate from disk without a restart (same CA, then a new CA)', async () => {
    const before = await servedSerial(first.caCert);
    const rotated = await generateCerts({
      service: 'shipshape',
      namespace: 'shipshape-system',
      ipAddresses: ['127.0.0.1'],
      ca: { cert: first.caCert, key: first.caKey },
    });
    install(rotated);
    await until(async () => (await servedSerial(first.caCert)) !== before);
    expect((await postJson('/validate', review(request(pod())), first.caCert)).status).toBe(200);

    // A new CA: clients with the new bundle succeed, the old bundle no longer verifies.
    const fresh = await generateCerts({
      service: 'shipshape',
      namespace: 'shipshape-system',
      ipAddresses: ['127.0.0.1'],
    });
    install(fresh);
    await until(async () =>
      servedSerial(fresh.caCert).then(
        () => true,
        () => false,
      ),
    );
    expect((await postJson('/validate', review(request(pod())), fresh.caCert)).status).toBe(200);
    await expect(servedSerial(first.caCert)).rejects.toThrow();
  });

  it('keeps serving the old certificate while the new pair is half-written', async () => {
    const current = await generateCerts({
      service: 'shipshape',
      namespace: 'shipshape-system',
      ipAddresses: ['127.0.0.1'],
    });
    install(current);
    await until(async () =>
      servedSerial(current.caCert).then(
        () => true,
        () => false,
      ),
    );
    const next = await generateCerts({
      service: 'shipshape',
      namespace: 'shipshape-system',
      ipAddresses: ['127.0.0.1'],
    });
    writeFileSync(certFile, next.cert); // the key is still the old one: a mismatched pair
    await new Promise((r) => setTimeout(r, 300));
    expect(running.reloadCertificate()).toBe(false);
    expect((await postJson('/validate', review(request(pod())), current.caCert)).status).toBe(200);
    writeFileSync(keyFile, next.key);
    await until(async () =>
      servedSerial(next.caCert).then(
        () => true,
        () => false,
      ),
    );
  });

  it('serves a certificate rotated under an RSA CA (made by an older version) to clients of that CA', async () => {
    const ca = await rsaCa();
    const issued = await generateCerts({
      service: 'shipshape',
      namespace: 'shipshape-system',
      ipAddresses: ['127.0.0.1'],
      ca,
    });
    install(issued);
    await until(async () =>
      servedSerial(ca.cert).then(
        () => true,
        () => false,
      ),
    );
    expect((await postJson('/validate', review(request(pod())), ca.cert)).status).toBe(200);
  });

  it('refuses to start without certificates unless plain HTTP is asked for', async () => {
    await expect(
      startServer({ app: () => undefined, port: 0, logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow('HTTPS needs --cert-file and --key-file');
  });
});

describe('generated certificates', () => {
  const usages = (pem: string) => new x509.X509Certificate(pem).getExtension(x509.KeyUsagesExtension);
  const basic = (pem: string) => new x509.X509Certificate(pem).getExtension(x509.BasicConstraintsExtension);
  const ski = (pem: string) =>
    new x509.X509Certificate(pem).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const aki = (pem: string) =>
    new x509.X509Certificate(pem).getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;

  it('are ECDSA P-256 keys in PKCS#8 PEM and certificates signed with ECDSA SHA-256, with \\n line ends', () => {
    for (const key of [first.key, first.caKey]) {
      expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----\n[^\r]+\n-----END PRIVATE KEY-----\n$/);
      const k = createPrivateKey(key);
      expect(k.asymmetricKeyType).toBe('ec');
      expect(k.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
    for (const pem of [first.cert, first.caCert]) {
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[^\r]+\n-----END CERTIFICATE-----\n$/);
      expect(new x509.X509Certificate(pem).signatureAlgorithm).toMatchObject({
        name: 'ECDSA',
        hash: { name: 'SHA-256' },
      });
    }
    expect(new X509Certificate(first.cert).checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect(new X509Certificate(first.caCert).checkPrivateKey(createPrivateKey(first.caKey))).toBe(true);
  });

  it('the CA: self-signed, cA and keyCertSign/cRLSign/digitalSignature (both critical), a key id, 10 years', () => {
    const ca = new X509Certificate(first.caCert);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=shipshape-webhook-ca (shipshape-system)');
    expect(ca.issuer).toBe(ca.subject);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(basic(first.caCert)).toMatchObject({ ca: true, critical: true });
    const { KeyUsageFlags: F } = x509;
    expect(usages(first.caCert)).toMatchObject({
      usages: F.keyCertSign | F.cRLSign | F.digitalSignature,
      critical: true,
    });
    expect(ski(first.caCert)).toMatch(/^[0-9a-f]{40}$/);
    const p = new x509.X509Certificate(first.caCert);
    expect((p.notAfter.getTime() - p.notBefore.getTime()) / 86_400_000).toBe(3650);
  });

  it('the serving certificate: not a CA, digitalSignature only, serverAuth, the SANs, chained to the CA', () => {
    const cert = new X509Certificate(first.cert);
    const ca = new X509Certificate(first.caCert);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=shipshape.shipshape-system.svc');
    expect(cert.issuer).toBe(ca.subject);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // Node's keyUsage is the extended key usage: serverAuth
    for (const name of first.dnsNames) expect(cert.checkHost(name)).toBe(name);
    expect(cert.checkHost('other.shipshape-system.svc')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('127.0.0.2')).toBeUndefined();
    expect(basic(first.cert)).toMatchObject({ ca: false, critical: true });
    // no keyEncipherment: an EC key cannot encrypt
    expect(usages(first.cert)).toMatchObject({ usages: x509.KeyUsageFlags.digitalSignature, critical: true });
    expect(ski(first.cert)).toMatch(/^[0-9a-f]{40}$/);
    expect(aki(first.cert)).toBe(ski(first.caCert));
    expect(/^[0-7]/.test(cert.serialNumber) && BigInt(`0x${cert.serialNumber}`) > 0n).toBe(true);
    const p = new x509.X509Certificate(first.cert);
    expect(Date.now() - p.notBefore.getTime()).toBeGreaterThanOrEqual(5 * 60_000 - 1000);
    expect((p.notAfter.getTime() - p.notBefore.getTime()) / 86_400_000).toBe(365);
  });

  it('rotates a serving certificate under an existing RSA CA, signed with RSASSA-PKCS1-v1_5 SHA-256', async () => {
    for (const format of ['pkcs8', 'pkcs1'] as const) {
      const ca = await rsaCa(format);
      const out = await generateCerts({ service: 'hook', namespace: 'policy', ca });
      expect(out.caCert).toBe(ca.cert);
      expect(out.caKey).toBe(ca.key);
      expect(out.caBundle).toBe(Buffer.from(ca.cert).toString('base64'));
      const cert = new X509Certificate(out.cert);
      expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
      expect(cert.checkHost('hook.policy.svc')).toBe('hook.policy.svc');
      expect(createPrivateKey(out.key).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(new x509.X509Certificate(out.cert).signatureAlgorithm).toMatchObject({
        name: 'RSASSA-PKCS1-v1_5',
        hash: { name: 'SHA-256' },
      });
      expect(aki(out.cert)).toBe(ski(ca.cert));
    }
  });

  it("refuses a CA key that is not the CA certificate's", async () => {
    const other = await generateCerts({ service: 'other', namespace: 'x' });
    await expect(
      generateCerts({ service: 's', namespace: 'n', ca: { cert: first.caCert, key: other.caKey } }),
    ).rejects.toThrow('the CA key does not belong to the CA certificate');
  });
});
