package shipshape.require_label_patterns_test

import data.shipshape.require_label_patterns as policy

params := {"labels": [
	{"key": "team"},
	{"key": "app.kubernetes.io/version", "pattern": `^v?[0-9]+\.[0-9]+\.[0-9]+$`},
]}

obj(labels) := {"kind": "ConfigMap", "metadata": {"name": "c", "labels": labels}, "parameters": params}

test_all_present_and_matching if {
	count(policy.violation) == 0 with input as obj({"team": "a", "app.kubernetes.io/version": "1.2.3"})
}

test_missing_label if {
	some v in policy.violation with input as obj({"app.kubernetes.io/version": "1.2.3"})
	v.msg == "missing label \"team\""
	v.path == "/metadata/labels"
}

test_pattern_mismatch if {
	some v in policy.violation with input as obj({"team": "a", "app.kubernetes.io/version": "latest"})
	v.path == "/metadata/labels/app.kubernetes.io~1version"
	contains(v.msg, "is \"latest\"")
}

test_no_labels_at_all if {
	count(policy.violation) == 2 with input as {"kind": "Service", "metadata": {"name": "s"}, "parameters": params}
}

test_kinds_filter if {
	inp := object.union(obj({}), {"parameters": {"kinds": ["Deployment"]}})
	count(policy.violation) == 0 with input as inp
}

test_custom_message if {
	inp := {"kind": "Pod", "metadata": {"name": "p"}, "parameters": {"labels": [{"key": "owner", "message": "every object needs an owner label"}]}}
	[v.msg | some v in policy.violation] == ["every object needs an owner label"] with input as inp
}

test_pod_templates if {
	inp := {
		"kind": "Deployment",
		"metadata": {"name": "d", "labels": {"team": "a"}},
		"spec": {"template": {"metadata": {"labels": {}}, "spec": {}}},
		"parameters": {"labels": [{"key": "team"}], "podTemplates": true},
	}
	some v in policy.violation with input as inp
	v.path == "/spec/template/metadata/labels"
	v.msg == "missing label \"team\" on the pod template"
}
