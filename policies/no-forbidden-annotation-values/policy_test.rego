package shipshape.no_forbidden_annotation_values_test

import data.shipshape.no_forbidden_annotation_values as policy

params := {"annotations": [
	{"key": "nginx.ingress.kubernetes.io/*-snippet", "message": "snippets inject raw nginx configuration"},
	{"key": "container.apparmor.security.beta.kubernetes.io/*", "values": ["unconfined"]},
	{"key": "example.com/tier", "pattern": "^(gold|platinum)$"},
]}

obj(kind, annotations) := {"kind": kind, "metadata": {"name": "x", "annotations": annotations}, "parameters": params}

test_any_value_of_a_glob_key if {
	some v in policy.violation with input as obj("Ingress", {"nginx.ingress.kubernetes.io/server-snippet": "return 200;"})
	v.path == "/metadata/annotations/nginx.ingress.kubernetes.io~1server-snippet"
	v.msg == "annotation \"nginx.ingress.kubernetes.io/server-snippet\" has the value \"return 200;\": snippets inject raw nginx configuration"
}

test_listed_values_only if {
	count(policy.violation) == 1 with input as obj("Pod", {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"})
	count(policy.violation) == 0 with input as obj("Pod", {"container.apparmor.security.beta.kubernetes.io/app": "runtime/default"})
}

test_pattern if {
	count(policy.violation) == 1 with input as obj("Service", {"example.com/tier": "gold"})
	count(policy.violation) == 0 with input as obj("Service", {"example.com/tier": "bronze"})
}

test_unrelated_annotations if {
	count(policy.violation) == 0 with input as obj("Ingress", {"nginx.ingress.kubernetes.io/rewrite-target": "/"})
}

test_pod_template_annotations if {
	inp := {
		"kind": "Deployment",
		"metadata": {"name": "d"},
		"spec": {"template": {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}}}},
		"parameters": params,
	}
	some v in policy.violation with input as inp
	v.path == "/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app"
	contains(v.msg, "on the pod template")
}

test_pod_templates_can_be_skipped if {
	inp := {
		"kind": "Deployment",
		"metadata": {"name": "d"},
		"spec": {"template": {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}}}},
		"parameters": object.union(params, {"podTemplates": false}),
	}
	count(policy.violation) == 0 with input as inp
}
