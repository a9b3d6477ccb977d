// Tests for the schema transformation: ref collapsing, stripping, hashing and kinds extraction.
package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func parse(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func transformString(t *testing.T, in string) (string, *dropStats) {
	t.Helper()
	st := newDropStats()
	out, err := transform(parse(t, in), st)
	if err != nil {
		t.Fatal(err)
	}
	return string(canonical(out)), st
}

func TestTransform(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"collapses allOf ref with default and description",
			`{"allOf":[{"$ref":"#/components/schemas/io.k8s.X"}],"default":{},"description":"d"}`,
			`{"$ref":"io.k8s.X"}`},
		{"keeps nullable true beside a collapsed ref",
			`{"allOf":[{"$ref":"#/components/schemas/A"}],"nullable":true,"description":"d"}`,
			`{"$ref":"A","nullable":true}`},
		{"drops nullable false when collapsing",
			`{"allOf":[{"$ref":"#/components/schemas/A"}],"nullable":false}`,
			`{"$ref":"A"}`},
		{"does not collapse when other constraints remain",
			`{"allOf":[{"$ref":"#/components/schemas/A"}],"x-kubernetes-list-type":"atomic"}`,
			`{"allOf":[{"$ref":"A"}],"x-kubernetes-list-type":"atomic"}`},
		{"does not collapse two-element allOf",
			`{"allOf":[{"$ref":"#/components/schemas/A"},{"$ref":"#/components/schemas/B"}]}`,
			`{"allOf":[{"$ref":"A"},{"$ref":"B"}]}`},
		{"rewrites direct refs",
			`{"$ref":"#/components/schemas/A","description":"x"}`,
			`{"$ref":"A"}`},
		{"strips inside properties, items and additionalProperties but keeps property names",
			`{"type":"object","description":"top","required":["description"],
			  "properties":{"description":{"type":"string","description":"a field named description"},
			    "ports":{"type":"array","items":{"allOf":[{"$ref":"#/components/schemas/P"}],"default":{}},
			      "x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["containerPort","protocol"],
			      "x-kubernetes-patch-strategy":"merge","x-kubernetes-patch-merge-key":"containerPort"},
			    "labels":{"type":"object","additionalProperties":{"type":"string","default":""},"x-kubernetes-map-type":"granular"},
			    "any":{"x-kubernetes-preserve-unknown-fields":true,"additionalProperties":true}},
			  "x-kubernetes-group-version-kind":[{"group":"","kind":"Pod","version":"v1"}]}`,
			`{"properties":{"any":{"additionalProperties":true,"x-kubernetes-preserve-unknown-fields":true},` +
				`"description":{"type":"string"},` +
				`"labels":{"additionalProperties":{"type":"string"},"type":"object","x-kubernetes-map-type":"granular"},` +
				`"ports":{"items":{"$ref":"P"},"type":"array","x-kubernetes-list-map-keys":["containerPort","protocol"],"x-kubernetes-list-type":"map"}},` +
				`"required":["description"],"type":"object"}`},
		{"keeps int-or-string and numeric constraints byte-exact",
			`{"format":"int-or-string","oneOf":[{"type":"integer"},{"type":"string"}],"minimum":1.50,"maximum":65535,"x-kubernetes-int-or-string":true}`,
			`{"format":"int-or-string","maximum":65535,"minimum":1.50,"oneOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := transformString(t, c.in)
			if got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestTransformCountsDroppedKeys(t *testing.T) {
	_, st := transformString(t, `{"description":"a","x-kubernetes-unions":[{}],"x-kubernetes-validations":[],
		"properties":{"a":{"description":"b","discriminator":"z"}}}`)
	if !reflect.DeepEqual(st.stripped, map[string]int{"description": 2, "x-kubernetes-unions": 1}) {
		t.Errorf("stripped = %v", st.stripped)
	}
	if !reflect.DeepEqual(st.unknown, map[string]int{"x-kubernetes-validations": 1, "discriminator": 1}) {
		t.Errorf("unknown = %v", st.unknown)
	}
}

func TestTransformRejectsForeignRefs(t *testing.T) {
	if _, err := transform(parse(t, `{"properties":{"a":{"$ref":"http://example.com/x.json"}}}`), newDropStats()); err == nil {
		t.Fatal("want an error for a non-local $ref")
	}
}

func TestHashDeterministic(t *testing.T) {
	a, _ := transform(parse(t, `{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer","format":"int32"}},"required":["a"]}`), newDropStats())
	b, _ := transform(parse(t, `{"required":["a"],"description":"other words","properties":{"a":{"format":"int32","type":"integer"},"b":{"type":"string"}},"type":"object"}`), newDropStats())
	ca, cb := canonical(a), canonical(b)
	if !bytes.Equal(ca, cb) {
		t.Fatalf("canonical forms differ:\n%s\n%s", ca, cb)
	}
	want := `{"properties":{"a":{"format":"int32","type":"integer"},"b":{"type":"string"}},"required":["a"],"type":"object"}`
	if string(ca) != want {
		t.Errorf("canonical = %s", ca)
	}
	h := hashOf(ca)
	if len(h) != 16 || h != hashOf([]byte(want)) || h == hashOf([]byte(`{"type":"object"}`)) {
		t.Errorf("hash %q not stable or not distinct", h)
	}
	if got := string(canonical(map[string]any{"pattern": "<a&b>"})); got != `{"pattern":"<a&b>"}` {
		t.Errorf("canonical escapes HTML: %s", got)
	}
}

func TestKindsOf(t *testing.T) {
	def := parse(t, `{"x-kubernetes-group-version-kind":[
		{"group":"","kind":"Pod","version":"v1"},
		{"group":"apps","kind":"Deployment","version":"v1"},
		{"group":"","kind":"DeleteOptions","version":"v1"},
		{"group":"apps","kind":"WatchEvent","version":"v1"},
		{"group":"","kind":"Status","version":"v1"},
		{"group":"","kind":"APIVersions","version":"v1"},
		{"group":"policy","kind":"Eviction","version":"v1"}]}`)
	got := kindsOf(def)
	sort.Strings(got)
	want := []string{"apps/v1/Deployment", "policy/v1/Eviction", "v1/Pod"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kindsOf = %v, want %v", got, want)
	}
	if k := kindsOf(parse(t, `{"type":"object"}`)); len(k) != 0 {
		t.Errorf("kindsOf without GVK = %v", k)
	}
}

func TestBuildVersion(t *testing.T) {
	gvk := func(g, v, k string) string {
		return `"x-kubernetes-group-version-kind":[{"group":"` + g + `","version":"` + v + `","kind":"` + k + `"}]`
	}
	core := docDefs{file: "api__v1_openapi.json", defs: parse(t, `{
		"v1.Pod":{"type":"object",`+gvk("", "v1", "Pod")+`,"properties":{"metadata":{"allOf":[{"$ref":"#/components/schemas/meta.ObjectMeta"}]}}},
		"meta.ObjectMeta":{"type":"object","description":"core wording"},
		"v1.Unused":{"type":"string"}}`).(map[string]any)}
	apps := docDefs{file: "apis__apps__v1_openapi.json", defs: parse(t, `{
		"apps.Deployment":{"type":"object",`+gvk("apps", "v1", "Deployment")+`,"properties":{"metadata":{"$ref":"#/components/schemas/meta.ObjectMeta"}}},
		"meta.ObjectMeta":{"type":"object","description":"different wording, same schema"}}`).(map[string]any)}
	vs, err := buildVersion([]docDefs{core, apps}, newDropStats())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(vs.kinds, map[string]string{"v1/Pod": "v1.Pod", "apps/v1/Deployment": "apps.Deployment"}) {
		t.Errorf("kinds = %v", vs.kinds)
	}
	if got := sortedKeys(vs.defs); !reflect.DeepEqual(got, []string{"apps.Deployment", "meta.ObjectMeta", "v1.Pod"}) {
		t.Errorf("reachable defs = %v", got)
	}

	conflicting := docDefs{file: "apis__x__v1_openapi.json", defs: parse(t, `{"meta.ObjectMeta":{"type":"string"}}`).(map[string]any)}
	if _, err := buildVersion([]docDefs{core, conflicting}, newDropStats()); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("want a conflict error, got %v", err)
	}
	dangling := docDefs{file: "api__v1_openapi.json", defs: parse(t, `{"v1.Pod":{`+gvk("", "v1", "Pod")+`,"$ref":"#/components/schemas/Nope"}}`).(map[string]any)}
	if _, err := buildVersion([]docDefs{dangling}, newDropStats()); err == nil {
		t.Error("want an error for a dangling $ref")
	}
}
