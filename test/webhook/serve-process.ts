// A real `bin/shipshape.js serve` process over HTTPS with generated certificates, and a bounded
// keep-alive load against it: the shutdown tests and the hostile-traffic proof share them.
// Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCerts } from '../../src/webhook/certs.js';

const BIN = fileURLToPath(new URL('../../bin/shipshape.js', import.meta.url));
/** The name the serving certificate is for (the client checks it). */
export const SERVER_NAME = 'shipshape.shipshape-system.svc';

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** The CA the client trusts. */
  ca: string;
  /** Everything the process wrote so far. */
  logs(): string;
  exited: Promise<number | null>;
  /** SIGKILL if still running, remove the temporary files. */
  dispose(): void;
}

/** Start `shipshape serve` on 127.0.0.1 with a fresh CA and serving certificate; resolves once ready. */
export async function startServe(args: string[] = [], config?: string): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-serve-'));
  const certs = await generateCerts({
    service: 'shipshape',
    namespace: 'shipshape-system',
    ipAddresses: ['127.0.0.1'],
  });
  writeFileSync(join(dir, 'tls.crt'), certs.cert);
  writeFileSync(join(dir, 'tls.key'), certs.key);
  const configArgs = config
    ? (writeFileSync(join(dir, 'config.yaml'), config), ['--config', join(dir, 'config.yaml')])
    : ['--no-config'];
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      ...configArgs,
      '--cert-file',
      join(dir, 'tls.crt'),
      '--key-file',
      join(dir, 'tls.key'),
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const dispose = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const port = await new Promise<number>((resolvePromise, reject) => {
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m && /"msg":"listening"/.test(out)) resolvePromise(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`shipshape serve exited ${code}: ${out}`)));
  }).catch((err: unknown) => {
    dispose();
    throw err;
  });
  const p: ServeProcess = { child, port, ca: certs.caCert, logs: () => out, exited, dispose };
  for (let i = 0; i < 400; i++) {
    const r = await call(p, { method: 'GET', path: '/readyz', agent: false });
    if (r.status === 200) return p;
    await new Promise((r2) => setTimeout(r2, 50));
  }
  dispose();
  throw new Error(`shipshape serve never became ready: ${out}`);
}

export interface Reply {
  /** 0 when there was no answer (`error` says why). */
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  error?: string;
  /** The request went out on a connection that had already carried one (keep-alive). */
  reused: boolean;
  /**
   * The connection was up (TLS handshake done) when it failed, so the request may have been sent.
   * A new connection refused, or reset before its handshake (it sat in the listen backlog when
   * the listener closed), carried no byte of the request.
   */
  connected: boolean;
}

/** One HTTPS request to the process (never rejects: a failure is `status: 0` with its error code). */
export function call(
  p: Pick<ServeProcess, 'port' | 'ca'>,
  o: { method?: string; path?: string; body?: string; agent: https.Agent | false },
): Promise<Reply> {
  return new Promise((resolvePromise) => {
    let reused = false;
    let connected = false;
    const req = https.request(
      {
        host: '127.0.0.1',
        port: p.port,
        method: o.method ?? 'POST',
        path: o.path ?? '/validate',
        ca: p.ca,
        servername: SERVER_NAME,
        agent: o.agent,
        headers:
          o.body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(o.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
            reused,
            connected: true,
          }),
        );
        res.on('error', (e: NodeJS.ErrnoException) =>
          resolvePromise({
            status: 0,
            body: '',
            headers: {},
            error: e.code ?? e.message,
            reused,
            connected: true,
          }),
        );
      },
    );
    req.on('socket', (socket) => {
      reused = req.reusedSocket;
      if (reused) connected = true;
      else socket.once('secureConnect', () => (connected = true));
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolvePromise({ status: 0, body: '', headers: {}, error: e.code ?? e.message, reused, connected }),
    );
    req.end(o.body);
  });
}

export interface LoadResult {
  /** Answered with 200 and the right uid. */
  answered: number;
  /** Answered after `mark()` was called. */
  answeredAfterMark: number;
  /** Of those, how many carried `Connection: close`. */
  closedAfterMark: number;
  /** Went out on a kept-alive connection (before the mark). */
  reusedBeforeMark: number;
  /**
   * A new connection was refused or reset before its TLS handshake: the request was never sent
   * (a client retries it on another replica).
   */
  refused: number;
  /** Sent and never answered (reset, hang up) or answered wrongly: must be 0. */
  dropped: { error: string; reused: boolean }[];
}

/**
 * `connections` clients, each on its own keep-alive connection, sending `body()` to /validate
 * back to back until `perConnection` requests or until a new connection fails. `mark()`
 * notes the moment (SIGTERM) after which answers are counted separately.
 */
export function keepAliveLoad(
  p: Pick<ServeProcess, 'port' | 'ca'>,
  o: { connections: number; perConnection: number; body: () => { uid: string; text: string } },
) {
  let marked = false;
  const result: LoadResult = {
    answered: 0,
    answeredAfterMark: 0,
    closedAfterMark: 0,
    reusedBeforeMark: 0,
    refused: 0,
    dropped: [],
  };
  const agents: https.Agent[] = [];
  const loops = Array.from({ length: o.connections }, async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    for (let i = 0; i < o.perConnection; i++) {
      const { uid, text } = o.body();
      const r = await call(p, { body: text, agent });
      if (r.status === 0 && !r.connected) {
        result.refused++;
        break;
      }
      if (!marked && r.reused) result.reusedBeforeMark++;
      const answeredUid =
        r.status === 200 ? (JSON.parse(r.body) as { response?: { uid?: string } }).response?.uid : undefined;
      if (answeredUid !== uid) {
        result.dropped.push({ error: r.error ?? `status ${r.status}`, reused: r.reused });
        continue;
      }
      result.answered++;
      if (marked) {
        result.answeredAfterMark++;
        if (r.headers.connection === 'close') result.closedAfterMark++;
      }
    }
  });
  return {
    mark: () => (marked = true),
    answered: () => result.answered,
    done: async (): Promise<LoadResult> => {
      await Promise.all(loops);
      agents.forEach((a) => a.destroy());
      return result;
    },
  };
}
