/**
 * The composition root: a resolved config becomes compiled rules, a schema registry with CRDs,
 * suppressions and one fix loop. The CLI, the language server, the webhook and the library are
 * short callers of `openLinter`; behaviour they must share lives here, once.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, type Config } from '../config/config.js';
import { exemptionSuppressor } from '../config/exemptions.js';
import { compileMutations } from '../config/mutations.js';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.js';
import { refOf } from '../engine/k8s/object.js';
import { planMutations, type PlannedOp } from '../engine/mutate.js';
import { patchedCopy } from '../engine/patch.js';
import type { CompiledRule, RuleDefinition } from '../engine/rule.js';
import { lint } from '../engine/run.js';
import { aliasTable, type AliasTable } from '../engine/suppress.js';
import type { Finding, KubeObject, Resource, SourceProblem } from '../engine/types.js';
import { compileWithPolicies } from '../policy/rule-set.js';
import { bundledSchemas } from '../schema/bundled.js';
import { loadFromLocations } from '../schema/locations.js';
import { configWorkloads, crdWorkloads, DEFAULT_KINDS } from '../engine/pod-kinds.js';
import type { KindTable, WorkloadKind } from '../engine/kinds.js';
import { crdSourceProblems } from '../schema/crd.js';
import { SchemaRegistry } from '../schema/registry.js';
import { decodeSource, type DecodedSource, type SourceEncoding } from '../source/decode.js';
import { applyFixes } from '../source/fix.js';
import { parseSource } from '../source/parse.js';
import { Suppressor, type SuppressHook } from '../source/suppressions.js';
import { fixUntilStable } from './fix-loop.js';
import {
  collectInputs,
  fsReason,
  ignoreMatcher,
  InputError,
  readInputFile,
  type InputProblem,
  type Inputs,
  type SkippedInput,
} from './inputs.js';
import { mayHoldObjects, NO_OBJECT_REASON } from './manifest-files.js';

/** What a linter is opened with besides the config. */
export interface LinterDeps {
  /** Folder the config's relative paths (crds, policies, exemptions, ignorePaths) resolve against. */
  baseDir: string;
  /** Folder the paths given to {@link Linter.lintFiles} resolve against (default `baseDir`). */
  cwd?: string;
  /**
   * shipshape's cache folder; schemas fetched from `schemaLocations` URLs go to its `schemas/`.
   * Front ends pass {@link userCacheDir} of their injected environment; the default is the process's.
   */
  cacheDir?: string;
  /** Packages whose entrypoints user policies evaluate (--policy-namespace); default all. */
  policyNamespaces?: readonly string[];
  /**
   * Read an input file's bytes (default {@link readInputFile}: regular files only, size-capped).
   * A throw becomes an `unreadable-file` finding for that file; the run goes on.
   */
  readFile?: (absPath: string) => Buffer;
}

/** How far a run is: files parsed so far, resources found, and whether the rules are running. */
export interface LintProgress {
  phase: 'read' | 'lint';
  files: number;
  totalFiles: number;
  resources: number;
}

/** A file whose text the fixes changed. */
export interface FixedFile {
  file: string;
  before: string;
  after: string;
  /** The encoding the file was read in, to write `after` back in (`encodeSource`). */
  encoding: SourceEncoding;
}

/** An input: a file's decoded bytes, or a text (editor buffers, standard input). */
export type InputText = string | DecodedSource;

const textOf = (s: InputText): string => (typeof s === 'string' ? s : s.text);

/** Options of a lint over texts (files, editor buffers). */
export interface TextLintOptions {
  /** Report disable directives that suppressed nothing. */
  reportUnusedDirectives?: boolean;
  /** Resources that set-scoped rules see but that are not linted (the editor's workspace). */
  context?: readonly Resource[];
  /** Called as files are parsed and when the rules start. */
  onProgress?: (p: LintProgress) => void;
}

export interface LintFilesOptions extends TextLintOptions {
  /** Read standard input (asked for with `-`). */
  readStdin?: () => Promise<string>;
  /** Apply fixes: 'safe', or 'unsafe' to include unsafe ones. */
  fix?: 'safe' | 'unsafe';
  /** With `fix`: whether a file may be fixed (the CLI refuses read-only files); default all. */
  fixable?: (file: string) => boolean;
  /** Skip named files that are not manifests too, as the walk does (the pre-commit hook). */
  skipNonManifests?: boolean;
  /**
   * The inputs, already collected (without `ignorePaths`) by the caller, instead of `paths`: the CLI
   * collects once and hands each linter the files its config governs. The config's `ignorePaths`
   * then apply to the walked and globbed ones here.
   */
  collected?: Inputs;
}

