# A small conftest policy for the side-by-side benchmark (bench/peers.bench.mjs): a handful of the
# checks shipshape's recommended preset makes, written the way conftest users write them.
package main

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

pod_spec := input.spec.template.spec if workload_kinds[input.kind]

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

pod_spec := input.spec if input.kind == "Pod"

containers contains c if some c in pod_spec.containers

containers contains c if some c in pod_spec.initContainers

deny contains msg if {
	some c in containers
	c.securityContext.privileged == true
	msg := sprintf("%s %s: container %s is privileged", [input.kind, input.metadata.name, c.name])
}

deny contains msg if {
	some c in containers
	not c.resources.limits.memory
	msg := sprintf("%s %s: container %s has no memory limit", [input.kind, input.metadata.name, c.name])
}

deny contains msg if {
	some c in containers
	endswith(c.image, ":latest")
	msg := sprintf("%s %s: container %s uses the latest tag", [input.kind, input.metadata.name, c.name])
}

deny contains msg if {
	pod_spec.hostNetwork == true
	msg := sprintf("%s %s shares the host network", [input.kind, input.metadata.name])
}

warn contains msg if {
	some c in pod_spec.containers
	not c.readinessProbe
	msg := sprintf("%s %s: container %s has no readiness probe", [input.kind, input.metadata.name, c.name])
}

warn contains msg if {
	not pod_spec.securityContext.runAsNonRoot
	msg := sprintf("%s %s does not require a non-root user", [input.kind, input.metadata.name])
}

deny contains msg if {
	input.kind == "ClusterRoleBinding"
	input.roleRef.name == "cluster-admin"
	msg := sprintf("ClusterRoleBinding %s grants cluster-admin", [input.metadata.name])
}
