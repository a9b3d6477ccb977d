// certificates.k8s.io checks the API server runs in Go; each verdict and message was confirmed with
// kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

/** A throw-away EC P-256 CSR for CN=alice (openssl req -new), base64 as the API wants it. */
const CSR =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlISk1ISUNBUUF3RURFT01Bd0dBMVVFQXd3RllXeHBZMlV3V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPUFFNQgpCd05DQUFUaHdVdlVkSytyb0hVRVp4S0VaQkFTZjZBaXZ3OFRRUnA1bFBqMWFJOUxLRGVvTkVpMW9HZ0pRbmhvCmJPTWkyckRmWm9mYUEwOW9BQ1NBcU5PZVRsa0hvQUF3Q2dZSUtvWkl6ajBFQXdJRFJ3QXdSQUlnUllBaFdBMVoKYllra2VVb3pFdTNEcGpLVURpMHBuSXRGNm4razBuVXkrOXNDSUNOSVNUS3U3T3l3RXV0RTVtNXdzdGRGQnJPRgpQdEhaN1dzZGllR0xBQllUCi0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo=';

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

const csr = (name: string, spec: string) =>
  `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: ${name}
spec:
${spec}
`;

describe('CertificateSigningRequest validation', () => {
  it('accepts a request the API server accepts', async () => {
    const yaml = csr(
      'c6',
      `  request: ${CSR}\n  signerName: example.com/my-signer\n  usages: [client auth, digital signature]\n  expirationSeconds: 600`,
    );
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks the PEM block, usages, signerName form and expirationSeconds', async () => {
    const yaml = csr(
      'c1',
      '  request: aGVsbG8=\n  signerName: example\n  usages: [digital signature, "digital signature", frobnicate]\n  expirationSeconds: 100',
    );
    expect(await schemaErrors(yaml)).toEqual([
      '6:12 spec.request: Invalid value: "aGVsbG8=": PEM block type must be CERTIFICATE REQUEST',
      '7:15 spec.signerName: Invalid value: "example": must be a fully qualified domain and path of the form \'example.com/signer-name\'',
      '8:31 spec.usages[1]: Duplicate value: "digital signature"',
      '8:52 spec.usages[2]: Unsupported value: "frobnicate": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"',
      '9:22 spec.expirationSeconds: Invalid value: 100: may not specify a duration less than 600 seconds (10 minutes)',
    ]);
  });

  it('requires usages and a signerName, and checks its domain and path', async () => {
    const yaml = [
      csr('c3', `  request: ${CSR}\n  signerName: ""\n  usages: []`),
      csr('c4', `  request: ${CSR}\n  signerName: example/signer\n  usages: [client auth]`),
      csr('c7', `  request: ${CSR}\n  signerName: example.com/My_Signer\n  usages: [client auth]`),
      csr('c8', `  request: ${CSR}\n  signerName: Example.com/signer\n  usages: [client auth]`),
    ].join('---\n');
    expect(await schemaErrors(yaml)).toEqual([
      '7:15 spec.signerName: Required value',
      '8:3 spec.usages: Required value',
      '16:15 spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots',
      `25:15 spec.signerName: Invalid value: "My_Signer": validating label "My_Signer": ${SUBDOMAIN}`,
      `34:15 spec.signerName: Invalid value: "Example.com": validating label "Example": ${LABEL}`,
    ]);
  });
});
