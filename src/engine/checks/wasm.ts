/** Minimal typings for the WebAssembly JS API (TypeScript ships them only in lib.dom) and the OPA ABI. */

/** A compiled WebAssembly module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A WebAssembly.Memory: its buffer is detached and replaced when it grows. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A WebAssembly.Instance. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(m: WasmModule): { module: string; name: string; kind: string }[];
  };
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  RuntimeError: new (...args: unknown[]) => Error;
}

/** The global WebAssembly object, typed. */
export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** 64 KiB, the WebAssembly page size. */
export const PAGE = 65536;

/** The exports of a module built by `opa build -t wasm` (ABI 1.x) that shipshape calls. */
export interface OpaExports {
  opa_malloc(n: number): number;
  opa_json_parse(addr: number, len: number): number;
  opa_json_dump(addr: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(addr: number): void;
  /** ABI 1.2: parse input, evaluate one entrypoint and dump the result set in one call. */
  opa_eval?: (
    reserved: number,
    entrypoint: number,
    data: number,
    input: number,
    len: number,
    heap: number,
    format: number,
  ) => number;
  builtins(): number;
  entrypoints(): number;
  opa_wasm_abi_version?: { value: number } | number;
  opa_wasm_abi_minor_version?: { value: number } | number;
}

/** The exports a module must have to be an OPA policy. */
export const REQUIRED_EXPORTS = [
  'opa_malloc',
  'opa_json_parse',
  'opa_json_dump',
  'opa_heap_ptr_get',
  'opa_heap_ptr_set',
  'builtins',
  'entrypoints',
  'eval',
];

/** Read a global export that Node may expose as a number or a WebAssembly.Global. */
export const globalValue = (g: { value: number } | number | undefined): number | undefined =>
  g === undefined ? undefined : typeof g === 'number' ? g : g.value;
