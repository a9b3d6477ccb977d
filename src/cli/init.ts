/** The commented starter configuration written by `shipshape init`. */
export const STARTER_CONFIG = `# shipshape configuration. Every key is optional; values shown are the defaults.
# Schema: schemas/config.schema.json (editors using yaml-language-server can validate this file).

# Kubernetes version whose schemas to validate against (default: the newest bundled, e.g. "1.37").
# kubernetesVersion: "1.37"

# Unknown fields are errors; duplicate keys are errors (warnings when false).
strict: true

# Skip resources whose apiVersion/kind has no known schema instead of reporting them.
ignoreMissingSchemas: false

# Exit with 1 when a finding is at or above this severity: error | warn | info.
failSeverity: error

# Rule presets to enable. "all" enables every rule.
presets:
  - recommended

# Per-rule severity (error | warn | info) or "off"; or { severity, options }.
rules: {}
#   missing-schema: warn

# Files and folders never linted (globs relative to this file).
ignorePaths:
  - "**/charts/**/templates/**"

# Suppress rules for matching objects; every field but "rules" is optional.
exemptions: []
#   - rules: [missing-schema]
#     namespaces: [kube-system]
#     kinds: [Deployment]
#     names: ["legacy-*"]
#     paths: ["vendor/**"]
#     reason: managed by the platform team

# CustomResourceDefinition files or folders whose schemas validate custom resources.
crds: []

# Extra JSON-schema locations in kubeconform naming (folders or URL templates).
schemaLocations: []

# Allow suppressions written in the manifests themselves (annotations, comments).
inlineConfig: true
`;
