//go:build tools

// Package tools pins the kube-apiserver v1.30.14 that the differential test runs as a second oracle
// (scripts/apiservers.sh builds it into .cache/bin/kube-apiserver-1.30).
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
