/**
 * A connection to a cluster from the user's kubeconfig. @kubernetes/client-node reads the kubeconfig
 * and does the authentication (tokens, token files, client certificates, exec plugins, OIDC, proxies
 * and TLS options), which is the hard part; the requests themselves are plain HTTPS calls here, so
 * objects arrive as the API server's JSON, every field kept (the library's typed models would drop
 * fields they do not know and turn timestamps into Dates, and the audit must lint what is stored).
 * The library is loaded with import() only when a cluster is opened: `shipshape lint` never pays for it.
 *
 * Every failure becomes a {@link ClusterError}: one line, no stack.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ConfigError } from '../config/config.js';

/** A cluster that cannot be used (kubeconfig, network, credentials, permissions): one line, exit 2. */
export class ClusterError extends ConfigError {}

/** An HTTP answer other than 2xx, with the Status message the server gave. */
export class HttpError extends ClusterError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where the kubeconfig is and which context of it to use. */
export interface ClusterTarget {
  /** --kubeconfig; else $KUBECONFIG (a list), else ~/.kube/config. */
  kubeconfig?: string;
  /** --context; else the kubeconfig's current-context. */
  context?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

export interface Cluster {
  /** The context's name. */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  /** GET a path (with its query) and parse the JSON answer. */
  get<T = unknown>(path: string): Promise<T>;
  /** Send a JSON body (POST/PUT) and parse the answer. */
  send<T = unknown>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T>;
  /** Close the keep-alive connections. */
  close(): void;
}

/** Words for the system errors a connection gives. */
const NET_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  EPIPE: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted by the kubeconfig',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted by the kubeconfig',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted by the kubeconfig',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not name this host',
};

const firstLine = (s: string): string => s.split('\n', 1)[0]!.trim();

/** The kubeconfig files, in the order kubectl merges them. */
function kubeconfigFiles(target: ClusterTarget): string[] {
  if (target.kubeconfig) return [resolve(target.cwd, target.kubeconfig)];
  const env = target.env.KUBECONFIG;
  if (env)
    return env
      .split(delimiter)
      .filter((f) => f !== '')
      .map((f) => resolve(target.cwd, f));
  return [join(target.env.HOME || homedir(), '.kube', 'config')];
}

type KubeConfigType = import('@kubernetes/client-node').KubeConfig;

/** Read the kubeconfig and select the context; one-line errors for a missing file or context. */
async function loadKubeConfig(target: ClusterTarget): Promise<KubeConfigType> {
  const files = kubeconfigFiles(target);
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0)
    throw new ClusterError(
      `no kubeconfig: ${files.join(delimiter)} does not exist (use --kubeconfig or set KUBECONFIG)`,
    );
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(present[0]!);
    for (const file of present.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      kc.mergeConfig(more, true);
    }
  } catch (err) {
    throw new ClusterError(
      `cannot read the kubeconfig: ${firstLine(err instanceof Error ? err.message : String(err))}`,
    );
  }
  const names = kc.getContexts().map((c) => c.name);
  if (target.context !== undefined) {
    if (!names.includes(target.context))
      throw new ClusterError(
        `context "${target.context}" is not in the kubeconfig (contexts: ${names.join(', ') || 'none'})`,
      );
    kc.setCurrentContext(target.context);
  }
  const current = kc.getCurrentContext();
  if (!current || !names.includes(current))
    throw new ClusterError(
      `the kubeconfig has no current context${names.length ? ` (contexts: ${names.join(', ')}; use --context)` : ''}`,
    );
  if (!kc.getCurrentCluster())
    throw new ClusterError(`context "${current}" names no cluster in the kubeconfig`);
  return kc;
}

/** The message of a Kubernetes Status body, else the start of the body. */
function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string' && s.message !== '') return firstLine(s.message);
  } catch {
    // not a Status
  }
  return firstLine(body.slice(0, 200)) || 'no message';
}

/** Open the kubeconfig's context (nothing is sent until the first request). */
export async function openCluster(target: ClusterTarget): Promise<Cluster> {
  const kc = await loadKubeConfig(target);
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster()!;
  const namespace = kc.getContextObject(context)?.namespace || 'default';
  let base: URL;
  try {
    base = new URL(cluster.server);
  } catch {
    throw new ClusterError(`context "${context}": the cluster's server "${cluster.server}" is not a URL`);
  }
  const timeoutMs = target.timeoutMs ?? 30_000;
  const agents: { agent?: http.Agent } = {};
  const where = `the cluster at ${base.origin} (context "${context}")`;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new ClusterError(
        `cannot get credentials for context "${context}": ${firstLine(err instanceof Error ? err.message : String(err))}`,
      );
    }
    const data = body === undefined ? undefined : JSON.stringify(body);
    const prefix = base.pathname.replace(/\/+$/, '');
    const lib = base.protocol === 'http:' ? http : https;
    const text = await new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = lib.request(
        {
          ...opts,
          agent:
            base.protocol === 'http:' ? (agents.agent ??= new http.Agent({ keepAlive: true })) : opts.agent,
          protocol: base.protocol,
          hostname: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || (base.protocol === 'http:' ? 80 : 443),
          path: prefix + path,
          method,
          headers: {
            ...opts.headers,
            accept: 'application/json',
            'user-agent': 'shipshape-audit',
            ...(data !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(data),
            }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', fail);
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', fail);
      req.end(data);
    }).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      const reason =
        (code && NET_REASONS[code]) ?? firstLine(err instanceof Error ? err.message : String(err));
      throw new ClusterError(`cannot reach ${where}: ${reason}`);
    });
    if (text.status >= 200 && text.status < 300) {
      try {
        return JSON.parse(text.body) as T;
      } catch {
        throw new ClusterError(`${where} answered ${method} ${path} with something that is not JSON`);
      }
    }
    const message = statusMessage(text.body);
    if (text.status === 401)
      throw new HttpError(
        401,
        'Unauthorized',
        `${where} refused the credentials (401 Unauthorized) for ${method} ${path.replace(/\?.*$/, '')}: the token or certificate is wrong or has expired; log in again`,
      );
    throw new HttpError(text.status, message, `${where}: ${method} ${path}: HTTP ${text.status}: ${message}`);
  };

  return {
    context,
    server: base.origin + base.pathname.replace(/\/+$/, ''),
    namespace,
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
    close: () => {
      agents.agent?.destroy();
    },
  };
}
