//go:build tools

// Package tools pins the binaries the end-to-end test builds: a real kube-apiserver, etcd and kubectl
// (scripts/e2e-setup.sh builds them into .cache/bin).
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
