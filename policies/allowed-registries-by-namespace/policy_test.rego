package shipshape.allowed_registries_by_namespace_test

import data.shipshape.allowed_registries_by_namespace as policy

params := {
	"registries": ["registry.example.com"],
	"namespaces": [
		{"match": ["prod", "prod-*"], "registries": ["registry.example.com/prod/"]},
		{"match": ["sandbox"], "registries": ["registry.example.com", "docker.io/library/"]},
	],
}

deployment(ns, image) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": ns},
	"spec": {"template": {"spec": {"containers": [{"name": "app", "image": image}]}}},
	"parameters": params,
}

test_default_allow_list if {
	count(policy.violation) == 0 with input as deployment("team-a", "registry.example.com/app:1.0")
	count(policy.violation) == 1 with input as deployment("team-a", "quay.io/app:1.0")
}

test_host_prefix_is_not_a_string_prefix if {
	count(policy.violation) == 1 with input as deployment("team-a", "registry.example.com.evil.io/app:1.0")
}

test_namespace_glob_narrows_the_list if {
	count(policy.violation) == 0 with input as deployment("prod-eu", "registry.example.com/prod/app:1.0")
	count(policy.violation) == 1 with input as deployment("prod-eu", "registry.example.com/dev/app:1.0")
}

test_docker_hub_short_names_are_normalised if {
	count(policy.violation) == 0 with input as deployment("sandbox", "nginx:1.27")
	count(policy.violation) == 1 with input as deployment("sandbox", "bitnami/redis:7")
}

test_points_at_the_image if {
	some v in policy.violation with input as deployment("team-a", "quay.io/app:1.0")
	v.path == "/spec/template/spec/containers/0/image"
	contains(v.msg, "container \"app\" uses image \"quay.io/app:1.0\"")
	contains(v.msg, "namespace \"team-a\"")
}

test_missing_namespace_uses_default_namespace if {
	inp := json.patch(deployment("x", "quay.io/app:1.0"), [{"op": "remove", "path": "/metadata/namespace"}])
	some v in policy.violation with input as inp
	contains(v.msg, "namespace \"default\"")
}

test_empty_allow_list_allows_everything if {
	inp := object.union(deployment("team-a", "quay.io/app:1.0"), {"parameters": {"registries": [], "namespaces": []}})
	count(policy.violation) == 0 with input as inp
}

test_init_containers_are_checked if {
	inp := {
		"kind": "Pod",
		"metadata": {"name": "p"},
		"spec": {"initContainers": [{"name": "init", "image": "quay.io/x"}], "containers": [{"name": "app", "image": "registry.example.com/app"}]},
		"parameters": params,
	}
	[v.path | some v in policy.violation] == ["/spec/initContainers/0/image"] with input as inp
}
