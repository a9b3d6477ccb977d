/**
 * The collector every API-server-grade validator writes to. Messages follow the API server's
 * field.Error wording, prefixed with the readable field path, and never print a value when the
 * collector redacts (Secrets, credential-like keys).
 */
import { isSensitive } from '../../engine/redact.js';
import type { SchemaError } from '../validate.js';
import { displayPath, pointerOf } from '../validate.js';

export type Seg = string | number;
export type Path = readonly Seg[];

/** What a validator knows about the run. */
export interface ApiContext {
  /** The target Kubernetes minor, e.g. "1.37" (version-aware checks compare against it). */
  minor: string;
  /** Hide every value (the object is a Secret). */
  redact: boolean;
}

const MAX_ISSUES = 100;

export class Issues {
  readonly errors: SchemaError[] = [];
  constructor(
    readonly ctx: ApiContext,
    /** The whole object, for the redaction rule (src/engine/redact.ts). */
    private readonly root: unknown = undefined,
  ) {}

  /**
   * A value as the message shows it: quoted and shortened, or nothing when the object redacts or
   * the value is sensitive where it stands (credential-named keys, credential-looking strings).
   */
  show(value: unknown, path: Path): string {
    if (this.ctx.redact || isSensitive(this.root, path, value)) return '';
    let s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
    if (s.length > 64) s = s.slice(0, 60) + '…' + (typeof value === 'string' ? '"' : '');
    return s;
  }

  add(path: Path, message: string, target: 'key' | 'value' = 'value'): void {
    if (this.errors.length >= MAX_ISSUES) return;
    this.errors.push({ path: pointerOf(path), message: `${displayPath(path)}: ${message}`, target });
  }

  /** What the API server accepts with a warning (`spec.x: IPv6 address "…" should be …`). */
  warn(path: Path, message: string): void {
    if (this.errors.length >= MAX_ISSUES) return;
    this.errors.push({
      path: pointerOf(path),
      message: `${displayPath(path)}: ${message}`,
      target: 'value',
      severity: 'warn',
    });
  }

  /** `spec.selector: Required value` */
  required(path: Path, detail?: string): void {
    this.add(path, detail ? `Required value: ${detail}` : 'Required value');
  }

  /** `metadata.name: Invalid value: "Web-App": must be …` (the value is left out when redacting). */
  invalid(path: Path, value: unknown, detail: string, target: 'key' | 'value' = 'value'): void {
    const shown = this.show(value, path);
    this.add(path, shown === '' ? `Invalid value: ${detail}` : `Invalid value: ${shown}: ${detail}`, target);
  }

  /** `spec.type: Unsupported value: "Foo": supported values: "A", "B"` */
  notSupported(path: Path, value: unknown, allowed: readonly string[]): void {
    const shown = this.show(value, path);
    const list = allowed.map((a) => JSON.stringify(a)).join(', ');
    this.add(path, `Unsupported value${shown === '' ? '' : `: ${shown}`}: supported values: ${list}`);
  }

  forbidden(path: Path, detail: string): void {
    this.add(path, `Forbidden: ${detail}`);
  }

  duplicate(path: Path, value: unknown): void {
    const shown = this.show(value, path);
    this.add(path, shown === '' ? 'Duplicate value' : `Duplicate value: ${shown}`);
  }

  tooLong(path: Path, max: number): void {
    this.add(path, `Too long: may not be more than ${max} bytes`);
  }

  tooMany(path: Path, max: number): void {
    this.add(path, `Too many: must have at most ${max} items`);
  }
}

/** Typed readers that tolerate any JSON: a validator never throws on a wrongly-typed field. */
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
export const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
/** Absent, null, "", 0, false, [] and {}: what Go sees as the zero value. */
export const isZero = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (isObj(v) && Object.keys(v).length === 0);

/** One kind's checks (metadata is checked for every kind before it). */
export type KindValidator = (object: Obj, v: Issues) => void;

/** `group/Kind` (core group is ""), e.g. "apps/Deployment", "/Pod". */
export type ValidatorTable = Readonly<Record<string, KindValidator>>;
