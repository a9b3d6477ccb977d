/**
 * The language server's lint work, off the request path: it runs in a worker thread
 * (src/lsp/worker.ts) while the server's own thread answers hover and code actions from what it
 * last published. Here live the projects per config file, the workspace manifests read for
 * cross-resource rules, the parses of open documents, the lint itself and the per-document cap.
 */
import type { Finding, KubeObject } from '../engine/types.js';
import { parseSource } from '../source/parse.js';
import { capFindings, type RuleInfo } from './diagnostics.js';
import {
  configFileFor,
  lintWithProject,
  loadProject,
  WorkspaceManifests,
  type Parsed,
  type Project,
} from './project.js';
import { dirname } from 'node:path';

/** An open document's text at one version. */
export interface OpenDoc {
  uri: string;
  /** Absolute path for file: URIs, else the URI itself. */
  file: string;
  version: number;
  text: string;
}

/** One lint of one document version. */
export interface LintRequest extends OpenDoc {
  /** Path the config file is looked up from (upward); undefined: the defaults. */
  configFrom?: string;
  /** Base folder of the defaults when no config file governs the document. */
  fallbackDir: string;
  /** Workspace folder of the document, when it lies in one. */
  root?: string;
  /** The other open manifests of that folder: context for cross-resource rules. */
  others: OpenDoc[];
  /** Every open document's file: their buffers win over the copies on disk. */
  openFiles: string[];
  /** Read the folder's manifests on disk for context. */
  workspaceContext: boolean;
  /** Findings kept for the editor; the rest are only counted. */
  maxDiagnostics: number;
}

/** A message for the user, shown once. */
export interface UserMessage {
  type: 'error' | 'warning';
  message: string;
}

export type LintReply =
  /** A newer version of the document (or its closing) overtook this lint: nothing to publish. */
  | { status: 'stale' }
  | {
      status: 'done';
      /** The document's unsuppressed findings, at most `maxDiagnostics` of them. */
      findings: Finding[];
      /** How many more there are. */
      hidden: number;
      /** Per kept finding, the object it belongs to (for the suppress-for-object action). */
      objects: Array<KubeObject | undefined>;
      /** The rules of the kept findings (hover text, fix titles). */
      rules: RuleInfo[];
      /** The config file that governs the document, if any. */
      configFile?: string;
      messages: UserMessage[];
    };

export interface LintServiceOptions {
  /** shipshape's cache folder (schemaLocations downloads). */
  cacheDir: string;
  /** The client reports file changes: workspace files are not stat'ed again on every lint. */
  clientWatchesFiles: boolean;
}

/** Let messages that arrived meanwhile (a newer version, a close) be handled before going on. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Configs, workspaces, parses and lints for the server; one per worker. */
export class LintService {
  private readonly projects = new Map<string, Promise<Project>>();
  private readonly configOf = new Map<string, string | undefined>();
  private readonly workspaces = new Map<string, Promise<WorkspaceManifests>>();
  private readonly reported = new Set<string>();
  /** Parses of open documents that other documents' lints read as context. */
  private readonly parses = new Map<string, { version: number; parsed: Parsed }>();
  /** The newest version of each document the server has told of. */
  private readonly newest = new Map<string, number>();

  constructor(private readonly o: LintServiceOptions) {}

  /** A document changed: a running lint of an older version stops at its next checkpoint. */
  newer(uri: string, version: number): void {
    if (version > (this.newest.get(uri) ?? -1)) this.newest.set(uri, version);
  }

  /** A document was closed: forget its parse; a running lint of it is dropped. */
  close(uri: string): void {
    this.newest.set(uri, -1);
    this.parses.delete(uri);
  }

  /** Files changed on disk; a config file among them reloads every project. */
  filesChanged(changes: ReadonlyArray<{ file: string; deleted: boolean }>, config: boolean): void {
    if (config) {
      this.projects.clear();
      this.configOf.clear();
      this.workspaces.clear();
      this.reported.clear();
      return;
    }
    for (const ws of this.workspaces.values())
      void ws.then((w) => {
        for (const c of changes) w.touch(c.file, c.deleted);
      });
  }

  private configFileOf(from: string): string | undefined {
    const dir = dirname(from);
    if (!this.configOf.has(dir)) this.configOf.set(dir, configFileFor(from));
    return this.configOf.get(dir);
  }

