#!/usr/bin/env bash
# Writes tools/apiservers/<minor>/go.mod for the kube-apiserver of that minor (the patch release the
# bundled schemas come from, schemas/kubernetes/index.json). Usage: tools/apiservers/gen.sh 1.36
set -euo pipefail
cd "$(dirname "$0")"
minor="$1"
version="$(node -p "require('../../schemas/kubernetes/index.json').versions['$minor']")"
staging="v0.${version#v1.}"
mkdir -p "$minor"
cd "$minor"
cat >tools.go <<GO
//go:build tools

// Package tools pins the kube-apiserver $version that the differential test runs as a second oracle
// (scripts/apiservers.sh builds it into .cache/bin/kube-apiserver-$minor).
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
rm -f go.mod go.sum
go mod init "shipshape/tools/apiservers/$minor" >/dev/null 2>&1
# k8s.io/kubernetes names its staging modules v0.0.0: pin every one to the release's tag.
mods="$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(require("fs").readFileSync(JSON.parse(s).GoMod,"utf8")))')"
echo "require k8s.io/kubernetes $version" >>go.mod
echo "replace (" >>go.mod
echo "$mods" | grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' | awk '{print $1}' | sort -u | while read -r m; do
  echo "	$m => $m $staging" >>go.mod
done
echo ")" >>go.mod
go mod tidy >/dev/null
echo "tools/apiservers/$minor: k8s.io/kubernetes $version"
