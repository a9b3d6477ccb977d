// HTTP tests of the express app on a random port: endpoints, probes, metrics, logs, bad requests.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerTimeoutMs, createApp, requestDeadlineMs } from '../../src/webhook/app.js';
import { resolveSettings, type AdmissionEngine, type AdmissionReview } from '../../src/webhook/admission.js';
import { cleanPod, engineFor, pod, request, review } from './helpers.js';

interface Served {
  url: string;
  logs: Record<string, unknown>[];
  close: () => Promise<void>;
}

function serve(
  engine: AdmissionEngine | Promise<AdmissionEngine>,
  webhook = {},
  lifecycle = { draining: false },
): Promise<Served> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const app = createApp({
    engine,
    settings: resolveSettings(webhook),
    logger: pino(sink),
    lifecycle,
    processMetrics: false,
  });
  const server = http.createServer(app).listen(0, '127.0.0.1');
  return new Promise((resolvePromise) =>
    server.once('listening', () =>
      resolvePromise({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        logs,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      }),
    ),
  );
}

const post = (url: string, body: string, type = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
const postReview = async (url: string, r: AdmissionReview) => {
  const res = await post(url, JSON.stringify(r));
  return { status: res.status, body: (await res.json()) as AdmissionReview };
};

let s: Served;
beforeAll(async () => {
  s = await serve(await engineFor({ presets: ['recommended', 'pss-restricted'] }), {
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(() => s.close());

const privileged = () => pod({ securityContext: { privileged: true } });

describe('admission endpoints', () => {
  it('POST /validate answers an AdmissionReview v1 with the uid echoed', async () => {
    const req = request(privileged());
    const { status, body } = await postReview(`${s.url}/validate`, review(req));
    expect(status).toBe(200);
    expect(body.apiVersion).toBe('admission.k8s.io/v1');
    expect(body.kind).toBe('AdmissionReview');
    expect(body.response?.uid).toBe(req.uid);
    expect(body.response?.allowed).toBe(false);
    expect(body.response?.status?.message).toContain('[no-privileged-container]');
  });

  it('answers the same with the API server’s ?timeout= query and through the express router', async () => {
    // `/validate?timeout=10s` is what the API server calls (direct dispatch); `/validate/` and
    // `/VALIDATE` only match through express's (non-strict, case-insensitive) router.
    const answers = await Promise.all(
      ['/validate?timeout=10s', '/validate/', '/VALIDATE'].map(async (path) => {
        const req = request(privileged());
        const { status, body } = await postReview(`${s.url}${path}`, review(req));
        expect(body.response?.uid).toBe(req.uid);
        return { status, allowed: body.response?.allowed, message: body.response?.status?.message };
      }),
    );
    expect(answers[0]!.allowed).toBe(false);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('POST /mutate answers a base64 JSONPatch', async () => {
    const { body } = await postReview(`${s.url}/mutate`, review(request(pod())));
    expect(body.response?.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(body.response!.patch!, 'base64').toString())).toContainEqual({
      op: 'add',
      path: '/spec/securityContext',
      value: { seccompProfile: { type: 'RuntimeDefault' } },
    });
  });

  it('logs one structured line per request, with uid, kind, namespace/name, decision and duration', async () => {
    const req = request(privileged(), { namespace: 'shop' });
    await postReview(`${s.url}/validate`, review(req));
    const line = s.logs.find((l) => l.uid === req.uid)!;
    expect(line).toMatchObject({
      msg: 'admission',
      endpoint: 'validate',
      kind: 'Pod',
      namespace: 'shop',
      name: 'web',
      operation: 'CREATE',
      decision: 'denied',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.findings).toContain(
      'deny:no-privileged-container@/spec/containers/0/securityContext/privileged',
    );
  });

  it('never logs Secret data', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', annotations: { note: 'hunter2-in-annotation' } },
      data: { password: Buffer.from('hunter2-base64').toString('base64') },
      stringData: { token: 'hunter2-plain' },
    };
    const req = request(secret);
    await postReview(`${s.url}/validate`, review(req));
    await postReview(`${s.url}/mutate`, review(request(secret)));
    const text = JSON.stringify(s.logs);
    expect(s.logs.some((l) => l.uid === req.uid && l.kind === 'Secret')).toBe(true);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(Buffer.from('hunter2-base64').toString('base64'));
  });
});

describe('probes and metrics', () => {
  it('/healthz is live at once; /readyz waits for the engine', async () => {
    let release!: (e: AdmissionEngine) => void;
    const pending = new Promise<AdmissionEngine>((r) => (release = r));
    const t = await serve(pending);
    try {
      expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${t.url}/readyz`)).status).toBe(503);
      const early = await post(`${t.url}/validate`, JSON.stringify(review(request(cleanPod()))));
      expect(early.status).toBe(503);
      expect(await early.json()).toEqual({ error: 'not ready: rules are still loading' });
      release(await engineFor({}));
      await new Promise((r) => setTimeout(r, 10));
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
    } finally {
      await t.close();
    }
  });

  it('/readyz fails when loading failed and while draining', async () => {
    const failed = Promise.reject(new Error('unknown preset "strictest"'));
    const t = await serve(failed);
    const lifecycle = { draining: false };
    const u = await serve(await engineFor({}), {}, lifecycle);
    try {
      await new Promise((r) => setTimeout(r, 10));
      const res = await fetch(`${t.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'failed', error: 'unknown preset "strictest"' });
      expect((await fetch(`${u.url}/readyz`)).status).toBe(200);
      lifecycle.draining = true;
      expect((await fetch(`${u.url}/readyz`)).status).toBe(503);
      // still serving admission requests while draining
      expect((await postReview(`${u.url}/validate`, review(request(cleanPod())))).status).toBe(200);
    } finally {
      await t.close();
      await u.close();
    }
  });

  it('/metrics counts requests by operation/kind/decision, findings by rule, latency and errors', async () => {
    const t = await serve(await engineFor({ presets: ['recommended'] }));
    try {
      await postReview(`${t.url}/validate`, review(request(privileged())));
      await postReview(`${t.url}/validate`, review(request(cleanPod())));
      await postReview(`${t.url}/validate`, review(request(privileged(), { dryRun: true })));
      await postReview(`${t.url}/validate`, review(request(null, { operation: 'DELETE' })));
      await post(`${t.url}/validate`, 'nope');
      const res = await fetch(`${t.url}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const m = await res.text();
      expect(m).toContain(
        'shipshape_admission_requests_total{endpoint="validate",operation="CREATE",kind="Pod",decision="denied"} 2',
      );
      expect(m).toContain(
        'shipshape_admission_requests_total{endpoint="validate",operation="CREATE",kind="Pod",decision="allowed"} 1',
      );
      expect(m).toContain(
        'shipshape_admission_requests_total{endpoint="validate",operation="DELETE",kind="Pod",decision="skipped"} 1',
      );
      // the dry run is not counted as a finding
      expect(m).toContain(
        'shipshape_admission_findings_total{rule="no-privileged-container",severity="error",action="deny"} 1',
      );
      expect(m).toContain('shipshape_admission_errors_total{endpoint="validate",reason="bad_request"} 1');
      expect(m).toMatch(
        /shipshape_admission_request_duration_seconds_bucket\{le="0\.005",endpoint="validate"\} \d+/,
      );
      expect(m).toContain('shipshape_admission_request_duration_seconds_count{endpoint="validate"} 5');
    } finally {
      await t.close();
    }
  });
});

describe('metrics cardinality', () => {
  /** The admission series in a /metrics text (one line per series; comments excluded). */
  const series = (text: string) => text.split('\n').filter((l) => l.startsWith('shipshape_admission_'));
  const randomKind = (i: number) => {
    const word = Math.random().toString(36).slice(2, 10);
    return {
      apiVersion: `${word}.attacker.example/v${i}`,
      kind: `K${word}${i}`,
      metadata: { name: `x${i}`, labels: { [`l${word}`]: word } },
      spec: { containers: [{ name: word, image: `${word}:latest`, securityContext: { privileged: true } }] },
    };
  };

  it('every label value comes from a bounded set: unknown kinds become `other`, the series count stays flat', async () => {
    const t = await serve(await engineFor({ presets: ['recommended'] }));
    try {
      const send = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const operation = (['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const)[i % 4]!;
          const object = randomKind(i);
          const req = request(operation === 'CREATE' || operation === 'UPDATE' ? object : null, {
            operation,
            kind: { group: `${i}.attacker.example`, version: `v${i}`, kind: object.kind },
            subResource: i % 3 === 0 ? `sub${i}` : undefined,
          });
          await postReview(`${t.url}/${i % 2 === 0 ? 'validate' : 'mutate'}`, review(req));
        }
        // known kinds keep their own label
        await postReview(`${t.url}/validate`, review(request(privileged())));
        await postReview(
          `${t.url}/validate`,
          review(
            request({
              apiVersion: 'networking.k8s.io/v1',
              kind: 'Ingress',
              metadata: { name: 'i' },
              spec: {},
            }),
          ),
        );
        await post(`${t.url}/validate`, 'nope');
        return (await fetch(`${t.url}/metrics`)).text();
      };
      const first = await send(0, 40);
      const after = await send(40, 400);
      expect(series(after).length).toBe(series(first).length);
      expect(series(after).length).toBeLessThan(80);
      expect(after).toContain(
        'shipshape_admission_requests_total{endpoint="validate",operation="CREATE",kind="Pod",decision="denied"} 2',
      );
      expect(after).toMatch(/shipshape_admission_requests_total\{[^}]*kind="Ingress"/);
      expect(after).toMatch(/shipshape_admission_requests_total\{[^}]*kind="other"[^}]*\} \d+/);
      expect(after).not.toContain('attacker');
      expect(after).not.toMatch(/kind="K/);
    } finally {
      await t.close();
    }
  });
});

describe('bad requests get a 400 with a clear message', () => {
  const cases: [string, string, string, string][] = [
    ['not JSON', '{"apiVersion":', 'application/json', 'body is not valid JSON'],
    ['an empty body', '', 'application/json', 'empty body: expected an AdmissionReview'],
    [
      'the wrong content type',
      '{}',
      'text/plain',
      'expected Content-Type application/json, got "text/plain"',
    ],
    [
      'the wrong kind',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'Pod', request: {} }),
      'application/json',
      'expected kind AdmissionReview, got "Pod"',
    ],
    [
      'the wrong version',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }),
      'application/json',
      'expected apiVersion admission.k8s.io/v1',
    ],
    [
      'no request',
      JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }),
      'application/json',
      'the AdmissionReview has no request',
    ],
  ];
  for (const [what, body, type, message] of cases)
    it(`rejects ${what}`, async () => {
      for (const endpoint of ['validate', 'mutate']) {
        const res = await post(`${s.url}/${endpoint}`, body, type);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toContain(message);
      }
    });

  it('never echoes the body of a request that is not JSON (it may hold a credential)', async () => {
    // V8's JSON.parse quotes the first characters of the text it could not parse.
    const body = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
    const res = await post(`${s.url}/validate`, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toBe('body is not valid JSON (at character 0)');
    expect(error).not.toContain('sk_live');
  });

  it('rejects a body over the documented limit (declared or streamed)', async () => {
    const big = review(request({ ...cleanPod(), data: 'x'.repeat(70 * 1024) }));
    const res = await post(`${s.url}/validate`, JSON.stringify(big));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'request body exceeds the limit of 65536 bytes (webhook.maxBodyBytes)',
    });
    // chunked, without a Content-Length
    const status = await new Promise<{ code: number; text: string }>((resolvePromise, reject) => {
      const r = http.request(
        `${s.url}/validate`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (resp) => {
          let text = '';
          resp.on('data', (c: Buffer) => (text += c.toString()));
          resp.on('end', () => resolvePromise({ code: resp.statusCode!, text }));
        },
      );
      r.on('error', reject);
      for (let i = 0; i < 80; i++) r.write('x'.repeat(1024));
      r.end();
    });
    expect(status.code).toBe(400);
    expect(status.text).toContain('exceeds the limit of 65536 bytes');
  });

  it('answers unknown routes with 404', async () => {
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    expect((await fetch(`${s.url}/validate`)).status).toBe(404);
  });
});

/** POST a body that never completes; resolves with the answer the deadline produces. */
const stalledPost = (url: string) =>
  new Promise<{ code: number; text: string }>((resolvePromise, reject) => {
    const r = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } },
      (resp) => {
        let text = '';
        resp.on('data', (c: Buffer) => (text += c.toString()));
        resp.on('end', () => resolvePromise({ code: resp.statusCode!, text }));
      },
    );
    r.on('error', reject);
    r.write('{"apiVersion":'); // and never the rest
  });

describe('deadline', () => {
  it('reads the API server’s timeout from the ?timeout= it appends (a Go duration)', () => {
    expect(callerTimeoutMs('/validate?timeout=10s')).toBe(10_000);
    expect(callerTimeoutMs('/mutate?timeout=1m0s')).toBe(60_000);
    expect(callerTimeoutMs('/validate?timeout=2.5s')).toBe(2500);
    expect(callerTimeoutMs('/validate?x=1&timeout=1500ms')).toBe(1500);
    expect(callerTimeoutMs('/validate')).toBeUndefined();
    expect(callerTimeoutMs('/validate?timeout=soon')).toBeUndefined();
    expect(callerTimeoutMs('/validate?timeout=10')).toBeUndefined();
    // the configured deadline, unless 80% of the caller's timeout is shorter
    expect(requestDeadlineMs(2500, '/validate?timeout=10s')).toBe(2500);
    expect(requestDeadlineMs(2500, '/validate?timeout=1s')).toBe(800);
    expect(requestDeadlineMs(2500, '/validate')).toBe(2500);
  });

  it('gives each query and configured deadline its own answer when they alternate (the last one is remembered)', () => {
    const calls: [number, string, number][] = [
      [2500, '/validate?timeout=1s', 800],
      [2500, '/mutate?timeout=1s', 800],
      [2500, '/validate?timeout=2s', 1600],
      [1000, '/validate?timeout=2s', 1000],
      [2500, '/validate?timeout=2s', 1600],
      [2500, '/validate', 2500],
      [2500, '/validate?timeout=1s', 800],
      [300, '/validate', 300],
      [2500, '/validate?timeout=soon', 2500],
    ];
    for (const [configured, url, ms] of [...calls, ...calls.reverse()])
      expect(requestDeadlineMs(configured, url), `${configured} ${url}`).toBe(ms);
  });

  it('answers within 80% of a shorter ?timeout= than its own deadline', async () => {
    const t = await serve(await engineFor({}), { deadlineMs: 20_000 });
    try {
      const res = await stalledPost(`${t.url}/validate?timeout=1s`);
      expect(res.code).toBe(503);
      expect(res.text).toContain('deadline of 800 ms exceeded while reading the request');
    } finally {
      await t.close();
    }
  });

  it('answers before the deadline when the body stalls', async () => {
    const t = await serve(await engineFor({}), { deadlineMs: 150 });
    try {
      const res = await stalledPost(`${t.url}/validate`);
      expect(res.code).toBe(503);
      expect(res.text).toContain('deadline of 150 ms exceeded while reading the request');
    } finally {
      await t.close();
    }
  });

  it('cuts off a client that keeps trickling its body past the deadline (slowloris)', async () => {
    const t = await serve(await engineFor({}), { deadlineMs: 200 });
    try {
      const { port } = new URL(t.url);
      const outcome = await new Promise<{ answer: string; closedAfterMs: number }>((resolvePromise) => {
        const started = Date.now();
        let answer = '';
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(
            'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
          );
        });
        const trickle = setInterval(() => socket.writable && socket.write(' '), 50);
        socket.on('data', (d: Buffer) => (answer += d.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(trickle);
          resolvePromise({ answer, closedAfterMs: Date.now() - started });
        });
        setTimeout(() => socket.destroy(), 5000);
      });
      expect(outcome.answer).toMatch(/^HTTP\/1\.1 503/);
      expect(outcome.answer.toLowerCase()).toContain('connection: close');
      // closed by the server right after its answer, not by the client giving up at 5 s
      expect(outcome.closedAfterMs).toBeLessThan(3000);
    } finally {
      await t.close();
    }
  });
});
