package training

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestDefaultTaxonomyFile(t *testing.T) {
	src, err := os.ReadFile("default/huawei.toml")
	if err != nil {
		t.Fatal(err)
	}
	tax, err := ParseTaxonomy("default/huawei.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, name, stance string }{
		{"china-untrustworthy", "China untrustworthy", "against"},
		{"state-control", "State control", "against"},
		{"no-evidence", "No evidence", "for"},
		{"snowden-hypocrisy", "Snowden hypocrisy", "for"},
		{"us-protectionism", "US protectionism", "for"},
		{"us-alienates-allies", "US alienates allies", "neutral"},
		{"europe-naive", "Europe naive", "against"},
		{"other", "Other", "neutral"},
	}
	if len(tax.Arguments) != len(want) {
		t.Fatalf("%d arguments, want %d", len(tax.Arguments), len(want))
	}
	for i, w := range want {
		a := tax.Arguments[i]
		if a.ID != w.id || a.Name != w.name || a.Stance != w.stance {
			t.Errorf("argument %d = %s/%s/%s, want %s/%s/%s", i, a.ID, a.Name, a.Stance, w.id, w.name, w.stance)
		}
		if len(a.Description) < 100 || len(a.Cues) < 15 {
			t.Errorf("argument %s: description %d bytes, %d cues: too thin", a.ID, len(a.Description), len(a.Cues))
		}
	}
	if tax.Fallback != "other" || tax.Subject != "Huawei in Europe's 5G networks" {
		t.Errorf("fallback %q subject %q", tax.Fallback, tax.Subject)
	}
}

const goodTOML = `subject = "s"
stances = ["for", "against"]
fallback = "b"

[[arguments]]
id = "a"
name = "A"
stance = "for"
cues = ["x y"]

[[arguments]]
id = "b"
name = "B"
`

func TestTaxonomyErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"unknown stance", strings.Replace(goodTOML, `stance = "for"`, `stance = "pro"`, 1), `t.toml:8: field stance: argument "a" has unknown stance "pro" (stances: for, against)`},
		{"duplicate id", strings.Replace(goodTOML, `id = "b"`, `id = "a"`, 1), `t.toml:12: field id: duplicate argument id "a" (first at line 6)`},
		{"bad fallback", strings.Replace(goodTOML, `fallback = "b"`, `fallback = "c"`, 1), `t.toml:3: field fallback: fallback "c" is not an argument id`},
		{"empty id", strings.Replace(goodTOML, `id = "b"`, `id = ""`, 1), `t.toml:12: field id: argument 2 has an empty id`},
		{"empty name", strings.Replace(goodTOML, `name = "B"`, `name = " "`, 1), `t.toml:13: field name: argument "b" has an empty name`},
		{"missing name", strings.Replace(goodTOML, `name = "B"`, ``, 1), `t.toml:11: field name: argument "b" has an empty name`},
		{"unknown top key", strings.Replace(goodTOML, `subject = "s"`, "subject = \"s\"\ntitle = \"t\"", 1), `t.toml:2: unknown key "title" (valid keys: subject, stances, fallback, arguments)`},
		{"unknown argument key", strings.Replace(goodTOML, `name = "B"`, "name = \"B\"\nweight = 2", 1), `t.toml:14: unknown key "weight" in [[arguments]] (valid keys: id, name, description, stance, cues)`},
		{"syntax", strings.Replace(goodTOML, `name = "B"`, `name = "B`, 1), `t.toml:13: `},
		{"wrong type", strings.Replace(goodTOML, `id = "b"`, `id = 3`, 1), `t.toml:12: `},
		{"space in id", strings.Replace(goodTOML, `id = "b"`, `id = "b c"`, 1), `t.toml:12: field id: argument id "b c" contains a space, comma or quote`},
		{"no arguments", "subject = \"s\"\n", `t.toml: no [[arguments]]`},
		{"empty cue", strings.Replace(goodTOML, `cues = ["x y"]`, `cues = ["x y", ""]`, 1), `t.toml:9: field cues: argument "a" has an empty cue phrase`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTaxonomy("t.toml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Errorf("error %T is not *Error", err)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error\n%s\nwant prefix\n%s", err, c.want)
			}
		})
	}
	tax, err := ParseTaxonomy("t.toml", []byte(goodTOML))
	if err != nil {
		t.Fatal(err)
	}
	if tax.Arguments[0].Cues[0] != "x y" || tax.Fallback != "b" || len(tax.Stances) != 2 {
		t.Errorf("parsed %+v", tax)
	}
}

func FuzzTaxonomy(f *testing.F) {
	src, _ := os.ReadFile("default/huawei.toml")
	f.Add(src)
	f.Add([]byte(goodTOML))
	f.Add([]byte("arguments = [{id = \"a\", name = \"A\"}, {id=\"b\", name=\"B\", stance=\"x\"}]\nstances=[\"x\"]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		tax, err := ParseTaxonomy("f.toml", src)
		if err != nil {
			var te *Error
			if !errors.As(err, &te) || te.File != "f.toml" {
				t.Fatalf("error %T %v is not an *Error naming f.toml", err, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range tax.Arguments {
			if a.ID == "" || a.Name == "" || seen[a.ID] {
				t.Fatalf("invalid argument accepted: %+v", a)
			}
			seen[a.ID] = true
		}
		if tax.Fallback != "" && !seen[tax.Fallback] {
			t.Fatalf("bad fallback accepted")
		}
	})
}