  private projectFor(configFrom: string | undefined, fallbackDir: string): Promise<Project> {
    const configFile = configFrom === undefined ? undefined : this.configFileOf(configFrom);
    const key = configFile ?? `defaults:${fallbackDir}`;
    let p = this.projects.get(key);
    if (!p) {
      p = loadProject(configFile, fallbackDir, this.o.cacheDir);
      this.projects.set(key, p);
    }
    return p;
  }

  private workspaceFor(root: string): Promise<WorkspaceManifests> {
    let ws = this.workspaces.get(root);
    if (!ws) {
      ws = this.projectFor(`${root}/.shipshape-workspace`, root).then((project) => {
        const w = new WorkspaceManifests(root, project.config.ignorePaths, project.baseDir);
        w.watched = this.o.clientWatchesFiles;
        return w;
      });
      this.workspaces.set(root, ws);
    }
    return ws;
  }

  /** The parse of an open document; kept for later lints only when `keep`. */
  private parsedOf(doc: OpenDoc, keep: boolean): Parsed {
    const cached = this.parses.get(doc.uri);
    if (cached?.version === doc.version) {
      if (!keep) this.parses.delete(doc.uri);
      return cached.parsed;
    }
    const r = parseSource(doc.file, doc.text);
    const parsed = { resources: r.resources, problems: r.problems };
    if (keep) this.parses.set(doc.uri, { version: doc.version, parsed });
    else this.parses.delete(doc.uri);
    return parsed;
  }

  /** Lint one document version; `stale` when a newer version or a close overtook it. */
  async lint(req: LintRequest): Promise<LintReply> {
    this.newest.set(req.uri, req.version);
    const stale = () => this.newest.get(req.uri) !== req.version;
    const messages: UserMessage[] = [];
    const project = await this.projectFor(req.configFrom, req.fallbackDir);
    const configKey = project.configFile ?? '';
    if (project.error && !this.reported.has(configKey)) {
      this.reported.add(configKey);
      messages.push({ type: 'error', message: `${project.error} (using the default configuration)` });
    }
    const done = (findings: Finding[], hidden: number, objects: Array<KubeObject | undefined>): LintReply => {
      const ids = new Set(findings.map((f) => f.ruleId));
      const rules = project.defs
        .filter((d) => ids.has(d.id))
        .map((d) => ({
          id: d.id,
          why: d.why,
          remediation: d.remediation,
          ...(d.fix?.description === undefined ? {} : { fix: { description: d.fix.description } }),
        }));
      return { status: 'done', findings, hidden, objects, rules, configFile: project.configFile, messages };
    };
    if (project.isIgnored(req.file)) {
      this.parses.delete(req.uri);
      return done([], 0, []);
    }

    const context = [];
    for (const other of req.others) for (const r of this.parsedOf(other, true).resources) context.push(r);
    if (req.root !== undefined && req.workspaceContext) {
      const ws = await this.workspaceFor(req.root);
      for (const r of await ws.resources(new Set(req.openFiles))) context.push(r);
    }
    if (stale()) return { status: 'stale' };

    // Other documents of the folder read this one as context: keep its parse only then.
    const parsed = this.parsedOf(req, req.others.length > 0);
    try {
      await project.linter.loadSchemas(parsed.resources);
    } catch (err) {
      messages.push({ type: 'warning', message: `schemaLocations: ${(err as Error).message}` });
    }
    await yieldToEvents();
    if (stale()) return { status: 'stale' };

    const all = lintWithProject(project, { file: req.file, text: req.text, parsed, context }).filter(
      (f) => !f.suppressed && f.location?.file === req.file,
    );
    if (stale()) return { status: 'stale' };
    const { kept, hidden } = capFindings(all, req.maxDiagnostics);
    // The object of each kept finding, found by its document and pointer in the source.
    const byPlace = new Map<string, KubeObject>();
    for (const r of parsed.resources)
      if (r.source) byPlace.set(`${r.source.document}:${r.source.pointer ?? ''}`, r.object);
    const objects = kept.map((f) =>
      f.location && f.resource.kind
        ? byPlace.get(`${f.location.document}:${f.location.pointer ?? ''}`)
        : undefined,
    );
    return done(kept, hidden, objects);
  }
}
