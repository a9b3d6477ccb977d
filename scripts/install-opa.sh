#!/usr/bin/env bash
# Installs the pinned `opa` CLI into .cache/bin (git-ignored) with `go install`; skips when present.
# Usage: scripts/install-opa.sh   (prints the path of the opa binary on stdout)
set -euo pipefail

OPA_VERSION="v1.22.2"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="$root/.cache/bin"
opa="$bin_dir/opa"

installed_version() {
  "$opa" version 2>/dev/null | sed -n 's/^Version: *//p'
}

if [ -x "$opa" ] && [ "v$(installed_version)" = "$OPA_VERSION" ]; then
  echo "$opa"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-opa: the Go toolchain is needed to install opa $OPA_VERSION (https://go.dev/dl/)" >&2
  exit 1
fi

mkdir -p "$bin_dir"
# One install at a time (parallel test workers may all ask for opa); a stale lock expires.
lock="$root/.cache/opa-install.lock"
for _ in $(seq 1 900); do
  if mkdir "$lock" 2>/dev/null; then
    trap 'rmdir "$lock" 2>/dev/null || true' EXIT
    break
  fi
  sleep 1
  if [ -x "$opa" ] && [ "v$(installed_version)" = "$OPA_VERSION" ]; then
    echo "$opa"
    exit 0
  fi
done
echo "install-opa: go install github.com/open-policy-agent/opa@$OPA_VERSION -> $bin_dir" >&2
# CGO off: a static binary that does not depend on the host's C toolchain.
GOBIN="$bin_dir" CGO_ENABLED=0 go install "github.com/open-policy-agent/opa@$OPA_VERSION"

if [ "v$(installed_version)" != "$OPA_VERSION" ]; then
  echo "install-opa: $opa reports version '$(installed_version)', expected $OPA_VERSION" >&2
  exit 1
fi
echo "$opa"