export interface LintOutcome {
  findings: Finding[];
  rules: RuleDefinition[];
  files: number;
  resources: number;
  /** With `fix`: the files whose text changed (not yet written). */
  fixed: FixedFile[];
  /** With `fix`: one line per fix that was left out, saying where and why (`file:line:col: rule: …`). */
  fixNotes: string[];
  /** Files the walk left out as not manifests (not counted in `files`), with the reason. */
  skipped: SkippedInput[];
}

/** One input text, with its parse when the caller has it already. */
export interface Source {
  file: string;
  text: InputText;
  parsed?: { resources: Resource[]; problems: SourceProblem[] };
}

/** Options of a lint of one object without source text (admission). */
export interface ObjectLintOptions {
  /** The rules to run (default all of the linter's). */
  rules?: readonly CompiledRule[];
  suppress?: SuppressHook;
}

export interface Linter {
  readonly config: ResolvedConfig;
  readonly baseDir: string;
  /** Every rule definition (built-in and the users' policies), enabled or not. */
  readonly defs: RuleDefinition[];
  /** The enabled rules, compiled. */
  readonly rules: CompiledRule[];
  readonly registry: SchemaRegistry;
  readonly aliases: AliasTable;
  /** Config exemptions as a suppression hook. */
  readonly exemptions: SuppressHook | undefined;
  /** Whether the config's `ignorePaths` exclude this absolute path. */
  readonly isIgnored: (abs: string) => boolean;
  /** Register the CRDs among `resources` (each parsed object once). */
  registerCrds(resources: readonly Resource[]): void;
  /** Load schemas from `schemaLocations` for the types of `resources` not looked up yet. */
  loadSchemas(resources: readonly Resource[]): Promise<void>;
  /** A fresh suppressor: config exemptions, and inline directives unless `inline` is false. */
  suppressor(inline?: boolean): Suppressor;
  /**
   * Lint sources already read (and parsed, when the caller keeps parses, as the editor does); CRDs
   * among them and the context are registered. Call {@link Linter.loadSchemas} first when the
   * config has `schemaLocations`.
   */
  lintSources(
    sources: readonly Source[],
    options?: TextLintOptions,
  ): { findings: Finding[]; resources: Resource[] };
  /** Parse and lint texts (file → text), CRDs in them registered; schemaLocations loaded first. */
  lintTexts(
    texts: ReadonlyMap<string, InputText>,
    options?: TextLintOptions,
  ): Promise<{ findings: Finding[]; resources: Resource[] }>;
  /** Find the inputs (files, directories, globs, `-`), read, lint and optionally fix them. */
  lintFiles(paths: readonly string[], options?: LintFilesOptions): Promise<LintOutcome>;
  /** Apply fixes to texts (those `fixable` allows) until stable; the findings are those of the last lint. */
  fixTexts(
    texts: ReadonlyMap<string, InputText>,
    findings: Finding[],
    options: {
      unsafe: boolean;
      fixable?: (file: string) => boolean;
      /** Called for each fix left out, with the reason. */
      onSkip?: (finding: Finding, why: string) => void;
      /** The resources of `texts` as linted for `findings` (the mutations plan on them; else parsed again). */
      resources?: readonly Resource[];
    } & TextLintOptions,
  ): { texts: Map<string, InputText>; findings: Finding[] };
  /** Lint one object (no positions, no set-scoped rules, unknown schemas ignored): admission. */
  lintObject(object: KubeObject, options?: ObjectLintOptions): Finding[];
  /**
   * The object with the safe fixes of `findings` applied until stable: `object` itself when none
   * changes it, else a new object that shares what the fixes leave alone with `object` (which is
   * untouched; do not change the result in place).
   */
  fixObject(object: KubeObject, findings: Finding[], relint: (o: KubeObject) => Finding[]): KubeObject;
  /** The operations the config's mutations make on `object`, in order (none when it is already so). */
  planMutations(object: KubeObject): PlannedOp[];
}

/** Rule ids of the findings that carry a mutation's operation through the fix machinery (never reported). */
export const MUTATION_PREFIX = 'mutation:';

/** A finding that carries one mutation operation on a resource read from text, to {@link applyFixes}. */
function mutationFinding(r: Resource & { source: NonNullable<Resource['source']> }, p: PlannedOp): Finding {
  const range = r.source.locate(p.op.path);
  const finding: Finding = {
    ruleId: `${MUTATION_PREFIX}${p.mutation}`,
    severity: 'info',
    category: 'hygiene',
    message: `mutation ${p.mutation}: ${p.description}`,
    resource: refOf(r.object),
    path: p.op.path,
    location: { file: r.source.file, document: r.source.document, start: range.start, end: range.end },
    fix: { safety: 'safe', patch: [p.op] },
    helpUri: '',
  };
  if (r.source.pointer) finding.location!.pointer = r.source.pointer;
  return finding;
}

