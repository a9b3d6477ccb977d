# In the listed namespaces (production), every image must be pinned by a sha256 digest.
# Parameters: parameters.schema.json. Rule: rules/security/require-image-digest-by-namespace.yaml.
package shipshape.require_image_digest_by_namespace

import data.shipshape.lib.k8s

ns := k8s.namespace(object.get(input.parameters, "defaultNamespace", "default"))

violation contains {"msg": msg, "path": k8s.pointer(array.concat(c.path, ["image"]))} if {
	k8s.namespace_matches(input.parameters.namespaces, ns)
	some c in k8s.containers
	image := c.container.image
	is_string(image)
	not k8s.has_digest(image)
	msg := concat("", [
		"container \"", k8s.container_name(c.container), "\" uses image \"", image,
		"\" without a digest; namespace \"", ns, "\" requires images pinned with @sha256:<digest>",
	])
}
