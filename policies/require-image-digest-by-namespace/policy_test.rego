package shipshape.require_image_digest_by_namespace_test

import data.shipshape.require_image_digest_by_namespace as policy

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

pod(ns, image) := {
	"kind": "Pod",
	"metadata": {"name": "p", "namespace": ns},
	"spec": {"containers": [{"name": "app", "image": image}]},
	"parameters": {"namespaces": ["prod", "prod-*"]},
}

test_tag_in_production if {
	some v in policy.violation with input as pod("prod-eu", "registry.example.com/app:1.0")
	v.path == "/spec/containers/0/image"
	contains(v.msg, "namespace \"prod-eu\" requires images pinned")
}

test_digest_in_production if {
	count(policy.violation) == 0 with input as pod("prod", concat("@", ["registry.example.com/app", digest]))
	count(policy.violation) == 0 with input as pod("prod", concat("@", ["registry.example.com/app:1.0", digest]))
}

test_other_namespaces if {
	count(policy.violation) == 0 with input as pod("staging", "registry.example.com/app:1.0")
	count(policy.violation) == 0 with input as pod("production-like", "registry.example.com/app:1.0")
}

test_default_namespace_parameter if {
	inp := {
		"kind": "Pod",
		"metadata": {"name": "p"},
		"spec": {"containers": [{"name": "app", "image": "app:1"}]},
		"parameters": {"namespaces": ["prod"], "defaultNamespace": "prod"},
	}
	count(policy.violation) == 1 with input as inp
}