/** The one CRD test: an apiextensions.k8s.io object of kind CustomResourceDefinition. */
export const isCrd = (r: Resource): boolean =>
  r.object.kind === 'CustomResourceDefinition' &&
  typeof r.object.apiVersion === 'string' &&
  r.object.apiVersion.startsWith('apiextensions.k8s.io/');

/** An input that could not be read, as the source problem behind its `unreadable-file` finding. */
function unreadable(p: InputProblem): SourceProblem {
  const at = { line: 1, column: 1 };
  return {
    ruleId: 'unreadable-file',
    message: `cannot read ${p.path}: ${p.reason}`,
    file: p.path,
    document: 1,
    start: at,
    end: at,
  };
}

/** An input's bytes as go-yaml reads them (UTF-16 with a BOM, invalid UTF-8 found). */
const decode = (file: string, bytes: Buffer): DecodedSource => decodeSource(file, bytes);

/** The user's cache folder for shipshape (XDG_CACHE_HOME, else ~/.cache), from the injected environment. */
export function userCacheDir(env: Record<string, string | undefined>, home: string): string {
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'shipshape');
}

/**
 * Open a linter for a config: compile the rules (built-in plus the users' Rego policies), load the
 * bundled schemas for the configured Kubernetes version and the config's CRDs, and build the
 * suppression hooks. Throws ConfigError / RuleConfigError / PolicyLoadError on a bad config.
 */
