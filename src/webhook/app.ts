/** The webhook's HTTP application (express, no listen): admission endpoints, probes, metrics, logs. */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import {
  BadReviewError,
  errorResponse,
  mutate,
  parseReview,
  reviewResponse,
  validate,
  type AdmissionEngine,
  type AdmissionRequest,
  type Decision,
  type WebhookSettings,
} from './admission.js';

/** Shared flags the server flips (SIGTERM sets `draining`, so /readyz fails while requests finish). */
export interface Lifecycle {
  draining: boolean;
}

/** What createApp needs; everything else has a default. */
export interface AppDeps {
  /**
   * The loaded rules, schemas and policies, or a promise of them. Until it resolves /readyz and
   * the admission endpoints answer 503 (the API server then applies the failurePolicy).
   */
  engine: AdmissionEngine | Promise<AdmissionEngine>;
  settings: WebhookSettings;
  /** JSON logger (default: pino to stdout at info). */
  logger?: Logger;
  /** Prometheus registry to register the metrics in (default: a new one). */
  registry?: Registry;
  lifecycle?: Lifecycle;
  /** Also export Node's process metrics (default true). */
  processMetrics?: boolean;
}

/** The admission metrics, labelled for dashboards. */
export interface WebhookMetrics {
  requests: Counter<'endpoint' | 'operation' | 'kind' | 'decision'>;
  duration: Histogram<'endpoint'>;
  findings: Counter<'rule' | 'severity' | 'action'>;
  errors: Counter<'endpoint' | 'reason'>;
}

function createMetrics(registry: Registry, processMetrics: boolean): WebhookMetrics {
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'shipshape_' });
  return {
    requests: new Counter({
      name: 'shipshape_admission_requests_total',
      help: 'Admission requests by endpoint, operation, kind and decision.',
      labelNames: ['endpoint', 'operation', 'kind', 'decision'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'shipshape_admission_request_duration_seconds',
      help: 'Time from request arrival to response, by endpoint.',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    findings: new Counter({
      name: 'shipshape_admission_findings_total',
      help: 'Findings on admitted objects by rule, severity and the action taken (dry runs excluded).',
      labelNames: ['rule', 'severity', 'action'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'shipshape_admission_errors_total',
      help: 'Requests that failed: bad_request, not_ready, deadline or engine.',
      labelNames: ['endpoint', 'reason'],
      registers: [registry],
    }),
  };
}

/** The label value for anything outside a label's known set. */
export const OTHER = 'other';
const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warn', 'info']);
const ACTIONS: ReadonlySet<string> = new Set(['deny', 'warn', 'audit']);
/** Defence in depth: at most this many distinct `kind` values, even if the known set grew. */
export const MAX_KIND_LABELS = 256;

/**
 * Label values from bounded sets only. Every series Prometheus's client creates lives until the
 * process exits, and everything in a request is chosen by whoever reaches the port, so a label
 * copied from a request is a memory leak an attacker drives (issue 14: 121 → 359 MB after
 * 80,000 requests of distinct kinds). Operations and decisions are closed enums (parseReview
 * checks the operation), endpoints and error reasons are ours; a kind keeps its name when the
 * engine has a schema for its group/version/kind (the built-in kinds of the configured Kubernetes
 * version, ~150 names, and the configuration's CRDs), rule ids when they belong to the compiled
 * rule set; anything else is `other`.
 */
class Labels {
  private readonly kinds = new Set<string>();
  private readonly rules: ReadonlySet<string>;
  constructor(private readonly engine: AdmissionEngine) {
    this.rules = new Set(engine.rules.map((r) => r.def.id));
  }
  kind(k: AdmissionRequest['kind']): string {
    const name = k.kind;
    if (this.kinds.has(name)) return name;
    const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
    if (this.kinds.size >= MAX_KIND_LABELS || !this.engine.schemas?.has(apiVersion, name)) return OTHER;
    this.kinds.add(name);
    return name;
  }
  rule(id: string): string {
    return this.rules.has(id) ? id : OTHER;
  }
  severity(s: string): string {
    return SEVERITIES.has(s) ? s : OTHER;
  }
  action(a: string): string {
    return ACTIONS.has(a) ? a : OTHER;
  }
}

/** An HTTP error answered as plain JSON `{ error }` with its status code. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Read the body (bounded) and parse it as JSON. Rejects with HttpError 400 on every bad shape. */
function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]*\+)?json\b/i.test(type))
    return Promise.reject(
      new HttpError(400, `expected Content-Type application/json, got ${JSON.stringify(type || '(none)')}`),
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', function onBodyEnd() {
      if (failed) return;
      // A review usually arrives in one chunk: decode it as it is, without concatenating a copy.
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8');
      if (text.trim() === '') return reject(new HttpError(400, 'empty body: expected an AdmissionReview'));
      try {
        resolvePromise(JSON.parse(text));
      } catch (err) {
        // V8's message quotes the start of the text (a credential, maybe): give the position only.
        const at = /position (\d+)/.exec((err as Error).message)?.[1] ?? '0';
        reject(new HttpError(400, `body is not valid JSON (at character ${at})`));
      }
    });
    req.on('error', (err) => reject(new HttpError(400, `could not read the body: ${err.message}`)));
  });
}

