/** `shipshape audit`: lint the live objects of a cluster (src/audit) and report them in any format. */
import { Option, type Command } from 'commander';
import { formatNames } from '../formatters/index.js';
import type { ProgramIO } from '../linter/io.js';
import type { AuditFlags } from './audit-action.js';

/** The formats of `audit` (the action checks them again: a value import of it would load it here). */
const AUDIT_FORMATS = [...formatNames, 'policyreport'] as const;

/** `--kinds a,b --kinds c` → [a, b, c]. */
const words = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''),
];
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Register `audit`; `done` receives the exit code. */
export function registerAuditCommand(program: Command, io: ProgramIO, done: (code: number) => void): void {
  program
    .command('audit')
    .description('lint the live objects of a cluster (read-only; uses your kubeconfig)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices([...AUDIT_FORMATS]).default('stylish'),
    )
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('-n, --namespace <name>', "namespace to audit (default: the context's namespace)")
    .option('-A, --all-namespaces', 'audit every namespace and the cluster-scoped objects')
    .option('--kinds <kinds>', 'only these kinds, e.g. Deployment,cronjobs.batch (repeatable)', words)
    .option('--exclude-kinds <kinds>', 'leave out these kinds (repeatable)', words)
    .option('--include-secrets', 'also read Secrets (never read otherwise; their values are never printed)')
    .option('--include-owned', 'also lint objects a controller manages (Pods of a ReplicaSet, …)')
    .option(
      '--include-bootstrap',
      "also lint the API server's own defaults (bootstrap RBAC roles and bindings, flow-control defaults)",
    )
    .option('--apply', 'with --format policyreport: create or update the reports in the cluster')
    .option('--page-size <n>', 'objects per list request', '500')
    .option(
      '--fail-severity <severity>',
      'exit 1 when a finding is at or above this severity (default: error)',
    )
    .option('-q, --quiet', 'report errors only')
    .option('-c, --config <file>', 'configuration file (default: .shipshape.yaml found upward)')
    .option('--no-config', 'ignore configuration files')
    .option('-k, --kubernetes-version <version>', 'target Kubernetes version for the schemas')
    .option('--no-strict', 'allow unknown fields')
    .option('--preset <name>', 'rule preset to enable (repeatable; default: recommended)', collect)
    .option('--rule <id=severity>', 'set a rule severity or turn it off (repeatable)', collect)
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output')
    .action(async (flags: AuditFlags, cmd: Command) => {
      // The cluster client, HTTP(S) and the audit code load only when `audit` runs.
      const { auditAction } = await import('./audit-action.js');
      done(await auditAction(flags, cmd, io));
    });
}