export async function openLinter(input: Config, deps: LinterDeps): Promise<Linter> {
  const config = resolveConfig(input);
  const { baseDir } = deps;
  const cwd = deps.cwd ?? baseDir;
  const readFile = deps.readFile ?? readInputFile;
  const reasonOf = (err: unknown) => (err instanceof InputError ? err.message : fsReason(err));
  /** A file the config names (CRDs): unreadable is a config error. */
  const readConfigured = (file: string): DecodedSource => {
    try {
      return decode(file, readFile(resolve(baseDir, file)));
    } catch (err) {
      throw new ConfigError(`cannot read ${file}: ${reasonOf(err)}`);
    }
  };

  const registry = new SchemaRegistry(bundledSchemas(), config.kubernetesVersion);
  const crdsSeen = new WeakSet<object>();
  // Pod-bearing kinds: the known ones, then those whose CRD embeds a PodSpec, then the config's.
  const crdPodKinds = new Map<string, WorkloadKind>();
  const configPodKinds = configWorkloads(config.podSpecs ?? []);
  let kinds: KindTable | undefined;
  const kindTable = (): KindTable => (kinds ??= DEFAULT_KINDS.with([...crdPodKinds, ...configPodKinds]));
  const registerCrds = (resources: readonly Resource[]) => {
    for (const r of resources)
      if (isCrd(r) && !crdsSeen.has(r.object)) {
        // Each parsed object once: registering again would drop the compiled check.
        crdsSeen.add(r.object);
        registry.registerCrd(r.object);
        for (const [key, kind] of crdWorkloads([r.object])) {
          crdPodKinds.set(key, kind);
          kinds = undefined;
        }
      }
  };
  // CRDs named by --crd / config register first; CRDs in the input register as they are parsed.
  // An unusable --crd CRD (malformed, v1beta1) is reported at its file, as it is not linted itself.
  const crdFileProblems: SourceProblem[] = [];
  if (config.crds.length > 0)
    for (const file of collectInputs(config.crds, baseDir, [], baseDir).files) {
      const { resources } = parseSource(file, readConfigured(file));
      registerCrds(resources);
      for (const r of resources) if (isCrd(r)) crdFileProblems.push(...crdSourceProblems(r));
    }

  const { defs, rules } = await compileWithPolicies(config, {
    baseDir,
    cwd,
    namespaces: deps.policyNamespaces,
  });
  const aliases = aliasTable(defs);
  const exemptions = exemptionSuppressor(config.exemptions, baseDir, cwd);
  const isIgnored = ignoreMatcher(config.ignorePaths, baseDir);
  const mutations = compileMutations(config.mutations);
  /** The mutations' operations on resources read from text, as fix carriers, in the order to apply them. */
  const mutationFindings = (resources: readonly Resource[]): Finding[] => {
    const out: Finding[] = [];
    for (const r of resources)
      if (r.source)
        for (const p of planMutations(r.object, mutations, kindTable()))
          out.push(mutationFinding(r as Resource & { source: NonNullable<Resource['source']> }, p));
    return out;
  };
  const suppressor = (inline = config.inlineConfig) => new Suppressor({ exemptions, inline, aliases });

  const locatedTypes = new Set<string>();
  const loadSchemas = async (resources: readonly Resource[]) => {
    if (config.schemaLocations.length === 0) return;
    const fresh = new Map<string, { apiVersion: string; kind: string }>();
    for (const r of resources) {
      const t = { apiVersion: String(r.object.apiVersion), kind: String(r.object.kind) };
      const key = `${t.apiVersion}/${t.kind}`;
      if (!locatedTypes.has(key)) fresh.set(key, t);
    }
    if (fresh.size === 0) return;
    for (const key of fresh.keys()) locatedTypes.add(key);
    await loadFromLocations(config.schemaLocations, [...fresh.values()], registry, {
      kubernetesVersion: registry.kubernetesVersion,
      strict: config.strict,
      cwd: baseDir,
      cacheDir: join(deps.cacheDir ?? userCacheDir(process.env, homedir()), 'schemas'),
    });
  };

  const parseAll = (
    sources: Iterable<Source>,
    total: number,
    options: TextLintOptions,
    unread: readonly SourceProblem[] = [],
  ) => {
    const resources: Resource[] = [];
    const problems: SourceProblem[] = [...unread];
    // A fresh suppressor each time, so that directive usage is exact.
    const sup = suppressor();
    let files = 0;
    for (const { file, text, parsed = parseSource(file, text) } of sources) {
      for (const r of parsed.resources) resources.push(r);
      for (const p of parsed.problems) problems.push(p);
      sup.addFile(file, textOf(text));
      options.onProgress?.({ phase: 'read', files: ++files, totalFiles: total, resources: resources.length });
    }
    return { resources, problems, sup, files };
  };
  const sourcesOf = (texts: ReadonlyMap<string, InputText>): Source[] =>
    [...texts].map(([file, text]) => ({ file, text }));

  const lintParsed = (parsed: ReturnType<typeof parseAll>, options: TextLintOptions) => {
    registerCrds(parsed.resources);
    if (options.context) registerCrds(options.context);
    options.onProgress?.({
      phase: 'lint',
      files: parsed.files,
      totalFiles: parsed.files,
      resources: parsed.resources.length,
    });
    const findings = lint(parsed.resources, {
      rules,
      schemas: registry,
      strict: config.strict,
      ignoreMissingSchemas: config.ignoreMissingSchemas,
      problems: parsed.problems,
      context: options.context,
      kinds: kindTable(),
      suppress: parsed.sup.hook,
    });
    if (options.reportUnusedDirectives) findings.push(...parsed.sup.unusedDirectives());
    return { findings, resources: parsed.resources };
  };

  const lintSources: Linter['lintSources'] = (sources, options = {}) =>
    lintParsed(parseAll(sources, sources.length, options), options);

  const lintTexts = async (
    texts: ReadonlyMap<string, InputText>,
    options: TextLintOptions = {},
    unread: readonly SourceProblem[] = [],
  ) => {
    const parsed = parseAll(sourcesOf(texts), texts.size, options, unread);
    await loadSchemas(parsed.resources);
    return lintParsed(parsed, options);
  };

  const fixTexts = (
    texts: ReadonlyMap<string, InputText>,
    findings: Finding[],
    options: Parameters<Linter['fixTexts']>[2],
    unread: readonly SourceProblem[] = [],
  ) => {
    const { unsafe, fixable = () => true, onSkip, resources, ...lintOptions } = options;
    const apply = (current: Map<string, InputText>, latest: readonly Finding[]) => {
      let next: Map<string, InputText> | undefined;
      for (const [file, source] of current) {
        const mine = latest.filter((f) => f.location?.file === file);
        if (mine.length === 0) continue;
        // A file with invalid bytes is never fixed (applyFixes returns its text unchanged).
        const fixed = applyFixes(source, mine, { unsafe, onSkip });
        if (fixed !== textOf(source) && fixable(file))
          (next ??= new Map(current)).set(
            file,
            typeof source === 'string' ? fixed : { ...source, text: fixed },
          );
      }
      return next;
    };
    // Fixes change no kinds, so the schemas located for the first lint serve the next ones.
    const relint = (current: Map<string, InputText>) =>
      lintParsed(parseAll(sourcesOf(current), current.size, lintOptions, unread), lintOptions).findings;
    // The mutations first, once, on the texts as they are; the rules' fixes are then computed on
    // the mutated texts, as validation judges the mutated object (ADR 0015).
    let start = new Map(texts);
    let latest = findings;
    if (mutations.length > 0) {
      const carriers = mutationFindings(
        resources ?? parseAll(sourcesOf(texts), texts.size, {}, unread).resources,
      );
      const mutated = carriers.length > 0 ? apply(start, carriers) : undefined;
      if (mutated) [start, latest] = [mutated, relint(mutated)];
    }
    const out = fixUntilStable(start, latest, { apply, relint });
    return { texts: out.value, findings: out.findings };
  };

  /** Inputs collected without ignores, with this config's `ignorePaths` applied as collectInputs would. */
  const withoutIgnored = (c: Inputs): Inputs => {
    const ignored = (f: string) => isIgnored(resolve(cwd, f));
    return {
      ...c,
      files: c.files.filter((f) => !(c.filtered.has(f) && ignored(f))),
      skipped: c.skipped.filter((s) => !ignored(s.path)),
    };
  };

  const lintFiles: Linter['lintFiles'] = async (paths, options = {}) => {
    const inputs = options.collected
      ? withoutIgnored(options.collected)
      : collectInputs(paths, cwd, config.ignorePaths, baseDir, {
          skipNonManifests: options.skipNonManifests,
        });
    const texts = new Map<string, InputText>();
    const unread = [...crdFileProblems, ...inputs.problems.map(unreadable)];
    const skipped = [...inputs.skipped];
    for (const file of inputs.files) {
      try {
        const source = decode(file, readFile(resolve(cwd, file)));
        // A walked YAML/JSON file without apiVersion or kind is some other tool's file.
        if (inputs.filtered.has(file) && !mayHoldObjects(source.text))
          skipped.push({ path: file, reason: NO_OBJECT_REASON });
        else texts.set(file, source);
      } catch (err) {
        unread.push(unreadable({ path: file, reason: reasonOf(err) }));
      }
    }
    if (inputs.stdin) {
      if (!options.readStdin) throw new ConfigError('standard input (-) is not available here');
      texts.set('-', await options.readStdin());
    }
    const result = await lintTexts(texts, options, unread);
    const fixed: FixedFile[] = [];
    const notes = new Set<string>();
    const onSkip = (f: Finding, why: string) => {
      const at = f.location ? `${f.location.file}:${f.location.start.line}:${f.location.start.column}` : '';
      notes.add(`${at}: ${f.ruleId}: fix not applied: ${why}`);
    };
    let findings = result.findings;
    if (options.fix) {
      const out = fixTexts(
        texts,
        findings,
        { ...options, unsafe: options.fix === 'unsafe', onSkip, resources: result.resources },
        unread,
      );
      findings = out.findings;
      for (const [file, after] of out.texts) {
        const before = texts.get(file)!;
        if (after !== before)
          fixed.push({
            file,
            before: textOf(before),
            after: textOf(after),
            encoding: typeof before === 'string' ? 'utf-8' : before.encoding,
          });
      }
    }
    return {
      findings,
      rules: defs,
      files: texts.size + unread.length,
      resources: result.resources.length,
      fixed,
      fixNotes: [...notes],
      skipped,
    };
  };

  const lintObject: Linter['lintObject'] = (object, options = {}) =>
    lint([{ object }], {
      rules: options.rules ?? rules,
      schemas: registry,
      strict: config.strict,
      // Custom resources without a known schema are not ours to refuse at admission.
      ignoreMissingSchemas: true,
      skipSetRules: true,
      kinds: kindTable(),
      suppress: options.suppress,
    }).filter((f) => !f.suppressed);

  const fixObject: Linter['fixObject'] = (object, findings, relint) => {
    // Copy-on-write, pass after pass: only what the fixes change is copied from `object`.
    const owned = new Set<object>();
    return fixUntilStable(object, findings, {
      apply: (current, latest) => {
        let next = current;
        let changed = false;
        for (const f of latest) {
          if (f.fix?.safety !== 'safe' || f.suppressed) continue;
          const r = patchedCopy(next, f.fix.patch, owned);
          if (!r.changed) continue;
          next = r.value; // the same object once its root is a copy of this call's
          changed = true;
        }
        return changed ? next : undefined;
      },
      relint,
    }).value;
  };

  return {
    config,
    baseDir,
    defs,
    rules,
    registry,
    aliases,
    exemptions,
    isIgnored,
    registerCrds,
    loadSchemas,
    suppressor,
    lintSources,
    lintTexts,
    lintFiles,
    fixTexts,
    lintObject,
    fixObject,
    planMutations: (object) => planMutations(object, mutations, kindTable()),
  };
}
