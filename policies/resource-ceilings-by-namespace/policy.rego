# No container may request or limit more CPU, memory or ephemeral storage than its namespace's
# ceiling. Quantities are parsed here (units.parse is a host built-in and knows neither `1e3` nor
# Kubernetes' exact suffix rules).
# Parameters: parameters.schema.json. Rule: rules/efficiency/resource-ceilings-by-namespace.yaml.
package shipshape.resource_ceilings_by_namespace

import data.shipshape.lib.k8s

ns := k8s.namespace(object.get(input.parameters, "defaultNamespace", "default"))

# The ceilings of the first `namespaces` entry that matches, else the general ones.
ceilings := c if {
	c := [e.ceilings | some e in input.parameters.namespaces; k8s.namespace_matches(e.match, ns)][0]
} else := object.get(input.parameters, "ceilings", {})

# Suffix multipliers, as functions: a constant object would be rebuilt on every evaluation.
binary_factor("Ki") := 1024

binary_factor("Mi") := 1048576

binary_factor("Gi") := 1073741824

binary_factor("Ti") := 1099511627776

binary_factor("Pi") := 1125899906842624

binary_factor("Ei") := 1152921504606846976

decimal_factor("k") := 1000

decimal_factor("M") := 1000000

decimal_factor("G") := 1000000000

decimal_factor("T") := 1000000000000

decimal_factor("P") := 1000000000000000

decimal_factor("E") := 1000000000000000000

# A Kubernetes quantity as a number: 100m -> 0.1, 1.5Gi -> 1610612736, 1e3 -> 1000, 2 -> 2.
# String built-ins only: in WebAssembly a regex is compiled on every call. The bodies are
# disjoint (binary suffixes end in "i", decimal ones are single letters, plain numbers end in a
# digit or "."), so a quantity never has two values.
quantity(q) := q if is_number(q)

quantity(q) := n if {
	s := trim_space(q)
	count(s) > 2
	factor := binary_factor(substring(s, count(s) - 2, 2))
	n := number(substring(s, 0, count(s) - 2)) * factor
}

quantity(q) := n if {
	s := trim_space(q)
	count(s) > 1
	factor := decimal_factor(substring(s, count(s) - 1, 1))
	n := number(substring(s, 0, count(s) - 1)) * factor
}

# Milli by division: 0.001 has no exact binary form, 100m must be exactly 0.1.
quantity(q) := n if {
	s := trim_space(q)
	endswith(s, "m")
	n := number(trim_suffix(s, "m")) / 1000
}

quantity(q) := number(trim_space(q)) if is_string(q)

# The numeric part: digits with an optional fraction and exponent, as Kubernetes writes them.
number(s) := to_number(s) if {
	s != ""
	trim(s, "0123456789.eE+-") == ""
	not startswith(s, "e")
	not startswith(s, "E")
}

violation contains {"msg": msg, "path": k8s.pointer(array.concat(c.path, ["resources", kind, resource]))} if {
	some resource, ceiling in ceilings
	max := quantity(ceiling)
	some c in k8s.containers
	some kind in ["requests", "limits"]
	value := c.container.resources[kind][resource]
	quantity(value) > max
	msg := concat("", [
		"container \"", k8s.container_name(c.container), "\" ", kind, ".", resource, " ", format(value),
		" is above the ", format(ceiling), " ceiling for namespace \"", ns, "\"",
	])
}

format(q) := q if {
	is_string(q)
} else := format_int(q, 10) if {
	is_number(q)
	q == round(q)
} else := json.marshal(q)
