//go:build tools

// Package tools pins the kube-apiserver v1.32.13 that the differential test runs as a second oracle
// (scripts/apiservers.sh builds it into .cache/bin/kube-apiserver-1.32).
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
