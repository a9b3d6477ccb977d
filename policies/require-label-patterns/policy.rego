# Required labels, each with an optional pattern its value must match (RE2 syntax).
# Parameters: parameters.schema.json. Rule: rules/hygiene/require-label-patterns.yaml.
package shipshape.require_label_patterns

import data.shipshape.lib.k8s

kinds := object.get(input.parameters, "kinds", [])

applies if count(kinds) == 0

applies if input.kind in kinds

# Where labels are required: the object's metadata, and the pod template's when asked for.
metadata_paths contains ["metadata"]

metadata_paths contains k8s.template_metadata_path if input.parameters.podTemplates == true

missing_message(req, where) := concat("", [req.message, where]) if {
	is_string(req.message)
} else := concat("", ["missing label \"", req.key, "\"", where])

mismatch_message(req, value, where) := concat("", [req.message, where]) if {
	is_string(req.message)
} else := concat("", ["label \"", req.key, "\" is \"", value, "\"", where, ", which does not match ", req.pattern])

where(path) := "" if {
	path == ["metadata"]
} else := " on the pod template"

violation contains {"msg": missing_message(req, where(path)), "path": k8s.pointer(array.concat(path, ["labels"]))} if {
	applies
	some path in metadata_paths
	some req in input.parameters.labels
	value := object.get(input, array.concat(path, ["labels", req.key]), null)
	not is_string(value)
}

violation contains {"msg": mismatch_message(req, value, where(path)), "path": k8s.pointer(array.concat(path, ["labels", req.key]))} if {
	applies
	some path in metadata_paths
	some req in input.parameters.labels
	is_string(req.pattern)
	value := object.get(input, array.concat(path, ["labels", req.key]), null)
	is_string(value)
	not regex.match(req.pattern, value)
}
