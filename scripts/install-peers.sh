#!/usr/bin/env bash
# Installs the peer tools that bench/peers.bench.mjs and the differential test compare shipshape
# against, at pinned versions, into .cache/peers (never a project dependency). Idempotent: a tool
# whose binary is already there is skipped. Builds run one at a time under `nice`.
#
# Usage: scripts/install-peers.sh [tool ...]   (default: every tool; e.g. `kubectl-validate`)
# Env:   PEERS_STRICT=1 makes any failed install fatal (CI uses it for the tools the proof suite
#        needs: `PEERS_STRICT=1 scripts/install-peers.sh kubectl-validate`).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="$ROOT/.cache/peers/bin"
NODE_PREFIX="$ROOT/.cache/peers/node"
mkdir -p "$BIN" "$NODE_PREFIX"

# name|go package@version. Versions are the newest the Go module proxy serves (go list -m -versions).
GO_PEERS=(
  "kubeconform|github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"
  "kube-score|github.com/zegl/kube-score/cmd/kube-score@v1.20.0"
  "conftest|github.com/open-policy-agent/conftest@v0.71.1"
  "kubectl-validate|sigs.k8s.io/kubectl-validate@v0.0.4"
  # Not a peer: the load generator of bench/webhook.bench.mjs (open-loop, constant rate, HTTPS).
  "vegeta|github.com/tsenart/vegeta/v12@v12.13.0"
  # v0.7.6 is the newest kube-linter the proxy builds (newer tags need a module it refuses).
  "kube-linter|github.com/stackrox/kube-linter/cmd/kube-linter@v0.7.6"
  # The proxy answers 403 "not available" for every version of this module, so it cannot be built
  # here (recorded in docs/benchmarks.md). Kept so the script says so instead of forgetting it.
  "polaris|github.com/fairwindsops/polaris/v9@v9.6.1"
)
MONOKLE_VERSION=0.33.0

want() {
  [ $# -eq 0 ] && return 0
  local t
  for t in "${SELECTED[@]}"; do [ "$t" = "$1" ] && return 0; done
  return 1
}
SELECTED=("$@")
failed=()

for entry in "${GO_PEERS[@]}"; do
  name=${entry%%|*}
  pkg=${entry#*|}
  [ ${#SELECTED[@]} -gt 0 ] && ! want "$name" && continue
  if [ -x "$BIN/$name" ]; then
    echo "peers: $name present"
    continue
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "peers: go not found: cannot build $name" >&2
    failed+=("$name")
    continue
  fi
  echo "peers: building $name ($pkg)"
  # GOFLAGS=-mod=mod is not set on purpose: a module with replace directives in its go.mod fails
  # `go install pkg@version` and we record that rather than patching it.
  if ! GOBIN="$BIN" nice -n 15 go install "$pkg" 2>"$ROOT/.cache/peers/$name.log"; then
    echo "peers: $name FAILED (log: .cache/peers/$name.log):" >&2
    tail -5 "$ROOT/.cache/peers/$name.log" >&2
    failed+=("$name")
  fi
done

if [ ${#SELECTED[@]} -eq 0 ] || want monokle; then
  if [ -f "$NODE_PREFIX/node_modules/@monokle/validation/package.json" ]; then
    echo "peers: @monokle/validation present"
  else
    echo "peers: installing @monokle/validation@$MONOKLE_VERSION"
    if ! nice -n 15 npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --no-save \
      "@monokle/validation@$MONOKLE_VERSION" >"$ROOT/.cache/peers/monokle.log" 2>&1; then
      echo "peers: @monokle/validation FAILED (log: .cache/peers/monokle.log)" >&2
      failed+=(monokle)
    fi
  fi
fi

# kubeconform's schemas are generated offline from ours by scripts/kubeconform-schemas.mjs, which
# bench/peers.bench.mjs runs (it needs `npm run build` first for the enum overlays).

if [ ${#failed[@]} -gt 0 ]; then
  echo "peers: not installed: ${failed[*]}" >&2
  [ "${PEERS_STRICT:-0}" = 1 ] && exit 1
fi
exit 0
