#!/usr/bin/env bash
# Generate (default) or freshness-check the bundled Kubernetes schemas in schemas/kubernetes.
# Usage: scripts/schemas.sh [generate|check]
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-generate}"
cd tools/schemagen
case "$mode" in
  generate) exec go run . -out ../../schemas/kubernetes ;;
  check) exec go run . -check ../../schemas/kubernetes ;;
  *)
    echo "usage: scripts/schemas.sh [generate|check]" >&2
    exit 2
    ;;
esac
