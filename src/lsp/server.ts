/**
 * The shipshape language server: diagnostics, code actions (fix, suppress here, suppress for the
 * object) and hover for Kubernetes manifests open in an editor. The protocol library is loaded with
 * import() so the plain CLI never pays for it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative, isAbsolute } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type {
  CodeAction,
  CodeActionParams,
  Connection,
  Diagnostic,
  Hover,
  HoverParams,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_NAMES } from '../config/load.js';
import { userCacheDir } from '../linter/linter.js';
import type { Finding, KubeObject } from '../engine/types.js';
import {
  DEFAULT_MAX_DIAGNOSTICS,
  hoverMarkdown,
  inRange,
  summaryDiagnostic,
  toDiagnostic,
  type DiagnosticData,
  type RuleInfo,
} from './diagnostics.js';
import {
  acceptsComments,
  fixText,
  minimalEdit,
  suppressLineEdit,
  suppressObjectText,
  type OffsetEdit,
} from './edits.js';
import { globMatcher } from './manifest.js';
import { looksLikeManifest, nonManifestReason } from '../linter/manifest-files.js';
import type { LintRequest, OpenDoc } from './lint-service.js';
import { LintWorker } from './worker-client.js';

/** Settings a client may send (initializationOptions, or `shipshape` in workspace/didChangeConfiguration). */
export interface LspSettings {
  /** Globs (relative to the workspace folder; `*.yaml`-style globs match base names) of files to lint even when they do not look like manifests. */
  files?: string[];
  /** Per-document debounce window in milliseconds (default 150). */
  debounceMs?: number;
  /** Read manifests of the workspace folders for cross-resource rules (default true). */
  workspaceContext?: boolean;
  /**
   * Diagnostics published per document (default 1,000), the most severe first; past it, one
   * information diagnostic says how many more there are. A whole number of at least 1.
   */
  maxDiagnostics?: number;
}

const DEFAULT_DEBOUNCE_MS = 150;
/** Other open documents are re-linted this long after an edit (their cross-resource findings may change). */
const OTHERS_DELAY_FACTOR = 2;

/**
 * Per-document state: what was last published (at most `maxDiagnostics` findings, with the
 * objects and rules they need for code actions and hover), and the lint schedule.
 */
interface DocState {
  timer?: NodeJS.Timeout;
  running: boolean;
  dirty: boolean;
  lastStart: number;
  /** Version the published findings belong to. */
  version: number;
  findings: Finding[];
  /** Per finding, the object it belongs to. */
  objects: Array<KubeObject | undefined>;
  rules: Map<string, RuleInfo>;
  /** The published diagnostics: one per finding, then the summary when capped. */
  diagnostics: Diagnostic[];
  file: string;
}

type Lsp = typeof import('vscode-languageserver/node');

const fileOf = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);

function offsetsToTextEdit(doc: TextDocument, e: OffsetEdit): TextEdit {
  return { range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.text };
}

/** The running server; created by {@link startServer}. */
class ShipshapeServer {
  private readonly docs: TextDocuments<TextDocument>;
  private readonly state = new Map<string, DocState>();
  private lints!: LintWorker;
  private readonly watchers: FSWatcher[] = [];
  private readonly watchedDirs = new Set<string>();
  private roots: string[] = [];
  private settings: Required<LspSettings> = {
    files: [],
    debounceMs: DEFAULT_DEBOUNCE_MS,
    workspaceContext: true,
    maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS,
  };
  private matchFiles = globMatcher([]);
  private clientWatchesFiles = false;
  private documentChanges = false;
  private othersTimer?: NodeJS.Timeout;
  private disposed = false;

