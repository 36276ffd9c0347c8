package classify

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func testTaxonomy() *Taxonomy {
	return &Taxonomy{
		Subject: "Huawei in Europe's 5G networks",
		Stances: []string{"for", "against", "neutral"},
		Arguments: []Argument{
			{ID: "a", Name: "Arg A", Description: "first \"quoted\" <arg> & co", Stance: "for", Cues: []string{"cheap"}},
			{ID: "b", Name: "Arg B", Stance: "against"},
			{ID: "c", Name: "Arg C", Stance: "neutral"},
			{ID: "d", Name: "Other", Stance: "neutral"},
		},
		Fallback: "d",
	}
}

func encoded(t testing.TB, m *Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEncodeRoundTrip(t *testing.T) {
	for name, opt := range optionSets {
		t.Run(name, func(t *testing.T) {
			opt.Abstain = 0.3
			m := seedModel(t, opt, nil, func(i int) float64 { return 1 + float64(i%3)/7 })
			m.Taxonomy = testTaxonomy()
			m.Training.Source = "seed.txt: 46 documents"
			m.Training.DataHash = "abc123"
			data := encoded(t, m)
			if !bytes.HasPrefix(data, []byte(`{"format":"stance-model","version":2,"hash":"`+m.Hash()+`","source":"seed.txt: 46 documents","name":`)) {
				t.Fatalf("encoding starts %.100s", data)
			}
			if again := encoded(t, m); !bytes.Equal(data, again) {
				t.Fatal("encoding is not deterministic")
			}
			d, err := DecodeModel(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if d.Hash() != m.Hash() || d.ID() != m.ID() || !strings.HasPrefix(d.ID(), "seed@") || len(d.ID()) != len("seed@")+12 {
				t.Errorf("decoded identity %s, want %s", d.ID(), m.ID())
			}
			if re := encoded(t, d); !bytes.Equal(re, data) {
				t.Error("re-encoding the decoded model gives other bytes")
			}
			if d.Training.Source != m.Training.Source || d.Training.DataHash != "abc123" || d.Training.Documents != m.Training.Documents ||
				d.Training.Docs["b"] != m.Training.Docs["b"] || d.Taxonomy.Arguments[0].Description != m.Taxonomy.Arguments[0].Description {
				t.Errorf("decoded summary %+v, taxonomy %+v", d.Training, d.Taxonomy)
			}
			for _, body := range seedBodies(t) {
				pa, pb := m.Predict(body), d.Predict(body)
				if pa.Label != pb.Label || pa.P != pb.P || pa.Margin != pb.Margin || len(pa.Cues) != len(pb.Cues) {
					t.Fatalf("prediction differs after decoding: %+v vs %+v", pa, pb)
				}
			}
			// gzip is detected.
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(data)
			zw.Close()
			g, err := DecodeModel(&z)
			if err != nil || g.Hash() != m.Hash() {
				t.Errorf("gzipped model: %v", err)
			}
			// Learning after decoding works and changes the hash.
			d.Learn("brand new words here", []string{"a"}, 1)
			if d.Hash() == m.Hash() || d.Predict("brand new words").Label != "a" {
				t.Error("decoded model does not learn")
			}
		})
	}
}

func TestHashChangesWithContent(t *testing.T) {
	a := handModel(Options{})
	b := handModel(Options{})
	if a.Hash() != b.Hash() {
		t.Fatal("equal models, different hashes")
	}
	b.Name = "other"
	if a.Hash() == b.Hash() {
		t.Error("the name is not hashed")
	}
	c := handModel(Options{})
	c.Learn("x", []string{"A"}, 1)
	if a.Hash() == c.Hash() {
		t.Error("learning does not change the hash")
	}
}

func TestDecodeErrors(t *testing.T) {
	m := seedModel(t, Options{}, nil, nil)
	good := encoded(t, m)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(good)
	zw.Close()

	tests := []struct {
		name string
		data []byte
		is   error
		msg  string
	}{
		{"empty", nil, ErrNotModel, "not a stance model"},
		{"text", []byte("Kai (Oatey)\nHuawei, he said...\n"), ErrNotModel, "not a stance model"},
		{"other json", []byte(`{"text":"hello","label":"x"}`), ErrNotModel, "not a stance model"},
		{"json array", []byte(`[1,2,3]`), ErrNotModel, "not a stance model"},
		{"newer", bytes.Replace(good, []byte(`"version":2`), []byte(`"version":7`), 1), ErrModelVersion, "model version 7 is newer than this stance (4)"},
		{"older", bytes.Replace(good, []byte(`"version":2`), []byte(`"version":0`), 1), ErrModelVersion, "model version 0 (this stance reads 1 to 4)"},
		{"truncated", good[:len(good)/2], ErrCorruptModel, "truncated"},
		{"truncated gzip", gz.Bytes()[:gz.Len()/2], ErrCorruptModel, "corrupt"},
		{"changed count", bytes.Replace(good, []byte(`"counts":[[`), []byte(`"counts":[[7`), 1), ErrCorruptModel, "hash mismatch: file is corrupt"},
		{"changed name", bytes.Replace(good, []byte(`"name":"seed"`), []byte(`"name":"seeds"`), 1), ErrCorruptModel, "hash mismatch: file is corrupt"},
		{"changed hash", bytes.Replace(good, []byte(`"hash":"`), []byte(`"hash":"0`), 1), ErrCorruptModel, "hash mismatch"},
		{"extra term_docs", bytes.Replace(good, []byte(`"term_docs":[`), []byte(`"term_docs":[1,`), 1), ErrCorruptModel, "entries"},
		{"class count", bytes.Replace(good, []byte(`"classes":[`), []byte(`"classes":["z",`), 1), ErrCorruptModel, "5 classes but 4 docs"},
		{"bad type", bytes.Replace(good, []byte(`"total":`), []byte(`"total":"x",  "x":`), 1), ErrCorruptModel, "corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeModel(bytes.NewReader(tt.data))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want %v containing %q", err, tt.is, tt.msg)
			}
		})
	}
}

// TestDefaultModelFile decodes the shipped default model (written by
// package training through Encode and gzip) and checks that re-encoding it
// gives the same bytes and that its taxonomy and scoring are intact.
func TestDefaultModelFile(t *testing.T) {
	m := defaultModel(t)
	f, err := os.Open("../training/default/model.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if got := encoded(t, m); !bytes.Equal(got, raw) {
		t.Error("re-encoding the default model changes its bytes")
	}
	if m.Taxonomy == nil || len(m.Classes()) != len(m.Taxonomy.Arguments) || m.Taxonomy.Fallback == "" {
		t.Fatalf("default model taxonomy %+v, classes %v", m.Taxonomy, m.Classes())
	}
	s := NewScorer(m)
	for _, body := range seedBodies(t) {
		r := s.ScoreText(body)
		if m.argument(r.Argument.Label) == nil || r.Stance == "" || len(r.Argument.Cues) == 0 {
			t.Fatalf("default model result %+v", r)
		}
	}
}

// termID returns the id of term in m's vocabulary, through the term index.
func (m *Model) termID(term string) (int32, bool) {
	id := m.index.find(m.terms, []byte(term), stringTermKey(term), stringTermKey2(term), hashString(term))
	return id, id >= 0
}
