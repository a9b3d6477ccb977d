/** The webhook's listener: HTTPS with certificate hot reload, or plain HTTP on request; graceful stop. */
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
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
  /** Stop accepting, wait for in-flight requests (at most `timeoutMs`), close. */
  close(timeoutMs?: number): Promise<void>;
}

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
  let reload: () => boolean = () => false;
  const stopWatching: (() => void)[] = [];

  if (o.tls) {
    const files = o.tls;
    const initial = readTls(files);
    // The API server speaks TLS 1.2 or 1.3; nothing older is offered.
    server = https.createServer({ ...initial, minVersion: 'TLSv1.2' }, o.app);
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
    server = http.createServer(o.app);
  }

  // Keep-alive a little longer than the API server's idle timeout (90 s), so it closes first.
  server.keepAliveTimeout = 95_000;
  server.headersTimeout = 30_000;
  server.requestTimeout = 30_000;

  let active = 0;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    active++;
    res.on('close', () => active--);
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

  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    inFlight: () => active,
    reloadCertificate: () => reload(),
    close(timeoutMs = 25_000) {
      closing ??= new Promise<void>((resolvePromise) => {
        stopWatching.forEach((f) => f());
        // Stop accepting; idle keep-alive connections close now, busy ones after their response
        // (Node answers in-flight requests with `Connection: close` once closing).
        server.close(() => resolvePromise());
        server.closeIdleConnections();
        const poll = setInterval(() => {
          if (active === 0) server.closeIdleConnections();
        }, 50);
        poll.unref();
        const force = setTimeout(() => {
          o.logger.warn({ inFlight: active }, 'shutdown timeout: closing remaining connections');
          server.closeAllConnections();
        }, timeoutMs);
        force.unref();
        server.once('close', () => {
          clearInterval(poll);
          clearTimeout(force);
        });
      });
      return closing;
    },
  };
}
