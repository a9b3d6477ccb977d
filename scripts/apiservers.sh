#!/usr/bin/env bash
# Builds the kube-apiserver of older Kubernetes minors (tools/apiservers/<minor>/go.mod, written by
# tools/apiservers/gen.sh) into .cache/bin/kube-apiserver-<minor>, for the differential test's
# per-version table (`npm run differential -- --apiserver 1.36`). Idempotent, like e2e-setup.sh.
# Usage: scripts/apiservers.sh [minor ...]   (default: every minor in tools/apiservers)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BIN="$ROOT/.cache/bin"
mkdir -p "$BIN"
minors=("$@")
if [ ${#minors[@]} -eq 0 ]; then
  for d in tools/apiservers/*/; do minors+=("$(basename "$d")"); done
fi
for minor in "${minors[@]}"; do
  dir="$ROOT/tools/apiservers/$minor"
  [ -f "$dir/go.mod" ] || { echo "apiservers: no tools/apiservers/$minor/go.mod (run tools/apiservers/gen.sh $minor)" >&2; exit 1; }
  version="$(cd "$dir" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
  out="$BIN/kube-apiserver-$minor"
  stamp="$BIN/.kube-apiserver-$minor.version"
  if [ -x "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then continue; fi
  echo "apiservers: building kube-apiserver $version (minutes)" >&2
  (cd "$dir" && go build -trimpath -o "$out.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
  mv -f "$out.tmp" "$out"
  echo "$version" >"$stamp"
done
