/** The shape of .shipshape.yaml (schemas/config.schema.json is the published contract). */
import type { PodSpecConfig } from '../engine/pod-kinds.js';
import type { RuleSetting } from '../engine/compile.js';
import type { Severity } from '../engine/types.js';
import type { PolicyConfig } from '../policy/setup.js';

export interface Exemption {
  /** Rule ids, or "*" for every rule. */
  rules: string[];
  namespaces?: string[];
  kinds?: string[];
  /** Glob patterns (`*`, `?`) over metadata.name. */
  names?: string[];
  /** Glob patterns over file paths, relative to the config file's folder. */
  paths?: string[];
  reason?: string;
}

export interface Config {
  kubernetesVersion?: string;
  strict?: boolean;
  ignoreMissingSchemas?: boolean;
  failSeverity?: Severity;
  /** Warnings allowed before the run fails; -1 means no limit. */
  maxWarnings?: number;
  presets?: string[];
  rules?: Record<string, RuleSetting>;
  ignorePaths?: string[];
  exemptions?: Exemption[];
  crds?: string[];
  schemaLocations?: string[];
  /** More pod-bearing kinds: where their pod specs are (docs/pod-kinds.md). */
  podSpecs?: PodSpecConfig[];
  /** Allow suppressions written in manifests (annotations, comments). Default true. */
  inlineConfig?: boolean;
  /** Rego policies (`opa build -t wasm` output); paths relative to the config file. */
  policies?: PolicyConfig[];
  /** `shipshape serve`: the admission webhook (docs/webhook.md). */
  webhook?: WebhookConfig;
  /** Declarative mutations, applied by `shipshape fix` and `/mutate` before the rules' fixes (ADR 0015). */
  mutations?: MutationConfig[];
}

/** Which objects a mutation applies to: every constraint given must hold (all objects without one). */
export interface MutationMatch {
  kinds?: string[];
  /** Exact namespaces (an object without one is in `default`), as in exemptions. */
  namespaces?: string[];
  /** Glob patterns (`*`, `?`) over metadata.name. */
  names?: string[];
  /** The object's own labels must match. */
  selector?: LabelSelectorConfig;
}

/** Where a `set`/`remove` path starts: the object, each pod template, each pod spec, each container. */
export type MutationScope = 'object' | 'podTemplate' | 'podSpec' | 'container';

/** One mutation: a match and exactly one action (docs/webhook.md, Mutations). */
export interface MutationConfig {
  /** Shown in notes and logs; default `mutation-<n>` (its 1-based place in the list). */
  name?: string;
  match?: MutationMatch;
  /** Labels added when missing, on the object and (unless `podTemplates: false`) its pod templates. */
  addLabels?: Record<string, string>;
  /** Annotations added when missing, like `addLabels`. */
  addAnnotations?: Record<string, string>;
  /** Labels/annotations also go on the pod templates of workloads (default true). */
  podTemplates?: boolean;
  /** Set a field when it is absent (or null). */
  set?: { path: string; value: unknown; in?: MutationScope };
  /** Remove a field when it is present. */
  remove?: { path: string; in?: MutationScope };
  /** Replace a value that is present and different (default false: only absent ones are added). */
  overwrite?: boolean;
}

/** What the webhook does with a finding: refuse the request, warn the client, or only log it. */
export type WebhookAction = 'deny' | 'warn' | 'audit';

/** Kubernetes label selector (matchLabels AND matchExpressions). */
export interface LabelSelectorConfig {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** The `webhook:` section (docs/webhook.md has every field with its default). */
export interface WebhookConfig {
  /** Action per severity (default error: deny, warn: warn, info: audit) and per rule (wins). */
  actions?: {
    error?: WebhookAction;
    warn?: WebhookAction;
    info?: WebhookAction;
    rules?: Record<string, WebhookAction>;
  };
  /** Namespaces never evaluated (globs); default kube-system and the webhook's own namespace. */
  exemptNamespaces?: string[];
  /** Evaluate only objects whose labels match (checked on the new and, for UPDATE, the old object). */
  objectSelector?: LabelSelectorConfig;
  /** Evaluate only in namespaces whose name matches one of these globs (default: all). */
  namespaces?: string[];
  /** Honour suppression annotations on admitted objects (default false: administrators decide). */
  inlineConfig?: boolean;
  /** On UPDATE, act only on findings the update introduced (default false). */
  onlyNewFindingsOnUpdate?: boolean;
  /**
   * Skip Pods, ReplicaSets and Jobs that a built-in controller made from a checked template: only when
   * the request's userInfo is that controller's kube-system service account (default true, ADR 0010).
   */
  skipControllerPods?: boolean;
  /**
   * More subresources to evaluate (e.g. resize); ephemeralcontainers is always evaluated, others are
   * allowed unevaluated (default none).
   */
  subresources?: string[];
  /** Answer of /validate when evaluation fails; keep it equal to failurePolicy (deny: Fail). Default deny. */
  onError?: 'allow' | 'deny';
  mutation?: {
    /** Answer of /mutate when evaluation fails (allow: no patch). Default allow, as failurePolicy Ignore. */
    onError?: 'allow' | 'deny';
    /** Operations that get fixes (default [CREATE]: fixing UPDATEs can hit immutable fields). */
    operations?: ('CREATE' | 'UPDATE')[];
  };
  /** Admission warnings returned at most (the rest are counted in a last warning). Default 20. */
  maxWarnings?: number;
  /** Longest warning in characters (the API server cuts at 256). Default 256. */
  maxWarningLength?: number;
  /** Time budget of one request in milliseconds; keep it below the webhook's timeoutSeconds. Default 2500. */
  deadlineMs?: number;
  /** Largest accepted request body in bytes. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Run the schema rule (k8s-schema) at admission too (default false: the API server already validated). */
  schemaValidation?: boolean;
}

/** A config or usage problem; the CLI prints it and exits 2. */
export class ConfigError extends Error {}
