package shipshape.resource_ceilings_by_namespace_test

import data.shipshape.resource_ceilings_by_namespace as policy

params := {
	"ceilings": {"cpu": "4", "memory": "8Gi"},
	"namespaces": [{"match": ["team-*"], "ceilings": {"cpu": "2", "memory": "2Gi", "ephemeral-storage": "1Gi"}}],
}

deployment(ns, resources) := {
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": ns},
	"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "a", "resources": resources}]}}},
	"parameters": params,
}

test_quantities if {
	policy.quantity("100m") == 0.1
	policy.quantity("1.5Gi") == 1610612736
	policy.quantity("1e3") == 1000
	policy.quantity("2E") == 2000000000000000000
	policy.quantity("128974848") == 128974848
	policy.quantity("129M") == 129000000
	policy.quantity(2) == 2
	policy.quantity(".5") == 0.5
	not policy.quantity("12 parsecs")
	not policy.quantity("1.5Gb")
}

test_within_ceilings if {
	count(policy.violation) == 0 with input as deployment("team-a", {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2048Mi"}})
}

test_limit_above_namespace_ceiling if {
	some v in policy.violation with input as deployment("team-a", {"limits": {"memory": "3Gi"}})
	v.path == "/spec/template/spec/containers/0/resources/limits/memory"
	v.msg == "container \"app\" limits.memory 3Gi is above the 2Gi ceiling for namespace \"team-a\""
}

test_general_ceiling_elsewhere if {
	count(policy.violation) == 0 with input as deployment("platform", {"limits": {"memory": "3Gi"}})
	count(policy.violation) == 1 with input as deployment("platform", {"requests": {"cpu": 6}})
}

test_numbers_and_millicores if {
	some v in policy.violation with input as deployment("team-a", {"requests": {"cpu": "2500m"}})
	contains(v.msg, "requests.cpu 2500m is above the 2 ceiling")
}

test_unparseable_values_are_left_to_schema_validation if {
	count(policy.violation) == 0 with input as deployment("team-a", {"limits": {"memory": "lots"}})
}

test_ephemeral_storage if {
	count(policy.violation) == 1 with input as deployment("team-b", {"limits": {"ephemeral-storage": "10Gi"}})
}