const tooLarge = (limit: number) =>
  new HttpError(400, `request body exceeds the limit of ${limit} bytes (webhook.maxBodyBytes)`);

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The path of a request URL without its query (the API server appends `?timeout=10s`). */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Go duration units, in milliseconds (`time.Duration.String()` output: `10s`, `1m0s`, `500ms`). */
const GO_UNITS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/**
 * The API server's own timeout for this call, from the `timeout` query parameter it appends to
 * the webhook URL (`/validate?timeout=10s`, the configuration's timeoutSeconds), in milliseconds;
 * undefined when absent or not a Go duration.
 */
export function callerTimeoutMs(url: string | undefined): number | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (q < 0) return undefined;
  const value = new URLSearchParams(url!.slice(q + 1)).get('timeout');
  if (!value || !/^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/.test(value)) return undefined;
  let ms = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g))
    ms += Number(m[1]) * GO_UNITS[m[2]!]!;
  return ms > 0 ? ms : undefined;
}

/**
 * The deadline of one request: the configured `deadlineMs`, shortened to 80% of the API server's
 * timeout when that is tighter, so the answer (even an onError one) arrives before the API server
 * gives up on the call and applies the failurePolicy instead.
 */
export function requestDeadlineMs(configured: number, url: string | undefined): number {
  // The API server sends the same query on every call of a webhook: parse it once, not per request.
  const q = url?.indexOf('?') ?? -1;
  const query = q < 0 ? '' : url!.slice(q);
  if (lastDeadline.configured === configured && lastDeadline.query === query) return lastDeadline.ms;
  const caller = callerTimeoutMs(query);
  const ms = caller === undefined ? configured : Math.max(1, Math.min(configured, Math.floor(caller * 0.8)));
  lastDeadline = { configured, query, ms };
  return ms;
}
/** The last query's deadline (one entry: whatever a client sends, it holds one string). */
let lastDeadline = { configured: NaN, query: '', ms: 0 };

/**
 * Build the webhook application. Endpoints: POST /validate and /mutate (AdmissionReview v1),
 * GET /healthz (live), /readyz (engine loaded and not draining), /metrics (Prometheus).
 *
 * Everything is routed by express, except that `POST /validate` and `POST /mutate` (the exact
 * paths the webhook configurations call) go to their handlers before express's router: express 5
 * costs about 150 µs of CPU per request here, a quarter of an admission request's whole budget
 * (ADR 0009, docs/benchmarks.md). The handlers only use Node's own request and response, so both
 * ways in behave the same.
 */
