/**
 * Secret-looking values, for no-secret-literals-in-env and no-secret-literals-in-configmap.
 * Findings never contain a secret value: messages name the variable or key only.
 *
 * Heuristics (documented in the rules' `why`):
 *  - by format, anywhere in a value: PEM private keys, AWS access key ids (AKIA/ASIA…), GitHub tokens
 *    (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), Slack tokens (xox?-), JWTs (eyJ….eyJ….), Google API keys
 *    (AIza…), Stripe live keys (sk_live_/rk_live_), GitLab (glpat-) and npm (npm_) tokens, Slack webhook
 *    URLs, URLs with an embedded password (scheme://user:pass@), Go DSNs with one (user:pass@tcp(…)) and
 *    keyword connection strings with a password (`Server=…;Password=…`, `host=… password=…`);
 *  - by name and value: a key naming a connection string (DATABASE_URL, db_dsn, connectionString …)
 *    whose value is `user:password@host…` without a scheme;
 *  - by name: a single-line literal whose variable/key name contains a secret word (password, passwd,
 *    passphrase, pass, secret, token, credential(s), creds, api key, private key, secret key, signing /
 *    encryption / master / license / client key …) not followed by a qualifier that makes it metadata about
 *    the secret (…_FILE, _PATH, _NAME, _REF, _URL, _TTL, _LENGTH, _ENABLED, _TYPE, _HEADER, _ID …), and
 *    whose value is not harmless (empty, boolean, number or duration, absolute path, $(VAR) / ${VAR} /
 *    {{ }} reference, <placeholder>, URL without credentials, masked *** value, or prose with spaces).
 */

interface CredentialFormat {
  re: RegExp;
  label: string;
}

