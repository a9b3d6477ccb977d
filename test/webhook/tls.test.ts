// One real TLS test: generated CA and serving certificate, a client that verifies the CA, TLS ≥ 1.2,
// and hot reload when the certificate files are rotated on disk (as cert-manager does).
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
  first = generateCerts({ service: 'shipshape', namespace: 'shipshape-system', ipAddresses: ['127.0.0.1'] });
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
    const other = generateCerts({ service: 'other', namespace: 'x' });
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

  it('speaks TLS 1.2 or newer only', async () => {
    const version = await new Promise<string | null>((resolvePromise, reject) => {
      const s = tls.connect(
        { host: '127.0.0.1', port: running.port, ca: first.caCert, servername: 'shipshape' },
        () => {
          resolvePromise(s.getProtocol());
          s.end();
        },
      );
      s.on('error', reject);
    });
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
    const rotated = generateCerts({
      service: 'shipshape',
      namespace: 'shipshape-system',
      ipAddresses: ['127.0.0.1'],
      ca: { cert: first.caCert, key: first.caKey },
    });
    install(rotated);
    await until(async () => (await servedSerial(first.caCert)) !== before);
    expect((await postJson('/validate', review(request(pod())), first.caCert)).status).toBe(200);

    // A new CA: clients with the new bundle succeed, the old bundle no longer verifies.
    const fresh = generateCerts({
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
    const current = generateCerts({
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
    const next = generateCerts({
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

  it('refuses to start without certificates unless plain HTTP is asked for', async () => {
    await expect(
      startServer({ app: () => undefined, port: 0, logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow('HTTPS needs --cert-file and --key-file');
  });
});
