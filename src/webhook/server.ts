/** The webhook's listener: HTTPS with certificate hot reload, or plain HTTP on request; graceful stop. */
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';

/** Where the serving certificate comes from. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** How often to look for a rotated certificate, in ms (default 5000). */
  reloadIntervalMs?: number;
}

export interface ServerOptions {
  /** The request handler (the express app). */
  app: RequestListener;
  port: number;
  host?: string;
  /** HTTPS with these files; without them the server refuses to start unless `insecureHttp`. */
  tls?: TlsFiles;
  /** Plain HTTP, for local development only. */
  insecureHttp?: boolean;
  logger: Logger;
  /**
   * While closing, an idle keep-alive connection is closed only once it has been idle this long
   * (default 1000 ms), so a request its client is writing right now is not reset (see close()).
   */
  idleGraceMs?: number;
  /**
   * Longest time from a connection's start (TLS handshake included) to a request's complete
   * headers, and between requests' starts (default 10 s): a client trickling headers or sending
   * nothing (slowloris) is cut off after it. Node checks about every second.
   */
  headersTimeoutMs?: number;
}

/** A started server. */
export interface RunningServer {
  server: http.Server | https.Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Read the certificate files again now (also done automatically when they change). */
  reloadCertificate(): boolean;
  /**
   * Start draining: from now on every response says `Connection: close` and its connection is
   * closed once it is sent, so keep-alive clients open their next connection elsewhere.
   */
  drain(): void;
  /**
   * Drain, stop accepting, answer what arrives on the open connections, close each idle one once
   * it has been idle for `idleGraceMs`, and resolve when none is left (at most `timeoutMs`, then
   * the rest are closed).
   */
  close(timeoutMs?: number): Promise<void>;
}

/** Bookkeeping of one connection: requests being answered, and since when it has been idle. */
interface ConnectionState {
  busy: number;
  idleSince: number;
}

const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

function readTls(files: TlsFiles): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}

/** Start listening. Resolves once the port is bound. */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  if (!o.tls && !o.insecureHttp)
    throw new Error(
      'HTTPS needs --cert-file and --key-file (use --insecure-http for local development only)',
    );
  let server: http.Server | https.Server;
  const headersTimeout = o.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  // How often Node enforces headersTimeout/requestTimeout (its default, 30 s, is too coarse).
  const connectionsCheckingInterval = Math.min(1000, headersTimeout);
  let reload: () => boolean = () => false;
  const stopWatching: (() => void)[] = [];

  if (o.tls) {
    const files = o.tls;
    const initial = readTls(files);
    // The API server speaks TLS 1.2 or 1.3; nothing older is offered.
    server = https.createServer({
      ...initial,
      minVersion: 'TLSv1.2',
      handshakeTimeout: headersTimeout,
      connectionsCheckingInterval,
    });
    let current = `${initial.cert.toString('base64')}|${initial.key.toString('base64')}`;
    reload = () => {
      try {
        const next = readTls(files);
        const id = `${next.cert.toString('base64')}|${next.key.toString('base64')}`;
        if (id === current) return false;
        // Fails (and the old certificate stays) while the cert and key do not match, as in the
        // moment between cert-manager writing one file and the other; the next poll retries.
        createSecureContext({ ...next, minVersion: 'TLSv1.2' });
        (server as https.Server).setSecureContext({ ...next, minVersion: 'TLSv1.2' });
        current = id;
        o.logger.info({ certFile: files.certFile }, 'serving certificate reloaded');
        return true;
      } catch (err) {
        o.logger.warn(
          { err: (err as Error).message },
          'certificate files changed but cannot be used yet; keeping the old one',
        );
        return false;
      }
    };
    // Polling stat follows symlinks, so the kubelet's atomic `..data` swap of mounted Secrets is seen.
    const interval = files.reloadIntervalMs ?? 5000;
    for (const f of [files.certFile, files.keyFile]) {
      const onChange = (cur: Stats, prev: Stats) => {
        if (cur.mtimeMs !== prev.mtimeMs || cur.ino !== prev.ino || cur.size !== prev.size) reload();
      };
      watchFile(f, { interval, persistent: false }, onChange);
      stopWatching.push(() => unwatchFile(f, onChange));
    }
  } else {
    o.logger.warn('serving plain HTTP (--insecure-http): for local development only');
    server = http.createServer({ connectionsCheckingInterval });
  }

  // Keep-alive a little longer than the API server's idle timeout (90 s), so it closes first.
  server.keepAliveTimeout = 95_000;
  // The API server writes a request at once; a client that takes seconds for its headers is
  // holding a connection, not sending a review. The body is bounded by the app's deadline (it
  // answers and closes the connection), the whole request by requestTimeout.
  server.headersTimeout = headersTimeout;
  server.requestTimeout = Math.max(30_000, headersTimeout);

  // Every connection (HTTP ones once their TLS handshake is done) with its state, and every raw
  // socket (those still in the handshake too), to close what is left when the drain times out.
  const connections = new Map<net.Socket, ConnectionState>();
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on(o.tls ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    connections.set(socket, { busy: 0, idleSince: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });

  let draining = false;
  let active = 0;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    active++;
    const state = connections.get(req.socket);
    if (state) state.busy++;
    res.once('close', () => {
      active--;
      if (state) {
        state.busy--;
        state.idleSince = performance.now();
      }
    });
    // Set before the app writes its head: Node then closes the connection after this response.
    if (draining) res.setHeader('connection', 'close');
    o.app(req, res);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  o.logger.info({ port, host: o.host, tls: Boolean(o.tls) }, 'listening');

  const idleGraceMs = o.idleGraceMs ?? 1000;
  const drain = () => {
    draining = true;
  };
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    inFlight: () => active,
    reloadCertificate: () => reload(),
    drain,
    close(timeoutMs = 25_000) {
      closing ??= new Promise<void>((resolvePromise) => {
        stopWatching.forEach((f) => f());
        drain();
        // Stop accepting, but leave the open connections alone. http.Server#close would also close
        // every idle keep-alive connection at once, and a client may be writing its next request on
        // one of them right now: the request would be reset unanswered (issue 14). So the listener
        // is closed with net.Server's own close (the callback runs once no connection is left) and
        // the connections are handled below. Requests that arrive are answered with
        // `Connection: close`, which closes their connection after the answer.
        net.Server.prototype.close.call(server, () => resolvePromise());
        // An idle connection is closed only when no connection has turned idle in the last
        // `idleGraceMs`: by then a client that was about to reuse one has sent its request (and
        // is answered, with `Connection: close`). Node's closeIdleConnections leaves alone every
        // connection whose request has begun to arrive.
        const sweep = setInterval(() => {
          const now = performance.now();
          for (const c of connections.values()) if (c.busy === 0 && now - c.idleSince < idleGraceMs) return;
          server.closeIdleConnections();
        }, 50);
        sweep.unref();
        const force = setTimeout(() => {
          o.logger.warn({ inFlight: active }, 'shutdown timeout: closing remaining connections');
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        }, timeoutMs);
        force.unref();
        server.once('close', () => {
          clearInterval(sweep);
          clearTimeout(force);
        });
      });
      return closing;
    },
  };
}
