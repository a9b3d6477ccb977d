/**
 * Webhook client configs, shared by admission webhooks and CRD conversion webhooks
 * (apiserver's pkg/util/webhook ValidateWebhookURL / ValidateWebhookService).
 */
import { Issues, obj, str, type Path } from './issues.js';
import { DNS1123_SUBDOMAIN_MSG, isDns1123Subdomain } from './formats.js';

const FORM = '; desired format: https://host[/path]';

interface ParsedUrl {
  scheme: string;
  user?: string;
  host: string;
  query: string;
  fragment: string;
}

/** The parts of a URL as Go's net/url Parse splits them (enough for the webhook rules). */
function parseUrl(raw: string): ParsedUrl {
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let host = '';
  let user: string | undefined;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    let authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      // Only the user name is ever shown: a password in a URL is a credential.
      user = authority.slice(0, at).split(':')[0] ?? '';
      authority = authority.slice(at + 1);
    }
    host = authority;
  }
  return { scheme, user, host, query, fragment };
}

/** A webhook URL: https (when required), a host, no user info, fragment or query. */
export function validateWebhookUrl(url: string, path: Path, v: Issues, forceHttps: boolean): void {
  const u = parseUrl(url);
  if (forceHttps && u.scheme !== 'https')
    v.invalid(path, u.scheme, "'https' is the only allowed URL scheme" + FORM);
  if (u.host === '') v.invalid(path, u.host, 'host must be specified' + FORM);
  if (u.user !== undefined) v.invalid(path, u.user, 'user information is not permitted in the URL');
  if (u.fragment !== '') v.invalid(path, u.fragment, 'fragments are not permitted in the URL');
  if (u.query !== '') v.invalid(path, u.query, 'query parameters are not permitted in the URL');
}

/** A webhook service reference: name, namespace, an absolute path of DNS-subdomain segments, a port. */
export function validateWebhookService(service: unknown, path: Path, v: Issues): void {
  const s = obj(service);
  if (s === undefined) return;
  if ((str(s.name) ?? '') === '') v.required([...path, 'name'], 'service name is required');
  if ((str(s.namespace) ?? '') === '') v.required([...path, 'namespace'], 'service namespace is required');
  const port = s.port;
  if (typeof port === 'number' && (port < 1 || port > 65535))
    v.invalid([...path, 'port'], port, 'port is not valid: must be between 1 and 65535, inclusive');
  const p = str(s.path);
  if (p === undefined || p === '/') return;
  const at = [...path, 'path'];
  if (!p.startsWith('/')) v.invalid(at, p, "must start with a '/'");
  let check = p.slice(1);
  if (check.endsWith('/')) check = check.slice(0, -1);
  check.split('/').forEach((step, i) => {
    if (step === '') v.invalid(at, p, `segment[${i}] may not be empty`);
    else if (!isDns1123Subdomain(step)) v.invalid(at, p, `segment[${i}]: ${DNS1123_SUBDOMAIN_MSG}`);
  });
}

/** A WebhookClientConfig: exactly one of url and service. */
export function validateClientConfig(config: unknown, path: Path, v: Issues, forceHttps = true): void {
  const c = obj(config);
  if (c === undefined) return;
  const url = str(c.url);
  const hasService = obj(c.service) !== undefined;
  if ((url !== undefined) === hasService) {
    v.required(path, 'exactly one of url or service is required');
    return;
  }
  if (url !== undefined) validateWebhookUrl(url, [...path, 'url'], v, forceHttps);
  else validateWebhookService(c.service, [...path, 'service'], v);
}
