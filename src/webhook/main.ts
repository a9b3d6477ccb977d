/**
 * Entry of the webhook bundle (dist/bundle/webhook.mjs): `serve` runs the server until SIGTERM,
 * `generateCerts` makes development certificates. The CLI loads this only for `serve`/`certs`.
 */
import { pino } from 'pino';
import type { Config } from '../config/config.js';
import { DEFAULT_NAMESPACE, resolveSettings } from './admission.js';
import { createApp } from './app.js';
import { loadEngine } from './engine.js';
import { startServer, type TlsFiles } from './server.js';

export { generateCerts } from './certs.js';

/** Everything `shipshape serve` decided from its flags and config. */
export interface ServeOptions {
  config: Config;
  /** Folder the config's relative paths resolve against. */
  baseDir: string;
  /** The webhook's own namespace (exempt by default). */
  namespace?: string;
  port: number;
  host?: string;
  tls?: TlsFiles;
  insecureHttp?: boolean;
  logLevel: string;
  /** On SIGTERM: stay up (unready) this long, so the Service stops routing here first. */
  shutdownDelayMs: number;
  /** On SIGTERM: longest wait for in-flight requests. */
  shutdownTimeoutMs: number;
  stderr: { write(s: string): unknown };
}

/**
 * Serve until SIGTERM or SIGINT, then drain: /readyz fails, new connections are refused after the
 * shutdown delay, in-flight requests finish. Resolves to the exit code (2 when the rules cannot load).
 */
export async function serve(o: ServeOptions): Promise<number> {
  const settings = resolveSettings(o.config.webhook, o.namespace ?? DEFAULT_NAMESPACE);
  // Asynchronous, batched writes: lines collect until 16 KiB or 200 ms, whichever comes first, so a
  // busy webhook makes one write(2) per ~40 lines instead of one per line (docs/webhook.md, Logs);
  // a write to the container runtime's pipe costs as much as tens of lines' formatting.
  const logger = pino(
    { level: o.logLevel, base: { service: 'shipshape-webhook' } },
    pino.destination({ dest: 1, sync: false, minLength: 16 * 1024, maxWrite: 64 * 1024, periodicFlush: 200 }),
  );
  const lifecycle = { draining: false };
  const engine = loadEngine(o.config, settings, o.baseDir);
  const app = createApp({ engine, settings, logger, lifecycle });
  const running = await startServer({
    app,
    port: o.port,
    host: o.host,
    insecureHttp: o.insecureHttp,
    tls: o.tls,
    logger,
  });

  return new Promise<number>((resolvePromise) => {
    let stopping = false;
    const stop = (signal: string, code: number) => {
      if (stopping) return;
      stopping = true;
      // Unready, and every answer from now on closes its connection, so keep-alive clients (the
      // API server) move to other replicas during the shutdown delay instead of being cut off.
      lifecycle.draining = true;
      running.drain();
      logger.info(
        { signal, inFlight: running.inFlight(), shutdownDelayMs: o.shutdownDelayMs },
        'shutting down',
      );
      setTimeout(() => {
        void running.close(o.shutdownTimeoutMs).then(() => {
          logger.info('stopped');
          // Writes out the buffered lines; the pending write keeps the process alive until done.
          logger.flush();
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          resolvePromise(code);
        });
      }, o.shutdownDelayMs);
    };
    const onTerm = () => stop('SIGTERM', 0);
    const onInt = () => stop('SIGINT', 0);
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    // A configuration that cannot load is fatal: exit so the rollout shows it, not only /readyz.
    engine.catch((err: unknown) => {
      o.stderr.write(
        `shipshape: cannot load the webhook's rules: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      stop('load-error', 2);
    });
  });
}
