/**
 * Label and annotation syntax, as the API server validates it:
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Why `key` is not a valid label/annotation key (optional DNS-subdomain prefix, "/", name), or undefined. */
export function keyProblem(key: string): string | undefined {
  let name = key;
  const slash = key.indexOf('/');
  if (slash >= 0) {
    if (key.indexOf('/', slash + 1) >= 0) return 'a key may contain at most one "/"';
    const prefix = key.slice(0, slash);
    name = key.slice(slash + 1);
    if (prefix === '') return 'the prefix before "/" is empty';
    if (prefix.length > 253) return `the prefix is ${prefix.length} characters long (at most 253)`;
    if (!DNS_SUBDOMAIN.test(prefix))
      return 'the prefix must be a DNS subdomain (lowercase alphanumerics, "-" and ".", starting and ending with an alphanumeric)';
  }
  if (name === '') return slash >= 0 ? 'the name after "/" is empty' : 'the key is empty';
  if (name.length > 63) return `the name part is ${name.length} characters long (at most 63)`;
  if (!QUALIFIED_NAME.test(name))
    return 'the name part must consist of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}

/** Why `value` is not a valid label value (empty, or ≤ 63 of [A-Za-z0-9-_.] with alphanumeric ends), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `the value is ${value.length} characters long (at most 63)`;
  if (!QUALIFIED_NAME.test(value))
    return 'the value must consist of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric';
  return undefined;
}
