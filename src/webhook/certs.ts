/**
 * Development certificates for the webhook: a CA and a serving certificate for
 * `<service>.<namespace>.svc` (plus extra names and IPs), with the caBundle to paste into the
 * webhook configurations. Keys are ECDSA P-256 (like the cert-manager manifests request): a TLS
 * handshake signs with the server key, and a P-256 signature costs ~0.04 ms of CPU where an
 * RSA-2048 one costs ~1 ms. Node's WebCrypto makes the keys and signs; @peculiar/x509 writes the
 * X.509 structures.
 */
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type SignAlgorithm = webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams;

type X509 = typeof import('@peculiar/x509');

let x509Loaded: Promise<X509> | undefined;
/**
 * @peculiar/x509 (through tsyringe) needs the Reflect metadata API when it is evaluated, so the
 * polyfill must run first. Loaded on first use, in that order: `serve`, which loads this module
 * but never makes certificates, does not pay for parsing them.
 */
function loadX509(): Promise<X509> {
  x509Loaded ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto);
    return x509;
  })();
  return x509Loaded;
}

export interface CertRequest {
  service: string;
  namespace: string;
  /** More DNS names for the serving certificate. */
  dnsNames?: string[];
  /** IP addresses for the serving certificate (e.g. 127.0.0.1 for a local API server). */
  ipAddresses?: string[];
  /** Validity in days (default 365). */
  days?: number;
  /**
   * Reuse this CA (PEM) instead of creating one: rotate the serving certificate under the same
   * caBundle. Its key may be EC (P-256/384/521) or RSA, e.g. a CA made by an older version.
   */
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

const EC_P256: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const WEB_CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

async function newKeyPair(): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
}

/** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") with \n line ends. */
async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/**
 * A CA's signing key for WebCrypto, with the algorithm that goes with it: ECDSA with SHA-256 for
 * EC keys, RSASSA-PKCS1-v1_5 with SHA-256 for RSA keys. Accepts any PEM Node reads (PKCS#8,
 * PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY").
 */
async function importSigningKey(keyObject: KeyObject): Promise<{ key: CryptoKey; algorithm: SignAlgorithm }> {
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  const type = keyObject.asymmetricKeyType;
  if (type === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve ?? '';
    const namedCurve = WEB_CURVES[curve];
    if (!namedCurve) throw new Error(`the CA key's curve ${curve || '(unknown)'} is not supported`);
    const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, [
      'sign',
    ]);
    return { key, algorithm: { name: 'ECDSA', hash: 'SHA-256' } };
  }
  if (type === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const key = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
    return { key, algorithm };
  }
  throw new Error(`the CA key is ${type ?? 'of an unknown type'}: only EC and RSA CA keys are supported`);
}

/** A positive random serial number (hex), 16 bytes with the top bit clear and a non-zero first byte. */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

/** PEM with \n line ends and a final newline. */
const pemLf = (pem: string): string => `${pem.replace(/\r\n/g, '\n').trimEnd()}\n`;

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
export async function generateCerts(r: CertRequest): Promise<GeneratedCerts> {
  const x509 = await loadX509();
  const days = r.days ?? 365;
  const now = new Date(Date.now() - 5 * 60_000); // tolerate small clock skew
  const until = (d: number) => new Date(now.getTime() + d * 86_400_000);

  let caCertPem: string;
  let caKeyPem: string;
  let caCert: InstanceType<X509['X509Certificate']>;
  let signer: { key: CryptoKey; algorithm: SignAlgorithm };
  if (r.ca) {
    caCertPem = r.ca.cert;
    caKeyPem = r.ca.key;
    caCert = new x509.X509Certificate(caCertPem);
    const keyObject = createPrivateKey(caKeyPem);
    const certSpki = createPublicKey(caCertPem).export({ type: 'spki', format: 'der' });
    const keySpki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
    if (!certSpki.equals(keySpki)) throw new Error('the CA key does not belong to the CA certificate');
    signer = await importSigningKey(keyObject);
  } else {
    const keys = await newKeyPair();
    caKeyPem = await privateKeyPem(keys.privateKey);
    signer = { key: keys.privateKey, algorithm: { name: 'ECDSA', hash: 'SHA-256' } };
    caCert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: [{ CN: [`shipshape-webhook-ca (${r.namespace})`] }],
      notBefore: now,
      notAfter: until(Math.max(days, 3650)),
      keys,
      signingAlgorithm: signer.algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    caCertPem = pemLf(caCert.toString('pem'));
  }

  // The CA's own key identifier when it has one (e.g. one computed by an older version), else
  // computed from its public key.
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = caSki
    ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId)
    : await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey);

  const dnsNames = [...serviceDnsNames(r.service, r.namespace), ...(r.dnsNames ?? [])];
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: [`${r.service}.${r.namespace}.svc`] }],
    issuer: caCert.subjectName,
    notBefore: now,
    notAfter: until(days),
    publicKey: keys.publicKey,
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      // digitalSignature only: keyEncipherment is for RSA key transport, which an EC key cannot do
      // (and TLS 1.3 / ECDHE never use).
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...(r.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      aki,
    ],
  });
  return {
    caCert: caCertPem,
    caKey: caKeyPem,
    cert: pemLf(cert.toString('pem')),
    key: await privateKeyPem(keys.privateKey),
    caBundle: Buffer.from(caCertPem).toString('base64'),
    dnsNames,
  };
}
