// Schema transformation: strips OpenAPI v3 definitions down to what validation needs, extracts kinds, hashes.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

const refPrefix = "#/components/schemas/"

// keptKeys are copied verbatim (they hold values, not sub-schemas).
var keptKeys = map[string]bool{
	"type": true, "format": true, "required": true, "enum": true, "nullable": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"minLength": true, "maxLength": true, "pattern": true,
	"minItems": true, "maxItems": true, "uniqueItems": true,
	"minProperties": true, "maxProperties": true,
	"x-kubernetes-int-or-string": true, "x-kubernetes-preserve-unknown-fields": true,
	"x-kubernetes-embedded-resource": true, "x-kubernetes-list-type": true,
	"x-kubernetes-list-map-keys": true, "x-kubernetes-map-type": true,
}

// strippedKeys are removed on purpose; anything else unknown is reported as unexpected.
var strippedKeys = map[string]bool{
	"description": true, "default": true, "example": true, "externalDocs": true, "title": true,
	"x-kubernetes-patch-strategy": true, "x-kubernetes-patch-merge-key": true,
	"x-kubernetes-group-version-kind": true, "x-kubernetes-unions": true,
}

// excludedKinds are GVKs that are API plumbing rather than manifests.
var excludedKinds = map[string]bool{
	"WatchEvent": true, "Status": true, "APIGroup": true, "APIGroupList": true,
	"APIResourceList": true, "APIVersions": true,
}

// dropStats counts removed keys by name: stripped (expected) and unknown (unexpected).
type dropStats struct {
	stripped map[string]int
	unknown  map[string]int
}

func newDropStats() *dropStats {
	return &dropStats{stripped: map[string]int{}, unknown: map[string]int{}}
}

// transform returns a stripped copy of an OpenAPI v3 schema node (a JSON object or boolean).
func transform(node any, st *dropStats) (any, error) {
	if b, ok := node.(bool); ok {
		return b, nil
	}
	in, ok := node.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema is %T, want object or boolean", node)
	}
	out := map[string]any{}
	for k, v := range in {
		var err error
		switch {
		case k == "$ref":
			s, _ := v.(string)
			if !strings.HasPrefix(s, refPrefix) {
				return nil, fmt.Errorf("unsupported $ref %v", v)
			}
			out[k] = strings.TrimPrefix(s, refPrefix)
		case k == "properties":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("properties is %T", v)
			}
			props := map[string]any{}
			for name, sub := range m {
				if props[name], err = transform(sub, st); err != nil {
					return nil, fmt.Errorf("properties.%s: %w", name, err)
				}
			}
			out[k] = props
		case k == "additionalProperties" || k == "not" || (k == "items" && !isArray(v)):
			if out[k], err = transform(v, st); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
		case k == "allOf" || k == "anyOf" || k == "oneOf" || k == "items":
			arr, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%s is %T", k, v)
			}
			subs := make([]any, len(arr))
			for i, sub := range arr {
				if subs[i], err = transform(sub, st); err != nil {
					return nil, fmt.Errorf("%s[%d]: %w", k, i, err)
				}
			}
			out[k] = subs
		case keptKeys[k]:
			out[k] = v
		case strippedKeys[k]:
			st.stripped[k]++
		default:
			st.unknown[k]++
		}
	}
	return collapse(out), nil
}

func isArray(v any) bool { _, ok := v.([]any); return ok }

// collapse turns {"allOf":[{"$ref":X}], "nullable":true?} into {"$ref":X, "nullable":true?}.
func collapse(s map[string]any) map[string]any {
	all, ok := s["allOf"].([]any)
	if !ok || len(all) != 1 {
		return s
	}
	ref, ok := all[0].(map[string]any)
	if !ok || len(ref) != 1 || ref["$ref"] == nil {
		return s
	}
	for k := range s {
		if k != "allOf" && k != "nullable" {
			return s
		}
	}
	out := map[string]any{"$ref": ref["$ref"]}
	if s["nullable"] == true {
		out["nullable"] = true
	}
	return out
}

// canonical is the sorted-key, compact JSON of v without HTML escaping.
func canonical(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // values come from JSON decoding, so they always encode
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// hashOf is the first 16 hex chars of the sha256 of the canonical JSON.
func hashOf(canon []byte) string {
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])[:16]
}

// kindsOf lists the "<apiVersion>/<Kind>" keys of a raw definition's x-kubernetes-group-version-kind.
func kindsOf(def any) []string {
	m, _ := def.(map[string]any)
	list, _ := m["x-kubernetes-group-version-kind"].([]any)
	var keys []string
	for _, e := range list {
		g, _ := e.(map[string]any)
		group, _ := g["group"].(string)
		version, _ := g["version"].(string)
		kind, _ := g["kind"].(string)
		if kind == "" || version == "" || excludedKinds[kind] || strings.HasSuffix(kind, "Options") {
			continue
		}
		apiVersion := version
		if group != "" {
			apiVersion = group + "/" + version
		}
		keys = append(keys, apiVersion+"/"+kind)
	}
	return keys
}

// refsOf collects the bare definition names referenced anywhere inside a transformed schema.
func refsOf(node any, into map[string]bool) {
	s, ok := node.(map[string]any)
	if !ok {
		return
	}
	if r, ok := s["$ref"].(string); ok {
		into[r] = true
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for _, sub := range props {
			refsOf(sub, into)
		}
	}
	for _, k := range []string{"additionalProperties", "items", "not"} {
		refsOf(s[k], into)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf", "items"} {
		if arr, ok := s[k].([]any); ok {
			for _, sub := range arr {
				refsOf(sub, into)
			}
		}
	}
}

// docDefs is one parsed OpenAPI document: its file name and raw definitions.
type docDefs struct {
	file string
	defs map[string]any
}

// versionSet is one Kubernetes release reduced to kinds and reachable transformed definitions.
type versionSet struct {
	kinds map[string]string // "<apiVersion>/<Kind>" -> definition name
	defs  map[string]any    // definition name -> transformed schema
}

// buildVersion merges a release's documents, checking that shared definitions and GVKs agree.
func buildVersion(docs []docDefs, st *dropStats) (*versionSet, error) {
	all := map[string]any{}
	canon := map[string][]byte{}
	from := map[string]string{}
	kinds := map[string]string{}
	for _, d := range docs {
		for _, name := range sortedKeys(d.defs) {
			t, err := transform(d.defs[name], st)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", d.file, name, err)
			}
			c := canonical(t)
			if prev, seen := canon[name]; seen {
				if !bytes.Equal(prev, c) {
					return nil, fmt.Errorf("definition %s differs between %s and %s:\n  %s\n  %s", name, from[name], d.file, prev, c)
				}
			} else {
				all[name], canon[name], from[name] = t, c, d.file
			}
			for _, k := range kindsOf(d.defs[name]) {
				if prev, ok := kinds[k]; ok && prev != name {
					return nil, fmt.Errorf("%s: kind %s is both %s and %s", d.file, k, prev, name)
				}
				kinds[k] = name
			}
		}
	}
	// Keep only the definitions reachable from a kind.
	keep := map[string]any{}
	var queue []string
	for _, name := range kinds {
		queue = append(queue, name)
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if _, done := keep[name]; done {
			continue
		}
		t, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("$ref to undefined definition %s", name)
		}
		keep[name] = t
		refs := map[string]bool{}
		refsOf(t, refs)
		for r := range refs {
			queue = append(queue, r)
		}
	}
	return &versionSet{kinds: kinds, defs: keep}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
