/**
 * certificates.k8s.io: CertificateSigningRequests (pkg/apis/certificates/validation): the PEM
 * request, signerName, usages and expirationSeconds. The request is public (a CSR), not a secret.
 */
import { Buffer } from 'node:buffer';
import { Issues, arr, num, obj, str, type Obj, type ValidatorTable } from './issues.js';
import { DNS1123_LABEL_MSG, DNS1123_SUBDOMAIN_MSG, isDns1123Label, isDns1123Subdomain } from './formats.js';

const USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
] as const;
const MIN_EXPIRATION = 600;
const SIGNER_FORM = "must be a fully qualified domain and path of the form 'example.com/signer-name'";
const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;

function validateCsr(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const request = str(spec.request);
  if (request !== undefined) {
    // []byte fields are base64 in JSON; the decoded bytes must hold a CERTIFICATE REQUEST block.
    const pem = Buffer.from(request, 'base64').toString('latin1');
    if (PEM_BEGIN.exec(pem)?.[1] !== 'CERTIFICATE REQUEST')
      v.invalid(['spec', 'request'], request, 'PEM block type must be CERTIFICATE REQUEST');
  }
  const usages = arr(spec.usages);
  if (usages.length === 0) v.required(['spec', 'usages']);
  const seen = new Set<unknown>();
  usages.forEach((u, i) => {
    if (typeof u === 'string' && !(USAGES as readonly string[]).includes(u))
      v.notSupported(['spec', 'usages', i], u, USAGES);
    if (seen.has(u)) v.duplicate(['spec', 'usages', i], u);
    seen.add(u);
  });
  const signer = str(spec.signerName) ?? '';
  const at = ['spec', 'signerName'];
  if (signer === '') v.required(at);
  else {
    const parts = signer.split('/');
    const domain = parts[0] ?? '';
    const path = parts[1] ?? '';
    if (parts.length !== 2) v.invalid(at, signer, SIGNER_FORM);
    else {
      const labels = domain.split('.');
      if (labels.length < 2)
        v.invalid(at, domain, 'should be a domain with at least two segments separated by dots');
      else
        for (const label of labels)
          if (!isDns1123Label(label))
            v.invalid(at, domain, `validating label "${label}": ${DNS1123_LABEL_MSG}`);
      if (!isDns1123Subdomain(path))
        v.invalid(at, path, `validating label "${path}": ${DNS1123_SUBDOMAIN_MSG}`);
    }
  }
  const expiration = num(spec.expirationSeconds);
  if (expiration !== undefined && expiration < MIN_EXPIRATION)
    v.invalid(
      ['spec', 'expirationSeconds'],
      expiration,
      `may not specify a duration less than ${MIN_EXPIRATION} seconds (10 minutes)`,
    );
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/**
 * A ClusterTrustBundle: PEM CERTIFICATE blocks that parse as X.509 (node:crypto, loaded only here).
 * The API server omits the value from its messages; so do we.
 */
function validateTrustBundle(o: Obj, v: Issues): void {
  const bundle = str(obj(o.spec)?.trustBundle);
  if (bundle === undefined) return;
  const at = ['spec', 'trustBundle'];
  const bad = (detail: string) => v.add(at, `Invalid value: "<value omitted>": ${detail}`);
  const blocks = [...bundle.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) return bad('at least one trust anchor must be provided');
  const { X509Certificate } = process.getBuiltinModule('node:crypto');
  blocks.forEach((b, i) => {
    if (b[1] !== 'CERTIFICATE') return bad(`entry ${i} has bad block type: ${b[1]}`);
    try {
      new X509Certificate(Buffer.from(b[2]!.replace(/\s+/g, ''), 'base64'));
    } catch {
      bad(`entry ${i} does not parse as X.509`);
    }
  });
}

export const CERTIFICATES_VALIDATORS: ValidatorTable = {
  'certificates.k8s.io/ClusterTrustBundle': validateTrustBundle,
  'certificates.k8s.io/CertificateSigningRequest': validateCsr,
};
