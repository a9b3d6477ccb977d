# Helpers shared by shipshape's policies: where each kind keeps its pod spec, its containers with
# their paths, namespaces and image references. Policies read the conftest view of the input
# (the resource at the top level) and input.parameters; see docs/policies.md.
package shipshape.lib.k8s

# Path (as an array) of the pod spec inside each pod-bearing kind. Written as an else chain, not
# as a constant object: in WebAssembly a constant object is rebuilt on every evaluation.
pod_spec_path := ["spec", "template", "spec"] if {
	workload_kind(input.kind)
} else := ["spec"] if {
	input.kind == "Pod"
} else := ["spec", "jobTemplate", "spec", "template", "spec"] if {
	input.kind == "CronJob"
} else := ["template", "spec"] if {
	input.kind == "PodTemplate"
}

workload_kind("Deployment")

workload_kind("StatefulSet")

workload_kind("DaemonSet")

workload_kind("ReplicaSet")

workload_kind("ReplicationController")

workload_kind("Job")

# Path of the pod template's metadata, for kinds that have a template.
template_metadata_path := ["spec", "template", "metadata"] if {
	workload_kind(input.kind)
} else := ["spec", "jobTemplate", "spec", "template", "metadata"] if {
	input.kind == "CronJob"
} else := ["template", "metadata"] if {
	input.kind == "PodTemplate"
}

# Every container of the resource: {"container", "path", "list"}; path is an array.
containers contains {"container": c, "path": array.concat(pod_spec_path, [list, i]), "list": list} if {
	spec := object.get(input, pod_spec_path, {})
	some list, cs in spec
	container_list(list)
	some i, c in cs
	is_object(c)
}

container_list("containers")

container_list("initContainers")

container_list("ephemeralContainers")

# The namespace the resource lands in; `default_namespace` when the manifest does not say.
namespace(default_namespace) := ns if {
	ns := input.metadata.namespace
	is_string(ns)
	ns != ""
} else := default_namespace

# Whether a namespace is named by any pattern (exact names or globs such as `prod-*`).
namespace_matches(patterns, ns) if {
	some p in patterns
	matches_glob(p, ns)
}

# matches_glob(pattern, s): `*` matches any run of characters (no delimiters), as glob.match(p, null, s).
# Plain names and single-`*` patterns are matched with string built-ins: in WebAssembly,
# glob.match and regex.match compile their pattern on every call.
matches_glob(p, s) if {
	plain(p)
	p == s
}

matches_glob(p, s) if {
	single_star(p)
	[prefix, suffix] := split(p, "*")
	startswith(s, prefix)
	endswith(s, suffix)
	count(s) >= count(prefix) + count(suffix)
}

matches_glob(p, s) if {
	not plain(p)
	not single_star(p)
	glob.match(p, null, s)
}

plain(p) if {
	not contains(p, "*")
	not any_special(p)
}

single_star(p) if {
	count(split(p, "*")) == 2
	not any_special(p)
}

any_special(p) if contains(p, "?")

any_special(p) if contains(p, "[")

any_special(p) if contains(p, "{")

any_special(p) if contains(p, "\\")

# A JSON pointer from a path array, e.g. ["spec", "containers", 0] -> "/spec/containers/0".
pointer(segments) := concat("", [concat("", ["/", segment(s)]) | some s in segments])

segment(s) := replace(replace(s, "~", "~0"), "/", "~1") if is_string(s)

segment(s) := format_int(s, 10) if is_number(s)

# The registry host of an image reference and the reference with the Docker Hub defaults made
# explicit: "nginx:1.27" -> "docker.io/library/nginx:1.27".
normalized_image(image) := concat("/", ["docker.io", "library", image]) if {
	not contains(image, "/")
} else := concat("/", ["docker.io", image]) if {
	first := split(image, "/")[0]
	not is_registry_host(first)
} else := image

is_registry_host(s) if contains(s, ".")

is_registry_host(s) if contains(s, ":")

is_registry_host("localhost")

# Whether an image is pinned by a sha256 digest (string built-ins: a regex costs a compile per call).
has_digest(image) if {
	parts := split(image, "@sha256:")
	count(parts) == 2
	count(parts[1]) == 64
	trim(parts[1], "0123456789abcdef") == ""
}

# The name of a container for messages.
container_name(c) := c.name if {
	is_string(c.name)
} else := "(unnamed)"