  constructor(
    private readonly lsp: Lsp,
    private readonly connection: Connection,
    TextDocumentsImpl: Lsp['TextDocuments'],
    docFactory: typeof import('vscode-languageserver-textdocument').TextDocument,
    private readonly cacheDir: string,
  ) {
    this.docs = new TextDocumentsImpl(docFactory);
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => void this.initialized());
    connection.onDidChangeConfiguration((p) => {
      const s = (p.settings as { shipshape?: LspSettings } | null)?.shipshape;
      if (s) {
        this.applySettings(s);
        this.relintAll(0);
      }
    });
    connection.onDidChangeWatchedFiles((p) => {
      const deleted = lsp.FileChangeType.Deleted;
      this.filesChanged(p.changes.map((c) => ({ file: fileOf(c.uri), deleted: c.type === deleted })));
    });
    connection.onCodeAction((p) => this.codeActions(p));
    connection.onHover((p) => this.hover(p));
    connection.onShutdown(() => this.dispose());
    this.docs.onDidOpen((e) => this.schedule(e.document.uri, true));
    this.docs.onDidChangeContent((e) => {
      // A lint of an older version that is still running stops at its next checkpoint.
      if (this.state.get(e.document.uri)?.running) this.lints.newer(e.document.uri, e.document.version);
      this.schedule(e.document.uri, false);
      this.scheduleOthers(e.document.uri);
    });
    this.docs.onDidClose((e) => {
      const st = this.state.get(e.document.uri);
      if (st?.timer) clearTimeout(st.timer);
      this.state.delete(e.document.uri);
      this.lints.close(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      this.scheduleOthers(e.document.uri);
    });
    this.docs.listen(connection);
  }

