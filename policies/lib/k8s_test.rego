package shipshape.lib.k8s_test

import data.shipshape.lib.k8s

test_pod_containers if {
	cs := k8s.containers with input as {"kind": "Pod", "spec": {"containers": [{"name": "a"}], "initContainers": [{"name": "i"}]}}
	paths := {k8s.pointer(c.path) | some c in cs}
	paths == {"/spec/containers/0", "/spec/initContainers/0"}
}

test_cronjob_containers if {
	cs := k8s.containers with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}}}}
	[c.path | some c in cs] == [["spec", "jobTemplate", "spec", "template", "spec", "containers", 0]]
}

test_no_containers_for_other_kinds if {
	count(k8s.containers) == 0 with input as {"kind": "ConfigMap", "data": {"containers": "x"}}
}

test_template_metadata_path if {
	k8s.template_metadata_path == ["spec", "template", "metadata"] with input as {"kind": "Deployment"}
	k8s.template_metadata_path == ["spec", "jobTemplate", "spec", "template", "metadata"] with input as {"kind": "CronJob"}
	not k8s.template_metadata_path with input as {"kind": "Pod"}
}

test_pod_spec_path if {
	k8s.pod_spec_path == ["spec"] with input as {"kind": "Pod"}
	k8s.pod_spec_path == ["spec", "template", "spec"] with input as {"kind": "Job"}
	k8s.pod_spec_path == ["template", "spec"] with input as {"kind": "PodTemplate"}
	not k8s.pod_spec_path with input as {"kind": "Service"}
}

test_namespace_default if {
	k8s.namespace("default") == "default" with input as {"metadata": {}}
	k8s.namespace("default") == "prod" with input as {"metadata": {"namespace": "prod"}}
}

test_matches_glob if {
	k8s.matches_glob("nginx.ingress.kubernetes.io/*-snippet", "nginx.ingress.kubernetes.io/server-snippet")
	not k8s.matches_glob("nginx.ingress.kubernetes.io/*-snippet", "nginx.ingress.kubernetes.io/snippet")
	k8s.matches_glob("a*", "a")
	k8s.matches_glob("*", "")
	not k8s.matches_glob("ab*ba", "aba")
	k8s.matches_glob("team-?", "team-a")
	not k8s.matches_glob("team-?", "team-ab")
	k8s.matches_glob("*-[ab]-*", "x-a-y")
	k8s.matches_glob("exact", "exact")
	not k8s.matches_glob("exact", "exactly")
}

test_namespace_globs if {
	k8s.namespace_matches(["prod", "prod-*"], "prod-eu")
	not k8s.namespace_matches(["prod"], "production")
}

test_pointer_escapes if {
	k8s.pointer(["metadata", "labels", "app.kubernetes.io/name"]) == "/metadata/labels/app.kubernetes.io~1name"
}

test_normalized_image if {
	k8s.normalized_image("nginx:1.27") == "docker.io/library/nginx:1.27"
	k8s.normalized_image("bitnami/redis") == "docker.io/bitnami/redis"
	k8s.normalized_image("registry.example.com/app:1") == "registry.example.com/app:1"
	k8s.normalized_image("localhost:5000/app") == "localhost:5000/app"
	k8s.normalized_image("localhost/app") == "localhost/app"
}

test_has_digest if {
	k8s.has_digest("r.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	not k8s.has_digest("r.example.com/app:1.0")
	not k8s.has_digest("r.example.com/app@sha256:short")
	not k8s.has_digest("r.example.com/app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")
	not k8s.has_digest("r.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef@sha256:x")
}
