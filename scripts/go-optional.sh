#!/usr/bin/env bash
# Regenerates src/schema/go-optional.generated.ts: the OpenAPI-required fields the real kube-apiserver
# accepts absent (test/proof/go-optional.proof.ts asks it). The proof suite checks it is fresh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/e2e-setup.sh
GO_OPTIONAL_WRITE=1 npx vitest run --config vitest.proof.config.mjs test/proof/go-optional.proof.ts || true
npx prettier --write src/schema/go-optional.generated.ts >/dev/null
npx vitest run --config vitest.proof.config.mjs test/proof/go-optional.proof.ts
