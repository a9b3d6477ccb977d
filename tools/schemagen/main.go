// schemagen builds shipshape's bundled offline Kubernetes schemas (schemas/kubernetes) from k8s.io/kubernetes.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// specFile matches the per-group-version documents (core "api__v1" and "apis__<group>__<version>").
var specFile = regexp.MustCompile(`^(api__v1|apis__[^_]+__[^_]+)_openapi\.json$`)

func main() {
	out := flag.String("out", "", "write the schemas into this directory (replaced as a whole)")
	check := flag.String("check", "", "exit 1 if the schemas in this directory are not what would be generated")
	flag.Parse()
	if (*out == "") == (*check == "") || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: schemagen -out DIR | -check DIR")
		os.Exit(2)
	}
	start := time.Now()
	st := newDropStats()
	files, err := generate(st)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
	reportDrops(st)
	if *out != "" {
		if err := writeAll(*out, files); err != nil {
			fmt.Fprintln(os.Stderr, "schemagen:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "schemagen: wrote %d files to %s in %s\n", len(files), *out, time.Since(start).Round(time.Millisecond))
		return
	}
	problems, err := compare(*check, files)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "schemagen: %s is out of date:\n  %s\nRegenerate with `npm run schemas` (or scripts/schemas.sh) and commit the result.\n",
			*check, strings.Join(problems, "\n  "))
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "schemagen: %s is up to date (%s)\n", *check, time.Since(start).Round(time.Millisecond))
}

// generate builds every output file in memory: file name -> bytes.
func generate(st *dropStats) (map[string][]byte, error) {
	files := map[string][]byte{}
	store := map[string][]byte{} // hash -> canonical schema
	minors := map[string]string{}
	var latest string
	for _, ver := range versions {
		minor, err := minorOf(ver)
		if err != nil {
			return nil, err
		}
		if _, dup := minors[minor]; dup {
			return nil, fmt.Errorf("versions lists minor %s twice", minor)
		}
		minors[minor], latest = ver, minor
		dir, err := download(ver)
		if err != nil {
			return nil, err
		}
		docs, err := readDocs(filepath.Join(dir, "api", "openapi-spec", "v3"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ver, err)
		}
		vs, err := buildVersion(docs, st)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ver, err)
		}
		hashes := map[string]string{}
		for name, schema := range vs.defs {
			c := canonical(schema)
			h := hashOf(c)
			if prev, ok := store[h]; ok && !bytes.Equal(prev, c) {
				return nil, fmt.Errorf("hash collision on %s (%s)", h, name)
			}
			store[h], hashes[name] = c, h
		}
		files["v"+minor+".json"] = pretty(map[string]any{"kubernetesVersion": ver, "kinds": vs.kinds, "defs": hashes})
		fmt.Fprintf(os.Stderr, "schemagen: %s: %d kinds, %d defs\n", ver, len(vs.kinds), len(vs.defs))
	}
	files["index.json"] = pretty(map[string]any{"default": latest, "versions": minors, "source": source})
	// defs.json holds one definition per line: diffs stay readable, and the registry reads only the
	// lines a run reaches (bundledSchemas().loadDef in src/schema/registry.ts).
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, h := range sortedKeys(store) {
		fmt.Fprintf(&b, "  %q: %s", h, store[h])
		if i < len(store)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	files["defs.json"] = b.Bytes()
	fmt.Fprintf(os.Stderr, "schemagen: shared store: %d defs\n", len(store))
	return files, nil
}

// minorOf turns "v1.37.2" into "1.37".
func minorOf(ver string) (string, error) {
	parts := strings.Split(strings.TrimPrefix(ver, "v"), ".")
	if !strings.HasPrefix(ver, "v") || len(parts) != 3 {
		return "", fmt.Errorf("bad version %q", ver)
	}
	return parts[0] + "." + parts[1], nil
}

// download fetches k8s.io/kubernetes@ver into the module cache and returns its directory.
func download(ver string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", "k8s.io/kubernetes@"+ver)
	cmd.Dir = os.TempDir() // outside any module, so nothing here is touched
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, runErr := cmd.Output()
	var res struct{ Dir, Error string }
	if err := json.Unmarshal(outb, &res); err != nil || res.Error != "" || runErr != nil || res.Dir == "" {
		return "", fmt.Errorf("go mod download k8s.io/kubernetes@%s failed: %v %s %s", ver, runErr, res.Error, stderr.String())
	}
	return res.Dir, nil
}

// readDocs parses the group-version documents of one release, in file-name order.
func readDocs(dir string) ([]docDefs, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var docs []docDefs
	for _, e := range entries {
		if !specFile.MatchString(e.Name()) {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber() // keep numbers byte-exact
		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		docs = append(docs, docDefs{file: e.Name(), defs: doc.Components.Schemas})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("no group-version documents in %s", dir)
	}
	return docs, nil
}

// pretty is indented, sorted-key JSON with a trailing newline.
func pretty(v any) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, canonical(v), "", "  "); err != nil {
		panic(err)
	}
	b.WriteString("\n")
	return b.Bytes()
}

// reportDrops prints, once, which schema keys were removed and how often.
func reportDrops(st *dropStats) {
	line := func(m map[string]int) string {
		if len(m) == 0 {
			return "none"
		}
		var parts []string
		for _, k := range sortedKeys(m) {
			parts = append(parts, fmt.Sprintf("%s(%d)", k, m[k]))
		}
		return strings.Join(parts, " ")
	}
	fmt.Fprintln(os.Stderr, "schemagen: stripped keys:", line(st.stripped))
	fmt.Fprintln(os.Stderr, "schemagen: unknown keys dropped:", line(st.unknown))
}

// writeAll writes the files into a fresh sibling directory, then swaps it in for dir.
func writeAll(dir string, files map[string][]byte) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return err
		}
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir) // put the previous set back
		return err
	}
	return os.RemoveAll(old)
}

// compare lists how dir differs from the generated files.
func compare(dir string, files map[string][]byte) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var problems []string
	onDisk := map[string]bool{}
	for _, e := range entries {
		onDisk[e.Name()] = true
		if _, ok := files[e.Name()]; !ok {
			problems = append(problems, "extra:   "+e.Name())
		}
	}
	for _, name := range sortedKeys(files) {
		if !onDisk[name] {
			problems = append(problems, "missing: "+name)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(data, files[name]) {
			problems = append(problems, "stale:   "+name)
		}
	}
	sort.Strings(problems)
	return problems, nil
}
