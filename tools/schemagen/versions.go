// Pinned k8s.io/kubernetes releases whose OpenAPI v3 documents become the bundled schemas.
package main

// versions lists one release per supported minor, oldest first; the last one is the default.
// Bumping a patch or adding a minor is a one-line change here.
var versions = []string{
	"v1.30.14",
	"v1.31.14",
	"v1.32.13",
	"v1.33.13",
	"v1.34.4",
	"v1.35.4",
	"v1.36.3",
	"v1.37.2",
}

// source names where the schemas come from; it is recorded in index.json.
const source = "k8s.io/kubernetes api/openapi-spec/v3"