  private initialize(p: InitializeParams): InitializeResult {
    const folders = p.workspaceFolders?.map((f) => fileOf(f.uri)) ?? [];
    if (folders.length === 0 && p.rootUri) folders.push(fileOf(p.rootUri));
    else if (folders.length === 0 && p.rootPath) folders.push(p.rootPath);
    // Longest first, so the deepest folder holding a file wins.
    this.roots = folders.filter((f) => isAbsolute(f)).sort((a, b) => b.length - a.length);
    this.applySettings((p.initializationOptions as LspSettings | undefined) ?? {});
    this.clientWatchesFiles = p.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.documentChanges = p.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.lints = new LintWorker(
      { cacheDir: this.cacheDir, clientWatchesFiles: this.clientWatchesFiles },
      (m) => this.connection.console.error(m),
    );
    const kinds = this.lsp.CodeActionKind;
    return {
      capabilities: {
        textDocumentSync: this.lsp.TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [kinds.QuickFix, `${kinds.SourceFixAll}.shipshape`] },
        hoverProvider: true,
      },
      serverInfo: { name: 'shipshape' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.clientWatchesFiles) {
      await this.connection.client.register(this.lsp.DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/.shipshape.{yaml,yml}' }, { globPattern: '**/*.{yaml,yml,json}' }],
      });
    } else {
      // No file events from the client: watch the workspace folders for config files ourselves.
      for (const root of this.roots) this.watchDir(root);
    }
  }

  private applySettings(s: LspSettings): void {
    if (Array.isArray(s.files)) this.settings.files = s.files.filter((g) => typeof g === 'string');
    if (typeof s.debounceMs === 'number' && s.debounceMs >= 0) this.settings.debounceMs = s.debounceMs;
    if (typeof s.workspaceContext === 'boolean') this.settings.workspaceContext = s.workspaceContext;
    if (typeof s.maxDiagnostics === 'number' && Number.isInteger(s.maxDiagnostics) && s.maxDiagnostics >= 1)
      this.settings.maxDiagnostics = s.maxDiagnostics;
    this.matchFiles = globMatcher(this.settings.files);
  }

  /** fs.watch fallback for clients without workspace/didChangeWatchedFiles: config files only. */
  private watchDir(dir: string): void {
    if (this.disposed || this.watchedDirs.has(dir)) return;
    this.watchedDirs.add(dir);
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name && CONFIG_NAMES.includes(String(name)))
          this.filesChanged([{ file: `${dir}/${String(name)}`, deleted: false }]);
      });
      w.on('error', () => w.close());
      this.watchers.push(w);
    } catch {
      // the folder may be gone; nothing to watch
    }
  }

  private filesChanged(changes: ReadonlyArray<{ file: string; deleted: boolean }>): void {
    const config = changes.some((c) => CONFIG_NAMES.includes(basename(c.file)));
    this.lints.filesChanged([...changes], config);
    this.relintAll(config ? 0 : this.settings.debounceMs);
  }

  private rootOf(file: string): string | undefined {
    return this.roots.find((r) => {
      const rel = relative(r, file);
      return !rel.startsWith('..') && !isAbsolute(rel);
    });
  }

  /** Where the config of `file` is looked up from: the file itself, or the first folder for untitled buffers. */
  private configFrom(file: string): string | undefined {
    if (isAbsolute(file)) return file;
    return this.roots[0] && `${this.roots[0]}/x`;
  }

  private stateOf(uri: string): DocState {
    let st = this.state.get(uri);
    if (!st) {
      st = {
        running: false,
        dirty: false,
        lastStart: 0,
        version: -1,
        findings: [],
        objects: [],
        rules: new Map(),
        diagnostics: [],
        file: fileOf(uri),
      };
      this.state.set(uri, st);
    }
    return st;
  }

  /**
   * Per-document debounce with a leading edge: an edit after a quiet window is linted at once; edits
   * inside the window are coalesced into one trailing lint of the newest text (at most one lint
   * per window per document while typing).
   */
  private schedule(uri: string, immediate: boolean, delay = this.settings.debounceMs): void {
    if (this.disposed) return;
    const st = this.stateOf(uri);
    st.dirty = true;
    if (st.timer || st.running) return;
    const wait = immediate ? 0 : Math.max(0, st.lastStart + delay - Date.now());
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void this.run(uri);
    }, wait);
  }

  private async run(uri: string): Promise<void> {
    const st = this.state.get(uri);
    if (!st || this.disposed) return;
    st.dirty = false;
    st.running = true;
    st.lastStart = Date.now();
    try {
      await this.validate(uri, st);
    } catch (err) {
      this.connection.console.error(
        `shipshape: linting ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    } finally {
      st.running = false;
      if (st.dirty && this.state.get(uri) === st) this.schedule(uri, false);
    }
  }

  /** Other open documents see the edited one as context: re-lint them a little later. */
  private scheduleOthers(uri: string): void {
    if (this.docs.all().length < 2 || this.othersTimer || this.disposed) return;
    this.othersTimer = setTimeout(() => {
      this.othersTimer = undefined;
      for (const d of this.docs.all()) if (d.uri !== uri) this.schedule(d.uri, false, 0);
    }, this.settings.debounceMs * OTHERS_DELAY_FACTOR);
  }

  private relintAll(delay: number): void {
    for (const d of this.docs.all()) {
      const st = this.stateOf(d.uri);
      if (delay === 0 && !st.timer && !st.running) this.schedule(d.uri, true);
      else this.schedule(d.uri, false, delay);
    }
  }

  private shouldLint(file: string, text: string): boolean {
    if (this.matchFiles(file, this.rootOf(file))) return true;
    // Chart templates and values, kustomization files, workflows, compose files: as the CLI's walk.
    if (isAbsolute(file) && nonManifestReason(file) !== undefined) return false;
    return looksLikeManifest(text);
  }

  /** The other open manifests of the same folder: context for cross-resource rules. */
  private othersOf(uri: string, root: string | undefined): OpenDoc[] {
    const out: OpenDoc[] = [];
    for (const d of this.docs.all()) {
      const file = fileOf(d.uri);
      if (d.uri === uri || this.rootOf(file) !== root) continue;
      const text = d.getText();
      if (this.shouldLint(file, text)) out.push({ uri: d.uri, file, version: d.version, text });
    }
    return out;
  }

  private async validate(uri: string, st: DocState): Promise<void> {
    const doc = this.docs.get(uri);
    if (!doc) return;
    const version = doc.version;
    const text = doc.getText();
    const file = st.file;
    let next: Pick<DocState, 'findings' | 'objects' | 'rules'> = {
      findings: [],
      objects: [],
      rules: new Map(),
    };
    let hidden = 0;
    if (this.shouldLint(file, text)) {
      const root = this.rootOf(file);
      const request: LintRequest = {
        uri,
        file,
        version,
        text,
        configFrom: this.configFrom(file),
        fallbackDir: root ?? (isAbsolute(file) ? dirname(file) : (this.roots[0] ?? process.cwd())),
        root,
        others: this.othersOf(uri, root),
        openFiles: this.docs.all().map((d) => fileOf(d.uri)),
        workspaceContext: this.settings.workspaceContext,
        maxDiagnostics: this.settings.maxDiagnostics,
      };
      const reply = await this.lints.lint(request);
      if (reply.status === 'stale') return;
      for (const m of reply.messages)
        // A notification, not showMessageRequest: nothing to answer, and no client round trip to wait for.
        void this.connection.sendNotification(this.lsp.ShowMessageNotification.type, {
          type: m.type === 'error' ? this.lsp.MessageType.Error : this.lsp.MessageType.Warning,
          message: `shipshape: ${m.message}`,
        });
      if (reply.configFile && !this.clientWatchesFiles) this.watchDir(dirname(reply.configFile));
      next = {
        findings: reply.findings,
        objects: reply.objects,
        rules: new Map(reply.rules.map((r) => [r.id, r])),
      };
      hidden = reply.hidden;
    }
    // A newer text arrived (its lint is scheduled) or the document was closed: do not publish this one.
    if (this.docs.get(uri)?.version !== version || this.state.get(uri) !== st) return;
    st.version = version;
    Object.assign(st, next);
    st.diagnostics = next.findings.map((f, index) => toDiagnostic(f, { version, index }));
    if (hidden > 0) st.diagnostics.push(summaryDiagnostic(hidden, this.settings.maxDiagnostics));
    await this.connection.sendDiagnostics({ uri, version, diagnostics: st.diagnostics });
  }

  /** The index of the finding behind a diagnostic the client sent back. */
  private findingOf(st: DocState, d: Diagnostic): number {
    const data = d.data as Partial<DiagnosticData> | undefined;
    if (data && data.version === st.version && typeof data.index === 'number') {
      const f = st.findings[data.index];
      if (f && f.ruleId === d.code) return data.index;
    }
    const i = st.diagnostics.findIndex(
      (x) =>
        x.code === d.code &&
        x.range.start.line === d.range.start.line &&
        x.range.start.character === d.range.start.character &&
        x.range.end.line === d.range.end.line &&
        x.range.end.character === d.range.end.character,
    );
    return i < st.findings.length ? i : -1;
  }

  private edit(doc: TextDocument, e: OffsetEdit | undefined): WorkspaceEdit | undefined {
    if (!e) return undefined;
    const te = offsetsToTextEdit(doc, e);
    if (this.documentChanges)
      return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: [te] }] };
    return { changes: { [doc.uri]: [te] } };
  }

  private codeActions(p: CodeActionParams): CodeAction[] {
    const doc = this.docs.get(p.textDocument.uri);
    const st = this.state.get(p.textDocument.uri);
    if (!doc || !st || st.version !== doc.version) return [];
    const kinds = this.lsp.CodeActionKind;
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const text = doc.getText();
    const file = st.file;
    const comments = acceptsComments(file, text);
    const out: CodeAction[] = [];
    if (wants(kinds.QuickFix)) {
      for (const d of p.context.diagnostics) {
        if (d.source !== 'shipshape') continue;
        const index = this.findingOf(st, d);
        const f = st.findings[index];
        if (!f?.location) continue;
        if (f.fix) {
          const def = st.rules.get(f.ruleId);
          const edit = this.safeEdit(doc, () => fixText(file, text, [f], true));
          if (edit)
            out.push({
              title: fixTitle(f, def),
              kind: kinds.QuickFix,
              diagnostics: [d],
              isPreferred: f.fix.safety === 'safe',
              edit,
            });
        }
        if (comments) {
          out.push({
            title: `Suppress ${f.ruleId} on this line (shipshape-disable-next-line comment)`,
            kind: kinds.QuickFix,
            diagnostics: [d],
            edit: this.edit(doc, suppressLineEdit(text, f.location.start.line, f.ruleId))!,
          });
        }
        const object = st.objects[index];
        if (object) {
          const edit = this.safeEdit(doc, () => suppressObjectText(file, text, f, object));
          const name = f.resource.name ? ` ${f.resource.name}` : '';
          if (edit)
            out.push({
              title: `Suppress ${f.ruleId} for ${f.resource.kind}${name} (shipshape.dev/ignore annotation)`,
              kind: kinds.QuickFix,
              diagnostics: [d],
              edit,
            });
        }
      }
    }
    const fixAll = `${kinds.SourceFixAll}.shipshape`;
    // Source actions only when asked for (`only`), as editors do on save or from the Source Action menu.
    if (only !== undefined && wants(fixAll)) {
      const safe = st.findings.filter((f) => f.fix?.safety === 'safe');
      const edit = safe.length > 0 ? this.safeEdit(doc, () => fixText(file, text, safe, false)) : undefined;
      if (edit) out.push({ title: 'Fix all safely fixable shipshape problems', kind: fixAll, edit });
    }
    return out;
  }

  /** Compute an edit; a fix that throws (a shape the splicer cannot handle) offers no action rather than failing the request. */
  private safeEdit(doc: TextDocument, after: () => string): WorkspaceEdit | undefined {
    try {
      return this.edit(doc, minimalEdit(doc.getText(), after()));
    } catch (err) {
      this.connection.console.warn(`shipshape: cannot compute an edit: ${(err as Error).message}`);
      return undefined;
    }
  }

  private hover(p: HoverParams): Hover | null {
    const st = this.state.get(p.textDocument.uri);
    if (!st) return null;
    const hits: Finding[] = [];
    let range: Diagnostic['range'] | undefined;
    st.findings.forEach((f, i) => {
      const d = st.diagnostics[i]!;
      if (!inRange(d.range, p.position)) return;
      hits.push(f);
      range ??= d.range;
    });
    if (hits.length === 0) return null;
    return { contents: { kind: 'markdown', value: hoverMarkdown(hits, st.rules) }, range };
  }

  dispose(): void {
    this.disposed = true;
    for (const st of this.state.values()) if (st.timer) clearTimeout(st.timer);
    if (this.othersTimer) clearTimeout(this.othersTimer);
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    this.lints?.dispose();
  }
}

function fixTitle(f: Finding, def: RuleInfo | undefined): string {
  const what = def?.fix?.description?.trim().replace(/\.$/, '') ?? "apply the rule's fix";
  const unsafe = f.fix?.safety === 'unsafe' ? ' (unsafe: review the change)' : '';
  return `Fix ${f.ruleId}: ${what}${unsafe}`;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** shipshape's cache folder (schemaLocations downloads); default from the process environment. */
  cacheDir?: string;
}

/**
 * Start the language server on stdio (or the given streams). Resolves once it is listening; the
 * process exits when the client sends `exit` or closes the input stream.
 */
export async function startServer(options: StartOptions = {}): Promise<void> {
  const lsp = await import('vscode-languageserver/node');
  const { TextDocument } = await import('vscode-languageserver-textdocument');
  // stdout carries the protocol: anything logged through console goes to stderr instead.
  console.log = console.info = console.warn = console.error;
  // A failed request must not take the editor's linter down with it.
  process.on('unhandledRejection', (err) => console.error('shipshape lsp: unhandled rejection:', err));
  const connection = lsp.createConnection(options.input ?? process.stdin, options.output ?? process.stdout);
  const cacheDir = options.cacheDir ?? userCacheDir(process.env, homedir());
  new ShipshapeServer(lsp, connection, lsp.TextDocuments, TextDocument, cacheDir);
  connection.listen();
}
