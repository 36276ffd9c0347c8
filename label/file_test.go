package label

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stance-dev/stance/training"
)

func TestLogAppendReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	l, recs, warns, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 0 || len(warns) != 0 {
		t.Fatalf("new file: %d records, warnings %v", len(recs), warns)
	}
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	for _, r := range []Record{
		{ID: "c1", Text: "one", Label: "a", Labels: []string{"a"}, Stance: "for", Time: at},
		{ID: "c2", Text: "two", Label: "b", Labels: []string{"b"}, Time: at},
		{ID: "c1", Retract: true, Time: at},
	} {
		if err := l.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(path)
	want := `{"id":"c1","text":"one","label":"a","labels":["a"],"stance":"for","timestamp":"2026-12-04T18:00:00Z"}
{"id":"c2","text":"two","label":"b","labels":["b"],"timestamp":"2026-12-04T18:00:00Z"}
{"id":"c1","timestamp":"2026-12-04T18:00:00Z","retract":true}
`
	if string(src) != want {
		t.Errorf("file:\n%s\nwant:\n%s", src, want)
	}
	l, recs, _, err = OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if len(recs) != 3 || recs[2].Line != 3 || !recs[2].Retract {
		t.Fatalf("records %+v", recs)
	}
	in := Resolve(recs)
	if len(in) != 1 || in[0].ID != "c2" {
		t.Errorf("in force: %+v", in)
	}
}

func TestResolve(t *testing.T) {
	recs := []Record{
		{ID: "a", Label: "x"}, {ID: "b", Label: "x"}, {ID: "c", Label: "y"},
		{ID: "b", Retract: true}, {ID: "a", Label: "z"}, {ID: "d", Retract: true},
		{ID: "c", Retract: true}, {ID: "c", Label: "x"},
	}
	var got []string
	for _, r := range Resolve(recs) {
		got = append(got, r.ID+"="+r.Label)
	}
	if strings.Join(got, " ") != "a=z c=x" {
		t.Errorf("Resolve: %v, want [a=z c=x]", got)
	}
}

// TestLogTornTail: a record cut short by a crash is dropped from the file
// and reported; the next record then starts on its own line.
func TestLogTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	good := `{"id":"c1","text":"one","label":"a","timestamp":"2026-12-04T18:00:00Z"}` + "\n"
	if err := os.WriteFile(path, []byte(good+`{"id":"c2","text":"tw`), 0o644); err != nil {
		t.Fatal(err)
	}
	l, recs, warns, err := OpenLog(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ID != "c1" {
		t.Errorf("records %+v", recs)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "labels.jsonl:2: dropped a truncated last record (21 bytes") {
		t.Errorf("warnings %q", warns)
	}
	if err := l.Append(Record{ID: "c3", Text: "three", Label: "b"}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	src, _ := os.ReadFile(path)
	if lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], `{"id":"c3"`) {
		t.Errorf("file after repair:\n%s", src)
	}
	// A whole last record without its newline is kept, and gets one.
	if err := os.WriteFile(path, []byte(strings.TrimSuffix(good, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	l, recs, warns, err = OpenLog(path)
	if err != nil || len(recs) != 1 || len(warns) != 0 {
		t.Fatalf("records %v, warnings %v, err %v", recs, warns, err)
	}
	l.Close()
	if src, _ := os.ReadFile(path); string(src) != good {
		t.Errorf("file %q, want %q", src, good)
	}
}

func TestLogBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	src := `{"id":"c1","text":"one","label":"a"}` + "\n" + `not json` + "\n" + `{"id":"c2","label":"b"}` + "\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, _, err := OpenLog(path)
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Fatalf("err %v, want a FileError at line 2", err)
	}
	for _, c := range []struct{ line, msg string }{
		{`{"label":"a"}`, "no id"},
		{`{"id":"c1","text":"x"}`, "no label"},
		{`{"id":"c1","label":"a","labels":["b","a"]}`, "differs"},
	} {
		if err := os.WriteFile(path, []byte(c.line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := OpenLog(path); err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), ":1:") {
			t.Errorf("%s: err %v, want %q at line 1", c.line, err, c.msg)
		}
	}
}

// TestReadDocsAndWriteDocs: a labels file (records with an id and a
// timestamp, and retractions) is read by training.ReadDocs with its
// retractions applied, and WriteDocs exports the labels in force.
func TestReadDocsAndWriteDocs(t *testing.T) {
	src := `{"id":"c1","text":"one","label":"a","stance":"for","timestamp":"2026-12-04T10:00:00Z"}
{"id":"c2","text":"two","label":"b","timestamp":"2026-12-04T10:00:01Z"}
{"id":"c1","retract":true,"timestamp":"2026-12-04T10:00:02Z"}
{"id":"c3","text":"three","labels":["a","b"],"timestamp":"2026-12-04T10:00:03Z"}
`
	docs, err := training.ReadDocs("l.jsonl", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Text != "two" || docs[1].Label() != "a" || len(docs[1].Labels) != 2 {
		t.Errorf("docs %+v", docs)
	}
	recs, _, err := ReadRecords("l.jsonl", []byte(src+`{"id":"c4","te`))
	if err != nil || len(recs) != 4 {
		t.Fatalf("ReadRecords: %d records, %v", len(recs), err)
	}
	var buf bytes.Buffer
	if err := WriteDocs(&buf, recs); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "retract") || strings.Count(buf.String(), "\n") != 2 {
		t.Errorf("WriteDocs:\n%s", buf.String())
	}
}
