package label

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

func testTaxonomy() *classify.Taxonomy {
	return &classify.Taxonomy{
		Subject: "pets",
		Stances: []string{"for", "against"},
		Arguments: []classify.Argument{
			{ID: "cats", Name: "Cats", Stance: "for", Cues: []string{"cats purr", "kittens are cute"}},
			{ID: "dogs", Name: "Dogs", Stance: "against", Cues: []string{"dogs bark", "puppies play fetch"}},
			{ID: "other", Name: "Other", Stance: ""},
		},
		Fallback: "other",
	}
}

func testItems() []Item {
	texts := []string{
		"my cat purrs all day and the kittens sleep",
		"the dog barks at the postman every morning",
		"we had rain again, the garden is flooded",
		"cats are independent and clean animals",
		"a puppy needs a walk twice a day",
		"the train was late this morning",
	}
	items := make([]Item, len(texts))
	for i, t := range texts {
		items[i] = Item{ID: fmt.Sprintf("c%d", i+1), Author: "A", Text: t, Parent: -1}
	}
	return items
}

func fixedNow() time.Time { return time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC) }

func openTest(t *testing.T, path, strategy string) *Session {
	t.Helper()
	items := testItems()
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Text
	}
	st, err := NewStrategy(strategy, texts, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := SeedModel("pets", testTaxonomy(), classify.Options{}, 1)
	s, err := Open(path, items, Config{Model: m, Strategy: st, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSessionLabelUndoResume labels three comments, undoes one, closes,
// and resumes: the file holds the records and the retraction, the
// resumed session skips the labeled comments, and its model is the one
// trained on the labels in force.
func TestSessionLabelUndoResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	s := openTest(t, path, "sequential")
	for k, lab := range []string{"cats", "dogs", "other"} {
		i := s.Next()
		if i != k {
			t.Fatalf("Next = %d, want %d", i, k)
		}
		if err := s.Label(i, []string{lab}, "for"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Label(0, []string{"dogs"}, ""); err == nil {
		t.Error("labeling a labeled comment again: no error")
	}
	r, ok, err := s.Undo()
	if err != nil || !ok || r.ID != "c3" {
		t.Fatalf("Undo = %v %v %v", r, ok, err)
	}
	if i := s.Next(); i != 2 {
		t.Errorf("after undo, Next = %d, want the undone comment 2", i)
	}
	if got := s.Counts(); got["cats"] != 1 || got["dogs"] != 1 || got["other"] != 0 || s.Labeled() != 2 {
		t.Errorf("counts %v, labeled %d", got, s.Labeled())
	}
	want := s.Model().Clone()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	if len(lines) != 4 || !strings.Contains(lines[3], `"id":"c3"`) || !strings.Contains(lines[3], `"retract":true`) {
		t.Fatalf("file:\n%s", src)
	}
	if !strings.Contains(lines[0], `"text":"my cat purrs`) || !strings.Contains(lines[0], `"timestamp":"2026-12-04T18:00:00Z"`) {
		t.Errorf("first record %s", lines[0])
	}
	// The file is train's format: the records up to the retraction read.
	docs, err := training.ReadDocs("labels.jsonl", strings.NewReader(strings.Join(lines[:3], "\n")))
	if err != nil || len(docs) != 3 || docs[1].Label() != "dogs" {
		t.Errorf("training.ReadDocs: %v, %v", docs, err)
	}

	s2 := openTest(t, path, "sequential")
	defer s2.Close()
	if s2.Labeled() != 2 || s2.Remaining() != 4 {
		t.Errorf("resumed: %d labeled, %d remaining", s2.Labeled(), s2.Remaining())
	}
	if i := s2.Next(); i != 2 {
		t.Errorf("resumed Next = %d, want 2 (c1, c2 labeled)", i)
	}
	for _, it := range testItems() {
		if a, b := want.Posteriors(it.Text, nil), s2.Model().Posteriors(it.Text, nil); !slices.Equal(a, b) {
			t.Errorf("%s: resumed model differs: %v vs %v", it.ID, a, b)
		}
	}
	// Undo reaches labels of earlier sessions.
	if r, ok, err := s2.Undo(); err != nil || !ok || r.ID != "c2" {
		t.Errorf("Undo after resume = %v %v %v", r, ok, err)
	}
}

func TestSessionSkipAndEnd(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "l.jsonl"), "sequential")
	defer s.Close()
	s.Skip(0)
	if i := s.Next(); i != 1 {
		t.Errorf("after skip Next = %d, want 1", i)
	}
	for i := 1; i < 6; i++ {
		if err := s.Label(i, []string{"other"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if i := s.Next(); i != -1 {
		t.Errorf("all done: Next = %d, want -1", i)
	}
	if s.Remaining() != 0 {
		t.Errorf("Remaining = %d", s.Remaining())
	}
}

func TestSessionUnknownLabelInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.jsonl")
	os.WriteFile(path, []byte(`{"id":"c1","text":"x","label":"birds"}`+"\n"), 0o644)
	m := SeedModel("pets", testTaxonomy(), classify.Options{}, 1)
	if _, err := Open(path, testItems(), Config{Model: m}); err == nil || !strings.Contains(err.Error(), `l.jsonl:1: label "birds"`) {
		t.Errorf("err %v", err)
	}
}

// TestSessionForeignLabels: labels of comments not in the pool still
// train the model and count.
func TestSessionForeignLabels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.jsonl")
	os.WriteFile(path, []byte(`{"id":"x9","text":"parrots talk","label":"other"}`+"\n"), 0o644)
	s := openTest(t, path, "sequential")
	defer s.Close()
	if s.Labeled() != 1 || s.Remaining() != 6 || s.Model().Docs("other") != 2 {
		t.Errorf("labeled %d remaining %d docs(other) %g", s.Labeled(), s.Remaining(), s.Model().Docs("other"))
	}
}

func TestLeaveOneOut(t *testing.T) {
	docs := []training.Doc{
		{Text: "cats purr softly", Labels: []string{"cats"}},
		{Text: "cats purr and sleep", Labels: []string{"cats"}},
		{Text: "dogs bark loudly", Labels: []string{"dogs"}},
		{Text: "dogs bark and run", Labels: []string{"dogs"}},
	}
	m := classify.NewModel("t", nil, []string{"cats", "dogs"}, classify.Options{})
	for _, d := range docs {
		m.Learn(d.Text, d.Labels, 1)
	}
	before := m.Posteriors("cats bark", nil)
	e := LeaveOneOut(m, docs, 0)
	if e.Documents != 4 || e.Correct != 4 || e.Accuracy() != 1 {
		t.Errorf("estimate %+v", e)
	}
	if after := m.Posteriors("cats bark", nil); !slices.Equal(before, after) {
		t.Errorf("model changed: %v vs %v", before, after)
	}
	if e := LeaveOneOut(m, docs, 2); e.Documents != 2 {
		t.Errorf("max 2: %+v", e)
	}
}
