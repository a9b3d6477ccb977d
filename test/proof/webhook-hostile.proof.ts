// The webhook under hostile requests, over loopback against createApp() behind the production
// listener (startServer): slowloris headers and bodies, oversized and endless bodies, malformed
// JSON, wrong content types and methods, and thousands of concurrent connections. Throughout, a
// prober sends good AdmissionReviews; they must all be answered correctly and quickly.
// Then a real `shipshape serve` process over HTTPS: forged controller owners, made-up kinds at
// volume (the metrics series and the memory stay flat), and SIGTERM under keep-alive load.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings, type AdmissionReview } from '../../src/webhook/admission.js';
import { createApp } from '../../src/webhook/app.js';
import { startServer, type RunningServer } from '../../src/webhook/server.js';
import type { KubeObject } from '../../src/engine/types.js';
import { cleanPod, engineFor, pod, request, review } from '../webhook/helpers.js';
import { call, keepAliveLoad, startServe, type ServeProcess } from '../webhook/serve-process.js';

/**
 * Good requests' bar while under attack. The webhook's benchmark bar is p99 ≤ 50 ms at 1,000 req/s
 * on an idle machine (bench/webhook.bench.mjs); this test runs under attack, beside other test
 * files on 2 shared cores, so it allows 10× that, and never the admission deadline for any request.
 */
const P99_BAR_MS = 500;
const DEADLINE_MS = 2500;
/** The listener's header timeout here (10 s in production), above the idle scenario's 2.5 s hold. */
const HEADERS_TIMEOUT_MS = 4000;
const MAX_BODY = 256 * 1024;
const ATTACKER = fileURLToPath(new URL('./fixtures/attacker.mjs', import.meta.url));

let srv: RunningServer;
let port: number;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

beforeAll(async () => {
  const engine = await engineFor({ presets: ['recommended'] });
  const app = createApp({
    engine,
    settings: resolveSettings({ deadlineMs: DEADLINE_MS, maxBodyBytes: MAX_BODY }),
    logger: pino({ level: 'silent' }),
    processMetrics: false,
  });
  srv = await startServer({
    app,
    port: 0,
    host: '127.0.0.1',
    insecureHttp: true,
    logger: pino({ level: 'silent' }),
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
  });
  port = srv.port;
});
afterAll(async () => {
  agent.destroy();
  await srv.close(2000);
});

interface Reply {
  /** 0 when the socket failed (the error is in `body`). */
  status: number;
  body: string;
  ms: number;
}

/** One HTTP request; resolves with status and body (or status 0 on a socket error). */
function send(opts: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: http.Agent | false;
}): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolvePromise) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/validate',
        headers: opts.headers,
        agent: opts.agent ?? agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            ms: performance.now() - t0,
          }),
        );
        res.on('error', (e) => resolvePromise({ status: 0, body: e.message, ms: performance.now() - t0 }));
      },
    );
    req.on('error', (e) => resolvePromise({ status: 0, body: e.message, ms: performance.now() - t0 }));
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

const json = (body: unknown, path = '/validate', a: http.Agent | false = agent) =>
  send({
    path,
    agent: a,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
/** Hostile requests get a connection of their own (the server may close it). */
const hostile = (body: unknown) => json(body, '/validate', false);

/** Sends a clean and a privileged Pod every `everyMs` until stopped; checks each answer. */
function prober(everyMs = 10) {
  const latencies: number[] = [];
  const wrong: string[] = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const bad = latencies.length % 2 === 1;
      const r = await json(
        review(request(bad ? pod({ securityContext: { privileged: true } }) : cleanPod())),
      );
      latencies.push(r.ms);
      if (r.status !== 200) wrong.push(`status ${r.status}: ${r.body.slice(0, 160)}`);
      else {
        const allowed = (JSON.parse(r.body) as AdmissionReview).response?.allowed;
        if (allowed !== !bad)
          wrong.push(`allowed=${String(allowed)} for a ${bad ? 'privileged' : 'clean'} pod`);
      }
      await new Promise((r2) => setTimeout(r2, everyMs));
    }
  })();
  return {
    async done() {
      while (latencies.length < 100) await sleep(everyMs);
      stop = true;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
      return {
        count: latencies.length,
        wrong,
        p50: q(0.5),
        p99: q(0.99),
        max: sorted[sorted.length - 1] ?? NaN,
      };
    },
  };
}