export function createApp(deps: AppDeps): RequestListener {
  const settings = deps.settings;
  const logger = deps.logger ?? pino({ base: { service: 'shipshape-webhook' } });
  const registry = deps.registry ?? new Registry();
  const metrics = createMetrics(registry, deps.processMetrics ?? true);
  const lifecycle = deps.lifecycle ?? { draining: false };

  let engine: AdmissionEngine | undefined;
  let labels: Labels | undefined;
  let loadError: Error | undefined;
  if (deps.engine instanceof Promise) {
    deps.engine.then(
      (e) => {
        engine = e;
        labels = new Labels(e);
        logger.info({ rules: e.rules.length }, 'rules, schemas and policies loaded: ready');
      },
      (err: unknown) => {
        loadError = err instanceof Error ? err : new Error(String(err));
        logger.error({ err: loadError.message }, 'loading rules failed: not ready');
      },
    );
  } else {
    engine = deps.engine;
    labels = new Labels(engine);
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  app.get('/readyz', (_req, res) => {
    if (lifecycle.draining) return sendJson(res, 503, { status: 'draining' });
    if (loadError) return sendJson(res, 503, { status: 'failed', error: loadError.message });
    if (!engine) return sendJson(res, 503, { status: 'loading' });
    sendJson(res, 200, { status: 'ready', rules: engine.rules.length });
  });
  app.get('/metrics', (_req, res) => {
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (err: Error) => sendJson(res, 500, { error: err.message }),
    );
  });

  const handle = (endpoint: 'validate' | 'mutate') => (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    let request: AdmissionRequest | undefined;
    let finished = false;
    const finish = (status: number, body: unknown) => {
      if (finished) return false;
      finished = true;
      clearTimeout(timer);
      // Answered before the body was read in full (too large, too slow): say so, stop reading once
      // the answer is out, and close the connection, so a client trickling its body (slowloris)
      // holds nothing past this answer.
      if (!req.complete && !res.headersSent) {
        res.setHeader('connection', 'close');
        res.once('finish', () => req.destroy());
      }
      sendJson(res, status, body);
      metrics.duration.observe({ endpoint }, elapsed());
      return true;
    };
    const fail = (reason: string, status: number, message: string) => {
      metrics.errors.inc({ endpoint, reason });
      metrics.requests.inc({
        endpoint,
        operation: request?.operation ?? '',
        kind: request && labels ? labels.kind(request.kind) : '',
        decision: 'error',
      });
      logger.warn({ endpoint, uid: request?.uid, status, reason, error: message }, 'request failed');
      finish(status, { error: message });
    };

    // The deadline covers reading the body and waiting in the queue; evaluation itself takes
    // microseconds to milliseconds. Past it, answer now rather than let the API server time out.
    const deadlineMs = requestDeadlineMs(settings.deadlineMs, req.url);
    const timer = setTimeout(() => {
      if (finished) return;
      if (request) {
        const onError = endpoint === 'validate' ? settings.onError : settings.mutation.onError;
        metrics.errors.inc({ endpoint, reason: 'deadline' });
        logger.warn({ endpoint, uid: request.uid, deadlineMs }, 'deadline exceeded');
        finish(
          200,
          reviewResponse(
            errorResponse(request.uid, onError, new Error(`deadline of ${deadlineMs} ms exceeded`)),
          ),
        );
      } else fail('deadline', 503, `deadline of ${deadlineMs} ms exceeded while reading the request`);
    }, deadlineMs);
    timer.unref();

    if (!engine) {
      fail(
        'not_ready',
        503,
        loadError ? `not ready: ${loadError.message}` : 'not ready: rules are still loading',
      );
      req.resume();
      return;
    }
    const eng = engine;
    const lbl = labels!;
    readJson(req, settings.maxBodyBytes).then(
      (body) => {
        if (finished) return;
        try {
          request = parseReview(body);
        } catch (err) {
          if (err instanceof BadReviewError) return fail('bad_request', 400, err.message);
          throw err;
        }
        const decision: Decision =
          endpoint === 'validate' ? validate(request, eng, settings) : mutate(request, eng, settings);
        if (!finish(200, reviewResponse(decision.response))) return;
        record(endpoint, request, decision, elapsed(), lbl);
      },
      (err: unknown) => {
        if (err instanceof HttpError) fail('bad_request', err.status, err.message);
        else fail('engine', 500, err instanceof Error ? err.message : String(err));
      },
    );
  };

  function record(endpoint: string, r: AdmissionRequest, d: Decision, seconds: number, l: Labels): void {
    const kind = r.kind.kind;
    metrics.requests.inc({ endpoint, operation: r.operation, kind: l.kind(r.kind), decision: d.decision });
    if (d.error) metrics.errors.inc({ endpoint, reason: 'engine' });
    // A dry run changes nothing, so it does not count toward the findings dashboards either.
    if (!r.dryRun)
      for (const f of d.findings)
        metrics.findings.inc({
          rule: l.rule(f.ruleId),
          severity: l.severity(f.severity),
          action: l.action(f.action),
        });
    const meta = r.object?.metadata as { name?: unknown; generateName?: unknown } | undefined;
    // Never the object itself: a Secret's data must not reach the logs. Rule ids and paths only.
    logger.info(
      {
        endpoint,
        uid: r.uid,
        operation: r.operation,
        kind,
        group: r.kind.group || undefined,
        namespace: r.namespace || undefined,
        name:
          r.name ||
          (typeof meta?.name === 'string'
            ? meta.name
            : typeof meta?.generateName === 'string'
              ? meta.generateName
              : undefined),
        subResource: r.subResource || undefined,
        dryRun: r.dryRun === true || undefined,
        decision: d.decision,
        skipped: d.skipped,
        findings:
          d.findings.length > 0 ? d.findings.map((f) => `${f.action}:${f.ruleId}@${f.path}`) : undefined,
        patchOps: d.patch?.length,
        mutations: d.mutations,
        error: d.error?.message,
        durationMs: Math.round(seconds * 1e6) / 1e3,
      },
      'admission',
    );
  }

  const onValidate = handle('validate');
  const onMutate = handle('mutate');
  app.post('/validate', onValidate);
  app.post('/mutate', onMutate);
  app.use((req, res) => sendJson(res, 404, { error: `no route for ${req.method} ${req.path}` }));
  // The request listener to hand to http(s).createServer.
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      const path = pathOf(req.url);
      if (path === '/validate') return onValidate(req, res);
      if (path === '/mutate') return onMutate(req, res);
    }
    app(req, res);
  };
}
