/** Kubernetes resource quantities (`500m`, `128Mi`, `1e3`) as plain numbers. */

const BINARY_SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i)|([numkMGTPE]?)|[eE]([+-]?\d+))$/;

/**
 * Parse a Kubernetes resource quantity (`500m`, `1.5`, `128Mi`, `1G`, `1e3`, or a YAML number)
 * into a plain number (cores, bytes, units). Returns undefined for anything the API server would
 * reject. Decimal forms go through `Number("<digits>e<exp>")`, which rounds correctly, so two
 * spellings of the same amount (`100m` and `0.1`) yield the very same double and compare equal.
 */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY.exec(v);
  if (!m) return undefined;
  const digits = m[1]!;
  if (m[2] !== undefined) return Number(digits) * BINARY_SUFFIX[m[2]]!;
  const exp = m[4] !== undefined ? Number(m[4]) : DECIMAL_EXPONENT[m[3] ?? '']!;
  const n = Number(`${digits}e${exp}`);
  return Number.isFinite(n) ? n : undefined;
}
