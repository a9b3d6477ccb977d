# Annotations whose key (a glob) and value (listed values or a pattern) are forbidden.
# Parameters: parameters.schema.json. Rule: rules/security/no-forbidden-annotation-values.yaml.
package shipshape.no_forbidden_annotation_values

import data.shipshape.lib.k8s

# Annotations are checked on the object and, for workloads, on the pod template.
metadata_paths contains ["metadata"]

metadata_paths contains k8s.template_metadata_path if object.get(input.parameters, "podTemplates", true) == true

# A rule without `values` or `pattern` forbids the annotation whatever its value.
forbidden(rule, _) if {
	not rule.values
	not rule.pattern
}

forbidden(rule, value) if value in rule.values

forbidden(rule, value) if regex.match(rule.pattern, value)

reason(rule) := rule.message if {
	is_string(rule.message)
} else := "it is forbidden here"

where(path) := "" if {
	path == ["metadata"]
} else := " on the pod template"

violation contains {"msg": msg, "path": k8s.pointer(array.concat(path, ["annotations", key]))} if {
	some path in metadata_paths
	annotations := object.get(input, array.concat(path, ["annotations"]), {})
	is_object(annotations)
	some key, value in annotations
	some rule in input.parameters.annotations
	k8s.matches_glob(rule.key, key)
	is_string(value)
	forbidden(rule, value)
	msg := concat("", ["annotation \"", key, "\"", where(path), " has the value \"", value, "\": ", reason(rule)])
}
