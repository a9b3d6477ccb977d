// The differential proof's bookkeeping, without an API server: Secret values never reach a report,
// and no false rejection is explained away (issue 12's bar: none).
import { describe, expect, it } from 'vitest';
import type { ApiVerdict } from './apiserver.js';
import { allowedFalseRejection, shownText, type Outcome } from './differential-lib.js';

const accepted: ApiVerdict = { accepted: true, status: 201, message: '', warnings: [] };
const outcome = (key: string, messages: string[], apiserver = accepted): Omit<Outcome, 'allowed'> => ({
  id: 'x',
  key,
  class: 'bad-name',
  detail: '',
  text: '',
  shipshape: { accept: messages.length === 0, messages },
  apiserver,
});

describe('differential bookkeeping', () => {
  it('redacts Secret values in JSON and YAML texts, and leaves other kinds alone', () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      data: { password: 'czNjcjN0' },
      stringData: { u: 'admin' },
    });
    const shown = shownText('v1/Secret', json, false);
    expect(shown).not.toContain('czNjcjN0');
    expect(shown).not.toContain('admin');
    expect(JSON.parse(shown)).toMatchObject({
      data: { password: '<redacted>' },
      stringData: { u: '<redacted>' },
    });
    const yaml = 'apiVersion: v1\nkind: Secret\ndata:\n  token: c2VjcmV0\n  token: b3RoZXI=\n';
    expect(shownText('v1/Secret', yaml, true)).not.toMatch(/c2VjcmV0|b3RoZXI/);
    const cm = '{"kind":"ConfigMap","data":{"a":"b"}}';
    expect(shownText('v1/ConfigMap', cm, false)).toBe(cm);
  });

  it('allows no false rejection: the former allowed classes are unexplained now', () => {
    const name =
      '[k8s-schema] metadata.name: Invalid value: "web_app": a lowercase RFC 1123 subdomain must consist of …';
    const dup = '[k8s-schema] spec.volumeLifecycleModes[1]: duplicate value "Persistent"';
    expect(allowedFalseRejection(outcome('rbac.authorization.k8s.io/v1/Role', [name]))).toBeUndefined();
    expect(allowedFalseRejection(outcome('storage.k8s.io/v1/CSIDriver', [dup]))).toBeUndefined();
  });
});
