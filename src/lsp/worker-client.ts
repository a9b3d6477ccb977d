/**
 * The server's side of the lint worker: requests go to a worker thread (so a long lint never
 * holds up hover or code actions), which is started on first use and again if it dies. Without a
 * worker script beside this module (running from the TypeScript sources), the same service runs
 * in this thread instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LintService, type LintReply, type LintRequest, type LintServiceOptions } from './lint-service.js';

/** Messages to the worker. */
export type ToWorker =
  | { type: 'lint'; id: number; request: LintRequest }
  | { type: 'newer'; uri: string; version: number }
  | { type: 'close'; uri: string }
  | { type: 'files'; changes: Array<{ file: string; deleted: boolean }>; config: boolean };

/** Replies from the worker. */
export type FromWorker = { id: number; result: LintReply } | { id: number; error: string };

/** The worker script: the bundle's sibling when running from the CLI bundle, else this folder's worker module. */
function workerScript(): URL | undefined {
  const here = import.meta.url;
  const ext = here.slice(here.lastIndexOf('.'));
  const url = new URL(ext === '.mjs' ? './lsp-worker.mjs' : `./worker${ext}`, here);
  return ext !== '.ts' && url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

export class LintWorker {
  private worker: Worker | undefined;
  private local: LintService | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: LintReply) => void; reject: (e: Error) => void }
  >();
  private readonly script = workerScript();

  constructor(
    private readonly options: LintServiceOptions,
    private readonly onError: (message: string) => void,
  ) {}

  private post(m: ToWorker): void {
    if (!this.script) {
      const s = (this.local ??= new LintService(this.options));
      if (m.type === 'newer') s.newer(m.uri, m.version);
      else if (m.type === 'close') s.close(m.uri);
      else if (m.type === 'files') s.filesChanged(m.changes, m.config);
      return;
    }
    if (!this.worker) this.worker = this.start(this.script);
    this.worker.postMessage(m);
  }

  private start(script: URL): Worker {
    const w = new Worker(script, { workerData: this.options });
    // The worker never keeps the process alive: the protocol library ends it on `exit`.
    w.unref();
    w.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.onError(`shipshape: the lint worker stopped (${why}); it restarts with the next lint`);
      for (const p of this.pending.values()) p.reject(new Error(`the lint worker stopped (${why})`));
      this.pending.clear();
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  }

  /** Lint a document version. */
  lint(request: LintRequest): Promise<LintReply> {
    if (!this.script) return (this.local ??= new LintService(this.options)).lint(request);
    const id = this.nextId++;
    return new Promise<LintReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'lint', id, request });
    });
  }

  /** A newer version of a document exists. */
  newer(uri: string, version: number): void {
    this.post({ type: 'newer', uri, version });
  }

  close(uri: string): void {
    this.post({ type: 'close', uri });
  }

  filesChanged(changes: Array<{ file: string; deleted: boolean }>, config: boolean): void {
    this.post({ type: 'files', changes, config });
  }

  /** Stop the worker (server shutdown). */
  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }
}
