// A real LSP client for the tests: spawns `node bin/shipshape.js lsp --stdio` and speaks JSON-RPC to it
// over the child's stdio with vscode-jsonrpc (the transport VS Code's own client uses).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  Hover,
  InitializeResult,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/shipshape.js');
export const uriOf = (file: string): string => pathToFileURL(file).href;

export interface ClientOptions {
  rootDir: string;
  /** Advertise workspace/didChangeWatchedFiles dynamic registration (default true). */
  watchedFiles?: boolean;
  initializationOptions?: Record<string, unknown>;
}

/** Apply LSP text edits (0-based line/character, UTF-16) to a text, as an editor does. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) =>
    p.line >= starts.length ? text.length : Math.min(starts[p.line]! + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** The edits a WorkspaceEdit makes to one document (`changes` or `documentChanges`). */
export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const c of edit.documentChanges ?? [])
    if ('textDocument' in c && c.textDocument.uri === uri) out.push(...(c.edits as TextEdit[]));
  return out;
}

export class TestClient {
  readonly child: ChildProcess;
  readonly conn: MessageConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly registrations: unknown[] = [];
  readonly messages: Array<{ type: number; message: string }> = [];
  stderr = '';
  private waiters: Array<() => void> = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();

  constructor(private readonly o: ClientOptions) {
    this.child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], {
      cwd: o.rootDir,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.wake();
    });
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.wake();
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      this.registrations.push(...p.registrations);
      this.wake();
      return null;
    });
    this.conn.listen();
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Resolve once `pred` holds (checked on every message), or fail after `ms`. */
  async until<T>(pred: () => T | undefined | false, what: string, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async initialize(): Promise<InitializeResult> {
    const capabilities: ClientCapabilities = {
      workspace: {
        didChangeWatchedFiles: { dynamicRegistration: this.o.watchedFiles ?? true },
        workspaceEdit: { documentChanges: true },
        configuration: false,
      },
      textDocument: {
        publishDiagnostics: {
          relatedInformation: false,
          versionSupport: true,
          codeDescriptionSupport: true,
          dataSupport: true,
        },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
          isPreferredSupport: true,
          dataSupport: true,
        },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        synchronization: { didSave: true },
      },
    };
    const result = await this.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uriOf(this.o.rootDir),
      workspaceFolders: [{ uri: uriOf(this.o.rootDir), name: 'test' }],
      capabilities,
      initializationOptions: this.o.initializationOptions ?? {},
    });
    await this.conn.sendNotification('initialized', {});
    if (this.o.watchedFiles ?? true)
      await this.until(() => this.registrations.length > 0, 'watcher registration');
    return result;
  }

  /** The newest diagnostics published for `uri` (for `version` when given). */
  latest(uri: string, version?: number): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) {
      const p = this.published[i]!;
      if (p.uri === uri && (version === undefined || p.version === version)) return p;
    }
    return undefined;
  }

  /** Wait for diagnostics of the document's current version. */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    return (await this.until(() => this.latest(uri, version), `diagnostics for ${uri} v${version}`))
      .diagnostics;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Replace the whole text (a full-document change event); returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** An incremental change event: replace `range` by `text`. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, applyTextEdits(this.texts.get(uri) ?? '', [{ range, newText: text }]));
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 0 },
    };
    return this.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  /** Apply a code action's WorkspaceEdit to the client's copy of the text and send it as a change. */
  async apply(uri: string, action: CodeAction): Promise<string> {
    const next = applyTextEdits(this.text(uri), editsFor(action.edit!, uri));
    await this.change(uri, next);
    return next;
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.conn.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character },
    });
  }

  async watchedFilesChanged(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  /** workspace/didChangeConfiguration with `{ shipshape: settings }`. */
  async configure(settings: Record<string, unknown>): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeConfiguration', {
      settings: { shipshape: settings },
    });
  }

  /** The server process's resident set size in bytes (Linux: VmRSS of /proc/<pid>/status). */
  rss(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (!kb) throw new Error(`no VmRSS in /proc/${this.child.pid}/status`);
    return Number(kb[1]) * 1024;
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    if (this.child.exitCode !== null) return this.child.exitCode;
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await exited;
    this.conn.dispose();
    return code;
  }
}
