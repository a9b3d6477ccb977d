/**
 * Development certificates for the webhook: a CA and a serving certificate for
 * `<service>.<namespace>.svc` (plus extra names and IPs), with the caBundle to paste into the
 * webhook configurations. Keys come from Node's crypto; node-forge writes the X.509 structures.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface CertRequest {
  service: string;
  namespace: string;
  /** More DNS names for the serving certificate. */
  dnsNames?: string[];
  /** IP addresses for the serving certificate (e.g. 127.0.0.1 for a local API server). */
  ipAddresses?: string[];
  /** Validity in days (default 365). */
  days?: number;
  /** Reuse this CA (PEM) instead of creating one: rotate the serving certificate under the same caBundle. */
  ca?: { cert: string; key: string };
}

export interface GeneratedCerts {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
  /** base64 of caCert: the `caBundle` field of the webhook configurations. */
  caBundle: string;
  dnsNames: string[];
}

function newKey(): { forgeKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return b.toString('hex');
}

/** The DNS names a Service is reached by from the API server. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

/** Create (or reuse) a CA and issue a serving certificate for the service. */
export function generateCerts(r: CertRequest): GeneratedCerts {
  const days = r.days ?? 365;
  const now = new Date(Date.now() - 5 * 60_000); // tolerate small clock skew
  const until = (d: number) => new Date(now.getTime() + d * 86_400_000);

  let caCertPem: string;
  let caKeyPem: string;
  let caCert: forge.pki.Certificate;
  let caKey: forge.pki.rsa.PrivateKey;
  if (r.ca) {
    caCertPem = r.ca.cert;
    caKeyPem = r.ca.key;
    caCert = forge.pki.certificateFromPem(caCertPem);
    caKey = forge.pki.privateKeyFromPem(caKeyPem);
  } else {
    const k = newKey();
    caKey = k.forgeKey;
    caKeyPem = k.pem;
    caCert = forge.pki.createCertificate();
    caCert.publicKey = k.publicKey;
    caCert.serialNumber = serial();
    caCert.validity.notBefore = now;
    caCert.validity.notAfter = until(Math.max(days, 3650));
    const subject = [{ name: 'commonName', value: `shipshape-webhook-ca (${r.namespace})` }];
    caCert.setSubject(subject);
    caCert.setIssuer(subject);
    caCert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    caCert.sign(caKey, forge.md.sha256.create());
    caCertPem = forge.pki.certificateToPem(caCert).replace(/\r\n/g, '\n');
  }

  const dnsNames = [...serviceDnsNames(r.service, r.namespace), ...(r.dnsNames ?? [])];
  const k = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = k.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = now;
  cert.validity.notAfter = until(days);
  cert.setSubject([{ name: 'commonName', value: `${r.service}.${r.namespace}.svc` }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...dnsNames.map((value) => ({ type: 2, value })),
        ...(r.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
      ],
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    caCert: caCertPem,
    caKey: caKeyPem,
    cert: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'),
    key: k.pem,
    caBundle: Buffer.from(caCertPem).toString('base64'),
    dnsNames,
  };
}
