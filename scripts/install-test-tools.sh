#!/usr/bin/env bash
# Installs the pinned real clients the integration tests drive: helm, kustomize and actionlint
# (go install into .cache/bin), pre-commit (pip, into the project venv .cache/venv) and Debian's
# Neovim (apt-get, for the editor snippet test of docs/editors.md). Idempotent:
# a tool whose stamp file names the pinned version is skipped. CI runs this before the tests.
# Usage: scripts/install-test-tools.sh [helm|kustomize|actionlint|pre-commit|neovim ...]   (default: all)
set -euo pipefail

HELM_VERSION="v3.22.0"
KUSTOMIZE_VERSION="v5.8.1"
ACTIONLINT_VERSION="v1.7.12"
PRE_COMMIT_VERSION="4.6.2"

root="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="$root/.cache/bin"
venv="$root/.cache/venv"
mkdir -p "$bin_dir"

log() { echo "install-test-tools: $*" >&2; }

# go_tool NAME VERSION PACKAGE: go install PACKAGE@VERSION into .cache/bin unless the stamp matches.
# A stamp file is used instead of `NAME version`, because binaries built by `go install` do not
# always carry the release version (helm and kustomize set it through -ldflags in their releases).
go_tool() {
  local name="$1" version="$2" pkg="$3"
  local stamp="$bin_dir/.$name.version"
  if [ -x "$bin_dir/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
    log "$name $version already installed"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "the Go toolchain is needed to install $name $version (https://go.dev/dl/)"
    return 1
  fi
  log "go install $pkg@$version -> $bin_dir"
  # CGO off: static binaries that do not depend on the host's C toolchain.
  GOBIN="$bin_dir" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "$pkg@$version"
  echo "$version" >"$stamp"
}

install_pre_commit() {
  local stamp="$venv/.pre-commit.version"
  if [ -x "$venv/bin/pre-commit" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$PRE_COMMIT_VERSION" ]; then
    log "pre-commit $PRE_COMMIT_VERSION already installed"
    return 0
  fi
  if [ ! -x "$venv/bin/python" ]; then
    log "python3 -m venv $venv"
    python3 -m venv "$venv"
  fi
  log "pip install pre-commit==$PRE_COMMIT_VERSION -> $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
  echo "$PRE_COMMIT_VERSION" >"$stamp"
}

# install_neovim: Debian's neovim package (0.7 on bookworm) when no nvim is on PATH.
install_neovim() {
  if command -v nvim >/dev/null 2>&1; then
    log "nvim already installed ($(nvim --version | head -1))"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "nvim is needed by test/integrations/neovim.test.ts: install Neovim 0.7 or later"
    return 1
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  log "apt-get install neovim"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends neovim >/dev/null
}

tools=("$@")
if [ "${#tools[@]}" -eq 0 ]; then
  tools=(pre-commit actionlint kustomize helm neovim)
fi

for tool in "${tools[@]}"; do
  case "$tool" in
    helm) go_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm ;;
    kustomize) go_tool kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 ;;
    actionlint) go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint ;;
    pre-commit) install_pre_commit ;;
    neovim) install_neovim ;;
    *)
      log "unknown tool '$tool' (helm, kustomize, actionlint, pre-commit, neovim)"
      exit 2
      ;;
  esac
done