const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  { re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/, label: 'a PEM private key' },
  { re: /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/, label: 'an AWS access key id' },
  { re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, label: 'a GitHub token' },
  { re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,}/, label: 'a GitHub token' },
  { re: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/, label: 'a Slack token' },
  {
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/,
    label: 'a JSON Web Token',
  },
  { re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, label: 'a Google API key' },
  { re: /(?<![A-Za-z0-9])[rs]k_live_[0-9A-Za-z]{16,}/, label: 'a Stripe live key' },
  { re: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/, label: 'a GitLab token' },
  { re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/, label: 'an npm token' },
  {
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/,
    label: 'a Slack webhook URL',
  },
  // Go database/sql DSN (go-sql-driver/mysql): user:password@tcp(host:port)/db
  {
    re: /(?<![^\s"'=,;])[^\s:@/;"'=,]+:[^\s@/;"']+@(?:tcp|tcp6|unix|udp)\(/,
    label: 'a DSN with an embedded password',
  },
];

/**
 * A keyword connection string (ADO.NET / ODBC / JDBC properties / libpq) with a password:
 * `Server=db;User Id=app;Password=…` or `host=db user=app password=…`. A password keyword counts
 * only beside another connection keyword in the same line, and not when its value is empty, a
 * reference or masked.
 */
const CONN_PASSWORD = /(?:^|[;\s"'])(?:password|pwd)\s*=\s*(?!["']?(?:$|[;\s]))("?)([^;\s"]+)/i;
const CONN_KEYWORD =
  /(?:^|[;\s"'])(?:server|host|hostaddr|data source|datasource|address|addr|database|dbname|initial catalog|user id|userid|uid|user|username)\s*=/i;

function keywordConnectionPassword(value: string): boolean {
  if (!/(?:password|pwd)\s*=/i.test(value)) return false;
  for (const line of value.split('\n')) {
    const m = CONN_PASSWORD.exec(line);
    if (!m || !CONN_KEYWORD.test(line)) continue;
    const pw = m[2]!;
    if (!isReference(pw) && !/^([*xX.#])\1*$/.test(pw) && !/^<[^<>]*>$/.test(pw)) return true;
  }
  return false;
}

const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/gi;

const isReference = (s: string): boolean => s.includes('$(') || s.includes('${') || s.includes('{{');

/** What credential format `value` contains, if any (never returns the value itself). */
export function credentialFormatIn(value: string): string | undefined {
  for (const f of CREDENTIAL_FORMATS) if (f.re.test(value)) return f.label;
  if (keywordConnectionPassword(value)) return 'a connection string with a password';
  if (value.includes('://')) {
    URL_WITH_PASSWORD.lastIndex = 0;
    for (let m = URL_WITH_PASSWORD.exec(value); m; m = URL_WITH_PASSWORD.exec(value)) {
      const pw = m[1]!;
      if (!isReference(pw) && !/^([*xX.#])\1*$/.test(pw)) return 'a URL with an embedded password';
    }
  }
  return undefined;
}

/** Words that make a name secret-like. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pass',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'apikeys',
  'privatekey',
  'secretkey',
]);
/** Suffixes that make a compound word secret-like (dbpassword, clientsecret, accesstoken). */
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'secret',
  'token',
  'credentials',
  'apikey',
  'privatekey',
  'secretkey',
];
/** `<word> key` pairs that name a secret key. */
const KEY_PREFIXES = new Set([
  'api',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'license',
  'licence',
  'client',
  'hmac',
  'jwt',
]);
/** Words after a secret word that make the name metadata about the secret, not the secret. */
const QUALIFIERS = new Set([
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'directory',
  'name',
  'names',
  'ref',
  'reference',
  'url',
  'uri',
  'endpoint',
  'host',
  'hostname',
  'port',
  'ttl',
  'expiry',
  'expiration',
  'expires',
  'expire',
  'lifetime',
  'timeout',
  'duration',
  'seconds',
  'secs',
  'minutes',
  'mins',
  'hours',
  'days',
  'age',
  'interval',
  'length',
  'len',
  'size',
  'min',
  'minimum',
  'max',
  'maximum',
  'count',
  'limit',
  'bits',
  'rounds',
  'enabled',
  'disabled',
  'enable',
  'disable',
  'required',
  'type',
  'mode',
  'format',
  'header',
  'policy',
  'version',
  'algorithm',
  'alg',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'prefix',
  'suffix',
  'field',
  'param',
  'parameter',
  'id',
  'provider',
  'store',
  'manager',
  'region',
  'location',
  'mount',
  'volume',
  'hint',
  'reset',
  'rule',
  'rules',
  'strength',
  'complexity',
  'prompt',
  'label',
  'message',
  'text',
  'subject',
  'template',
  'help',
  'source',
  'namespace',
]);

/** Split an identifier into lower-case words: DB_PASSWORD, dbPassword, db.password, APIKey → […]. */
function words(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const isUpper = c >= 'A' && c <= 'Z';
    const isAlnum = isUpper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!isAlnum) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    if (isUpper && cur) {
      const prev = name[i - 1]!;
      const next = name[i + 1];
      const prevLower = (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9');
      const nextLower = next !== undefined && next >= 'a' && next <= 'z';
      const prevUpper = prev >= 'A' && prev <= 'Z';
      if (prevLower || (prevUpper && nextLower)) {
        out.push(cur);
        cur = '';
      }
    }
    cur += c.toLowerCase();
  }
  if (cur) out.push(cur);
  return out;
}

/** Does a variable or key name suggest that its value is a secret? */
export function nameSuggestsSecret(name: string): boolean {
  const ws = words(name);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const secret =
      SECRET_WORDS.has(w) ||
      SECRET_SUFFIXES.some((s) => w.endsWith(s)) ||
      (w === 'key' && i > 0 && KEY_PREFIXES.has(ws[i - 1]!));
    if (!secret) continue;
    let qualified = false;
    for (let j = i + 1; j < ws.length; j++) if (QUALIFIERS.has(ws[j]!)) qualified = true;
    if (!qualified) return true;
  }
  return false;
}

/** Words naming a database or message broker, before `url` / `uri` / `dsn` in a connection-string name. */
const STORE_WORDS = new Set([
  'database',
  'db',
  'sql',
  'postgres',
  'postgresql',
  'pg',
  'mysql',
  'mariadb',
  'mssql',
  'sqlserver',
  'oracle',
  'jdbc',
  'mongo',
  'mongodb',
  'redis',
  'amqp',
  'rabbitmq',
  'broker',
]);

/**
 * Does a key name a connection string (DATABASE_URL, db-dsn, mongoUri, connectionString,
 * conn_str), not followed by a qualifier (DATABASE_URL_FILE)?
 */
export function nameSuggestsConnectionString(name: string): boolean {
  const ws = words(name);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const next = ws[i + 1];
    let end = -1;
    if (STORE_WORDS.has(w) && (next === 'url' || next === 'uri' || next === 'dsn')) end = i + 1;
    else if ((w === 'connection' || w === 'conn') && (next === 'string' || next === 'str')) end = i + 1;
    else if (w === 'connectionstring' || w === 'connstr') end = i;
    if (end < 0) continue;
    if (!ws.slice(end + 1).some((q) => QUALIFIERS.has(q))) return true;
  }
  return false;
}

/** `user:password@host…` without a scheme: credentials when the name says it is a connection string. */
const USERINFO_WITH_PASSWORD = /^[^\s:@/]+:([^\s@/]+)@[^\s@]+$/;

/** Values that are not secrets whatever the name says (see the heuristics above). */
export function harmlessValue(value: string): boolean {
  const t = value.trim();
  if (t === '') return true;
  // Prose (three words or more) or a multi-line file: left to the format heuristics.
  if (t.includes('\n') || t.split(/\s+/).length >= 3) return true;
  if (/^(true|false|yes|no|on|off|enabled|disabled|none|null|nil|required|optional)$/i.test(t)) return true;
  if (/^-?\d+(\.\d+)?(ns|us|ms|s|m|h|d|w|k|ki|mi|gi|ti|g|t|kb|mb|gb|%)?$/i.test(t)) return true; // 3600, 30s, 256Mi
  if (t.startsWith('/') || t.startsWith('./') || t.startsWith('~/')) return true;
  if (isReference(t)) return true;
  if (/^<[^<>]*>$/.test(t)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(t)) return true;
  if (/^([*xX.#-])\1*$/.test(t)) return true;
  return false;
}

/** Why a literal `value` under `name` looks like a secret, or undefined. Never includes the value. */
export function secretReason(name: string, value: string): string | undefined {
  const format = credentialFormatIn(value);
  if (format) return `the value looks like ${format}`;
  if (nameSuggestsConnectionString(name)) {
    const m = USERINFO_WITH_PASSWORD.exec(value.trim());
    if (m && !isReference(m[1]!) && !/^([*xX.#])\1*$/.test(m[1]!))
      return 'the name suggests a connection string and the value carries a password';
  }
  if (nameSuggestsSecret(name) && !harmlessValue(value)) return 'the name suggests a credential';
  return undefined;
}
