// An RSA CA shaped like the ones older versions of `shipshape certs` made (RSA-2048 key,
// sha256WithRSAEncryption, the same extensions), to check that serving certificates can still be
// rotated under it after the switch to ECDSA P-256.
import 'reflect-metadata'; // @peculiar/x509 needs it loaded first
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto } from 'node:crypto';

export async function rsaCa(keyFormat: 'pkcs8' | 'pkcs1' = 'pkcs8'): Promise<{ cert: string; key: string }> {
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const now = Date.now() - 5 * 60_000;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01ab',
      name: 'CN=shipshape-webhook-ca (legacy)',
      notBefore: new Date(now),
      notAfter: new Date(now + 3650 * 86_400_000),
      keys,
      signingAlgorithm: alg,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ type: keyFormat, format: 'pem' })
    .toString();
  return { cert: cert.toString('pem'), key };
}
