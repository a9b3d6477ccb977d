/** Commander wiring of `shipshape serve` (the admission webhook) and `shipshape certs`. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../config/config.js';
import { loadConfig } from '../config/load.js';
import type { ProgramIO } from '../linter/io.js';

interface ServeFlags {
  config?: string | false;
  certFile?: string;
  keyFile?: string;
  port: string;
  host?: string;
  insecureHttp?: boolean;
  namespace?: string;
  logLevel: string;
  shutdownDelay: string;
  shutdownTimeout: string;
  certReloadInterval: string;
}

const int = (v: string, flag: string, min = 0): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${flag} expects a whole number ≥ ${min}, got "${v}"`);
  return n;
};

/** The webhook code and its dependencies (express, pino, prom-client, @peculiar/x509) load only here. */
type WebhookModule = typeof import('../webhook/main.js');
async function webhookModule(): Promise<WebhookModule> {
  // From the CLI bundle: the webhook's own bundle beside it (dist/bundle/webhook.mjs), so `lint`
  // never parses the server's dependencies; from dist/ or src/: the module itself.
  const here = import.meta.url;
  const ext = here.slice(here.lastIndexOf('.'));
  const spec = new URL(ext === '.mjs' ? './webhook.mjs' : `./main${ext}`, here).href;
  return (await import(spec)) as WebhookModule;
}

async function serveAction(flags: ServeFlags, io: ProgramIO): Promise<number> {
  const port = int(flags.port, '--port');
  if (!flags.insecureHttp && (!flags.certFile || !flags.keyFile))
    throw new ConfigError(
      'serve needs --cert-file and --key-file (or --insecure-http for local development only)',
    );
  const loaded = flags.config === false ? { config: {}, baseDir: io.cwd } : loadConfig(io.cwd, flags.config);
  const { serve } = await webhookModule();
  return serve({
    config: loaded.config,
    baseDir: loaded.baseDir,
    namespace: flags.namespace ?? io.env.POD_NAMESPACE,
    port,
    host: flags.host,
    insecureHttp: flags.insecureHttp,
    tls:
      flags.certFile && flags.keyFile
        ? {
            certFile: resolve(io.cwd, flags.certFile),
            keyFile: resolve(io.cwd, flags.keyFile),
            reloadIntervalMs: int(flags.certReloadInterval, '--cert-reload-interval', 10),
          }
        : undefined,
    logLevel: flags.logLevel,
    shutdownDelayMs: int(flags.shutdownDelay, '--shutdown-delay'),
    shutdownTimeoutMs: int(flags.shutdownTimeout, '--shutdown-timeout', 1),
    stderr: io.stderr,
  });
}

interface CertsFlags {
  service: string;
  namespace: string;
  outDir: string;
  dns?: string[];
  ip?: string[];
  days: string;
  caCert?: string;
  caKey?: string;
}

async function certsAction(flags: CertsFlags, io: ProgramIO): Promise<number> {
  const { generateCerts } = await webhookModule();
  if ((flags.caCert === undefined) !== (flags.caKey === undefined))
    throw new ConfigError('--ca-cert and --ca-key go together');
  const read = (f: string) => {
    try {
      return readFileSync(resolve(io.cwd, f), 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read ${f}: ${(err as Error).message}`);
    }
  };
  const ca = flags.caCert && flags.caKey ? { cert: read(flags.caCert), key: read(flags.caKey) } : undefined;
  const out = await generateCerts({
    service: flags.service,
    namespace: flags.namespace,
    dnsNames: flags.dns,
    ipAddresses: flags.ip,
    days: int(flags.days, '--days', 1),
    ca,
  }).catch((err: unknown) => {
    // A CA that cannot be parsed, or a key of another certificate or of an unsupported type.
    if (ca) throw new ConfigError(`cannot issue under --ca-cert/--ca-key: ${(err as Error).message}`);
    throw err;
  });
  const dir = resolve(io.cwd, flags.outDir);
  mkdirSync(dir, { recursive: true });
  if (!flags.caCert) {
    writeFileSync(join(dir, 'ca.crt'), out.caCert);
    writeFileSync(join(dir, 'ca.key'), out.caKey, { mode: 0o600 });
  }
  writeFileSync(join(dir, 'tls.crt'), out.cert);
  writeFileSync(join(dir, 'tls.key'), out.key, { mode: 0o600 });
  io.stderr.write(
    `wrote ${flags.caCert ? '' : 'ca.crt, ca.key, '}tls.crt, tls.key to ${dir}\n` +
      `serving certificate names: ${[...out.dnsNames, ...(flags.ip ?? [])].join(', ')}\n` +
      `caBundle (for the webhook configurations) follows on stdout\n`,
  );
  io.stdout.write(`${out.caBundle}\n`);
  return 0;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Register `serve` and `certs` on the program; `done` receives the exit code. */
export function registerServeCommands(program: Command, io: ProgramIO, done: (code: number) => void): void {
  program
    .command('serve')
    .description('run the validating and mutating admission webhook (docs/webhook.md)')
    .option(
      '-c, --config <file>',
      'configuration file, with its webhook: section (default: .shipshape.yaml found upward)',
    )
    .option('--no-config', 'ignore configuration files')
    .option('--cert-file <file>', 'serving certificate (PEM); reloaded when it changes on disk')
    .option('--key-file <file>', 'private key of the serving certificate (PEM)')
    .option('-p, --port <port>', 'port to listen on', '8443')
    .option('--host <address>', 'address to bind (default: all)')
    .option('--insecure-http', 'serve plain HTTP (local development only; the API server requires HTTPS)')
    .option(
      '--namespace <name>',
      "the webhook's own namespace, exempt by default (default: $POD_NAMESPACE or shipshape-system)",
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info')
    .option('--shutdown-delay <ms>', 'on SIGTERM, keep serving (unready) this long before closing', '0')
    .option('--shutdown-timeout <ms>', 'on SIGTERM, wait this long at most for in-flight requests', '25000')
    .option('--cert-reload-interval <ms>', 'how often to check the certificate files for rotation', '5000')
    .action(async (flags: ServeFlags) => done(await serveAction(flags, io)));

  program
    .command('certs')
    .description('generate a CA and a serving certificate for the webhook Service; print the caBundle')
    .requiredOption('--service <name>', 'name of the webhook Service')
    .requiredOption('--namespace <ns>', 'namespace of the webhook Service')
    .option('--out-dir <dir>', 'folder to write ca.crt, ca.key, tls.crt and tls.key to', '.')
    .option('--dns <name>', 'another DNS name for the certificate (repeatable)', collect)
    .option('--ip <address>', 'an IP address for the certificate, e.g. 127.0.0.1 (repeatable)', collect)
    .option('--days <n>', 'validity of the serving certificate in days', '365')
    .option('--ca-cert <file>', 'issue from this existing CA instead of a new one (with --ca-key)')
    .option('--ca-key <file>', 'private key of --ca-cert')
    .action(async (flags: CertsFlags) => done(await certsAction(flags, io)));
}
