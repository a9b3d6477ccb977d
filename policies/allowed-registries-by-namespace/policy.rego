# Images must come from the registries allowed in the resource's namespace.
# Parameters: parameters.schema.json. Rule: rules/security/allowed-registries-by-namespace.yaml.
package shipshape.allowed_registries_by_namespace

import data.shipshape.lib.k8s

ns := k8s.namespace(object.get(input.parameters, "defaultNamespace", "default"))

# The allow list of the first `namespaces` entry that matches, else the general one.
allowed := regs if {
	regs := [e.registries | some e in input.parameters.namespaces; k8s.namespace_matches(e.match, ns)][0]
} else := object.get(input.parameters, "registries", [])

# "registry.example.com" allows that host; "registry.example.com/team/" allows that folder.
from_registry(image, entry) if {
	endswith(entry, "/")
	startswith(image, entry)
}

from_registry(image, entry) if {
	not endswith(entry, "/")
	startswith(image, entry)
	substring(image, count(entry), 1) in {"/", ":", "@"}
}

permitted(image) if {
	some entry in allowed
	from_registry(k8s.normalized_image(image), entry)
}

violation contains {"msg": msg, "path": k8s.pointer(array.concat(c.path, ["image"]))} if {
	count(allowed) > 0
	some c in k8s.containers
	image := c.container.image
	is_string(image)
	not permitted(image)
	msg := concat("", [
		"container \"", k8s.container_name(c.container), "\" uses image \"", image,
		"\", which is not from a registry allowed in namespace \"", ns, "\" (allowed: ",
		concat(", ", allowed), ")",
	])
}