function expectHealthy(s: Awaited<ReturnType<ReturnType<typeof prober>['done']>>, what: string) {
  console.log(
    `${what}: ${s.count} good requests, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`,
  );
  expect(s.wrong).toEqual([]);
  expect(s.count).toBeGreaterThanOrEqual(100);
  expect(s.p99).toBeLessThan(P99_BAR_MS);
  expect(s.max).toBeLessThan(DEADLINE_MS);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run a scenario of fixtures/attacker.mjs in its own process: `ready` once it is set up, then its result. */
function attacker(scenario: string, opts: Record<string, unknown>) {
  const child = spawn(process.execPath, [ATTACKER, String(port), scenario, JSON.stringify(opts)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const ready = new Promise<void>((resolvePromise) =>
    child.stderr.on('data', (d: Buffer) => d.toString().includes('ready') && resolvePromise()),
  );
  const result = new Promise<unknown>((resolvePromise, reject) =>
    child.on('close', (code) => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { error?: string };
        if (code !== 0 || r.error) reject(new Error(`attacker ${scenario}: exit ${code} ${out}`));
        else resolvePromise(r);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    }),
  );
  return { ready, result };
}

/** Open a raw socket, resolve once connected. */
function connect(): Promise<net.Socket> {
  return new Promise((resolvePromise, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolvePromise(s));
    s.on('error', reject);
  });
}

describe('webhook under hostile requests', () => {
  it('malformed JSON, wrong content types, methods and paths get 4xx, never a crash', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const cases: Array<[Promise<Reply>, number]> = [
      [hostile('{'), 400],
      [hostile(''), 400],
      [hostile('null'), 400],
      [hostile('[]'), 400],
      [hostile('"review"'), 400],
      [hostile('{"request": 5}'), 400],
      [hostile({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 7 } }), 400],
      [
        hostile({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          request: { uid: 'u', kind: 'Pod', object: 'x' },
        }),
        400,
      ],
      [hostile(deep), 400],
      [hostile('{"a":' + '1'.repeat(100_000) + '}'), 400],
      [
        send({
          agent: false,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
        }),
        400,
      ],
      [
        send({
          agent: false,
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify(review(request(cleanPod()))),
        }),
        400,
      ],
      [
        send({ agent: false, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' }),
        400,
      ],
      [send({ agent: false, body: JSON.stringify(review(request(cleanPod()))) }), 400],
      [send({ agent: false, method: 'GET' }), 404],
      [
        send({ agent: false, method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }),
        404,
      ],
      [
        send({
          agent: false,
          path: '/validate/../../etc/passwd',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
        404,
      ],
    ];
    for (const [p, status] of cases) {
      const r = await p;
      expect(r.status, r.body.slice(0, 200)).toBe(status);
    }
    // prototype pollution through the body does not leak into the process
    await json('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await send({ method: 'GET', path: '/healthz' })).status).toBe(200);
  });

  it('oversized bodies are refused without reading them (declared and streamed)', async () => {
    const probe = prober();
    // declared too large: refused from the header alone
    const declared = await new Promise<string>((resolvePromise) => {
      void connect().then((s) => {
        let got = '';
        s.on('data', (d: Buffer) => (got += d.toString()));
        s.on('close', () => resolvePromise(got));
        s.on('error', () => resolvePromise(got));
        s.write(
          `POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 2 ** 20}\r\n\r\n{`,
        );
        setTimeout(() => s.destroy(), 3000);
      });
    });
    expect(declared).toMatch(/^HTTP\/1\.1 400/);
    // streamed (chunked) past the limit: refused once it crosses, the socket closed
    const streamed = await new Promise<{ status: number; sent: number }>((resolvePromise) => {
      let sent = 0;
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/validate',
          headers: { 'content-type': 'application/json' },
          agent: false,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, sent }));
        },
      );
      req.on('error', () => resolvePromise({ status: 0, sent }));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 64 * 2 ** 20 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(streamed.status).toBe(400);
    expect(streamed.sent).toBeLessThan(64 * 2 ** 20);
    // many oversized bodies at once
    const big = JSON.stringify({ x: 'y'.repeat(MAX_BODY) });
    const replies = await Promise.all(Array.from({ length: 40 }, () => hostile(big)));
    // 400, or a reset when the server closes the socket before the client finished writing
    expect(replies.filter((r) => r.status !== 400 && r.status !== 0)).toEqual([]);
    expect(replies.some((r) => r.status === 400)).toBe(true);
    expectHealthy(await probe.done(), 'oversized bodies');
  });

  it('slowloris: trickled headers and bodies are cut off by a timeout and never starve good requests', async () => {
    const attack = attacker('slowloris', {
      headers: 300,
      bodies: 100,
      durationMs: HEADERS_TIMEOUT_MS + 3000,
      everyMs: 200,
    });
    await attack.ready;
    const probe = prober();
    type Sock = { status: string; ms: number | null; closedMs: number | null };
    const { headers, bodies } = (await attack.result) as { headers: Sock[]; bodies: Sock[] };
    expectHealthy(await probe.done(), 'slowloris (300 trickled headers, 100 trickled bodies)');
    // every trickled body: answered 503 "deadline exceeded while reading" near the deadline, and
    // the connection closed by the server right after, though the client was still sending
    expect(bodies.filter((b) => b.status !== '503')).toEqual([]);
    expect(Math.max(...bodies.map((b) => b.ms!))).toBeLessThan(DEADLINE_MS + 1500);
    expect(bodies.filter((b) => b.closedMs === null || b.closedMs > DEADLINE_MS + 2000)).toEqual([]);
    // every trickled header block: closed by the server (408) after the header timeout
    expect(headers.filter((h) => h.closedMs === null)).toEqual([]);
    expect(headers.filter((h) => h.status !== '408')).toEqual([]);
    expect(Math.min(...headers.map((h) => h.closedMs!))).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(Math.max(...headers.map((h) => h.closedMs!))).toBeLessThan(HEADERS_TIMEOUT_MS + 2500);
  });

  it('thousands of concurrent connections: idle ones do not block good requests', async () => {
    const attack = attacker('idle', { connections: 3000, holdMs: 2500 });
    await attack.ready;
    const probe = prober();
    await attack.result;
    expectHealthy(await probe.done(), 'beside 3000 idle connections');
    expect((await send({ method: 'GET', path: '/readyz' })).status).toBe(200);
  });

  it('a burst of 500 concurrent reviews beside 2,000 idle connections is answered in full', async () => {
    const bodies = [
      JSON.stringify(review(request(pod({ securityContext: { privileged: true } })))),
      JSON.stringify(review(request(cleanPod()))),
    ];
    const attack = attacker('burst', { requests: 500, idle: 2000, bodies });
    const r = (await attack.result) as {
      wallMs: number;
      statuses: number[];
      allowed: Array<boolean | null>;
      p50: number;
      p99: number;
      max: number;
    };

    console.log(
      `burst: 500 concurrent reviews in ${r.wallMs.toFixed(0)} ms; per request p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`,
    );
    expect(r.statuses.filter((x) => x !== 200)).toEqual([]);
    expect(r.allowed.every((a, i) => a === (i % 2 === 1))).toBe(true);
    // Requests queued before the handler runs are not covered by the app's deadline (see the report);
    // all must still be answered well before the API server's own 10 s webhook timeout.
    expect(r.max).toBeLessThan(10_000);
    expect((await send({ method: 'GET', path: '/healthz' })).status).toBe(200);
  });
});

describe('a real `shipshape serve` over HTTPS under hostile traffic', () => {
  let p: ServeProcess;
  // Bounded in count, not in time: the limits below only keep a loaded CI runner from failing it.
  beforeAll(async () => {
    p = await startServe(['--shutdown-timeout', '10000'], 'presets: [recommended]\n');
  }, 60_000);
  afterAll(() => p.dispose());

  const post = async (r: AdmissionReview) => {
    const reply = await call(p, { body: JSON.stringify(r), agent: false });
    expect(reply.status, reply.body.slice(0, 200)).toBe(200);
    return (JSON.parse(reply.body) as AdmissionReview).response!;
  };
  const metrics = async () => (await call(p, { method: 'GET', path: '/metrics', agent: false })).body;
  const admissionSeries = (text: string) =>
    text.split('\n').filter((l) => l.startsWith('shipshape_admission_')).length;
  const rss = (text: string) => Number(/^shipshape_process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);

  it('forged controller owners are evaluated and denied; only the controllers’ own accounts skip', async () => {
    const privileged = () => pod({ securityContext: { privileged: true } });
    const template = { metadata: { labels: { app: 'x' } }, spec: privileged().spec as object };
    const objects: Array<[KubeObject, string, string]> = [
      [privileged(), 'apps/v1/ReplicaSet', 'replicaset-controller'],
      [privileged(), 'apps/v1/DaemonSet', 'daemon-set-controller'],
      [privileged(), 'batch/v1/Job', 'job-controller'],
      [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {}, spec: { selector: {}, template } },
        'apps/v1/Deployment',
        'deployment-controller',
      ],
      [
        { apiVersion: 'batch/v1', kind: 'Job', metadata: {}, spec: { template } },
        'batch/v1/CronJob',
        'cronjob-controller',
      ],
    ];
    const forgers = [
      undefined,
      { username: 'alice' },
      { username: 'system:serviceaccount:team-a:replicaset-controller' },
      { username: 'system:serviceaccount:kube-system:default' },
    ];
    let denied = 0;
    for (let round = 0; round < 20; round++)
      for (const [object, owner, controller] of objects) {
        const slash = owner.lastIndexOf('/');
        const forged = {
          ...object,
          metadata: {
            name: `forged-${round}`,
            ownerReferences: [
              {
                apiVersion: owner.slice(0, slash),
                kind: owner.slice(slash + 1),
                name: 'web',
                uid: `u-${round}`,
                controller: true,
              },
            ],
          },
        };
        for (const userInfo of forgers) {
          const r = await post(review(request(forged, { userInfo })));
          expect(r.allowed, `${String(object.kind)} owned by ${owner} as ${userInfo?.username}`).toBe(false);
          expect(r.status?.message).toContain('[no-privileged-container]');
          denied++;
        }
        const genuine = await post(
          review(
            request(forged, { userInfo: { username: `system:serviceaccount:kube-system:${controller}` } }),
          ),
        );
        expect(genuine.allowed).toBe(true);
      }
    expect(denied).toBe(400);
  }, 180_000);

  it('made-up kinds at volume: the series count stays flat and memory bounded', async () => {
    const randomKind = () => {
      const w = Math.random().toString(36).slice(2);
      const r = review(
        request(
          { apiVersion: `${w}.example/v1`, kind: `K${w}`, metadata: { name: w }, spec: { x: w } },
          { kind: { group: `${w}.example`, version: 'v1', kind: `K${w}` } },
        ),
      );
      return { uid: r.request!.uid, text: JSON.stringify(r) };
    };
    const volley = async (perConnection: number) => {
      const r = await keepAliveLoad(p, { connections: 8, perConnection, body: randomKind }).done();
      expect(r.dropped).toEqual([]);
      expect(r.answered).toBe(8 * perConnection);
    };
    await volley(250); // 2,000 to warm up (JIT, caches of the kinds that exist)
    const before = await metrics();
    await volley(2000); // 16,000 made-up kinds
    const after = await metrics();
    console.log(
      `16,000 made-up kinds: admission series ${admissionSeries(before)} -> ${admissionSeries(after)}, ` +
        `RSS ${(rss(before) / 2 ** 20).toFixed(0)} -> ${(rss(after) / 2 ** 20).toFixed(0)} MiB`,
    );
    // exact: not one series more (it was one per kind: +16,000 lines of /metrics)
    expect(admissionSeries(after)).toBe(admissionSeries(before));
    expect(after).toMatch(/kind="other"/);
    expect(after).not.toContain('.example');
    // Generous, for gross leaks: RSS moves with the garbage collector's pace (measured here: about
    // +20 MiB over this volley after the fixes, +25-45 MiB before them, whose heap kept ~30 MiB
    // more live); the Deployment's limit is 256 MiB. The exact memory check of the engine's caches
    // is test/webhook/admission.test.ts (heap after gc).
    expect(rss(after) - rss(before)).toBeLessThan(64 * 2 ** 20);
    expect(rss(after)).toBeLessThan(200 * 2 ** 20);
  }, 180_000);

  it('SIGTERM under keep-alive load: every request sent is answered, then it exits 0', async () => {
    const load = keepAliveLoad(p, {
      connections: 8,
      perConnection: 3000,
      body: () => {
        const r = review(request(cleanPod()));
        return { uid: r.request!.uid, text: JSON.stringify(r) };
      },
    });
    while (load.answered() < 300) await sleep(5);
    load.mark();
    p.child.kill('SIGTERM');
    const r = await load.done();
    console.log(`SIGTERM under load: ${JSON.stringify({ ...r, dropped: r.dropped.length })}`);
    expect(r.dropped).toEqual([]);
    expect(r.reusedBeforeMark).toBeGreaterThan(250);
    expect(r.closedAfterMark).toBeGreaterThan(0);
    expect(await p.exited).toBe(0);
  }, 180_000);
});
