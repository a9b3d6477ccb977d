#!/usr/bin/env bash
# Builds the pinned binaries of the end-to-end test (`npm run e2e`) into .cache/bin: etcd,
# kube-apiserver and kubectl, from the versions pinned in tools/e2e/go.mod (Go module proxy).
# Idempotent: a binary is rebuilt only when its stamp (.cache/bin/.<name>.version) names another
# version. The first build takes several minutes and about 2 GiB of memory; later runs take a second.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BIN="$ROOT/.cache/bin"
mkdir -p "$BIN"

if ! command -v go >/dev/null 2>&1; then
  echo "e2e-setup: the Go toolchain is required (see tools/e2e/go.mod for the version)" >&2
  exit 1
fi

cd "$ROOT/tools/e2e"
K8S_VERSION="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
ETCD_VERSION="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"

# build NAME VERSION MODULE PACKAGE
build() {
  local name="$1" version="$2" module="$3" pkg="$4"
  local out="$BIN/$name" stamp="$BIN/.$name.version"
  if [ -x "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    return 0
  fi
  # A binary built by hand before stamps existed: trust its embedded module version.
  if [ -x "$out" ] && [ ! -f "$stamp" ] &&
    go version -m "$out" 2>/dev/null | grep -Eq "^[[:space:]]+(mod|dep)[[:space:]]+${module//./\\.}[[:space:]]+${version//./\\.}([[:space:]]|$)"; then
    echo "$version" >"$stamp"
    return 0
  fi
  echo "e2e-setup: building $name $version (the first build takes minutes)" >&2
  go build -trimpath -o "$out.tmp" "$pkg"
  mv -f "$out.tmp" "$out"
  echo "$version" >"$stamp"
}

build etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3
build kube-apiserver "$K8S_VERSION" k8s.io/kubernetes k8s.io/kubernetes/cmd/kube-apiserver
build kubectl "$K8S_VERSION" k8s.io/kubernetes k8s.io/kubernetes/cmd/kubectl

echo "e2e-setup: etcd $ETCD_VERSION, kube-apiserver and kubectl $K8S_VERSION in .cache/bin" >&2
# helm, for the chart install scenario (test/charts/shipshape-chart.e2e.ts); a no-op once installed.
bash "$ROOT/scripts/install-test-tools.sh" helm
