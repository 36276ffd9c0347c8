package comments

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"two\n\nparagraphs  here", 40, "two paragraphs here"},
		{"Köln ist schön", 6, "Köln …"},
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"anything", 0, "anything"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestWriters(t *testing.T) {
	c := &Comment{ID: "7", Author: "Ann", Text: "a \"quoted\" <b> & line\nnext", ReplyTo: "Bo", ParentID: "3", Depth: 2,
		Recommendations: 4, EditorsPick: true, Created: time.Date(2019, 12, 27, 10, 0, 0, 0, time.UTC), ThreadID: "a1",
		Source: "f:9", Extra: map[string]any{"z": 1, "a": "x"}}
	var jb bytes.Buffer
	jw := NewJSONLWriter(&jb)
	jw.Write(c)
	jw.Flush()
	want := `{"id":"7","author":"Ann","text":"a \"quoted\" <b> & line\nnext","reply_to":"Bo","parent":"3","depth":2,"recommendations":4,"editors_pick":true,"created":"2019-12-27T10:00:00Z","thread":"a1","source":"f:9","extra":{"a":"x","z":1}}` + "\n"
	if jb.String() != want {
		t.Errorf("JSONL:\n%s\nwant\n%s", jb.String(), want)
	}
	var cb bytes.Buffer
	cw := NewCSVWriter(&cb)
	cw.Write(c)
	cw.Flush()
	wantCSV := strings.Join(CSVHeader, ",") + "\n" +
		`7,Ann,,"a ""quoted"" <b> & line` + "\n" + `next",Bo,3,2,4,true,2019-12-27T10:00:00Z,a1,f:9,"{""a"":""x"",""z"":1}"` + "\n"
	if cb.String() != wantCSV {
		t.Errorf("CSV:\n%s\nwant\n%s", cb.String(), wantCSV)
	}
	// an empty CSV still has its header
	cb.Reset()
	NewCSVWriter(&cb).Flush()
	if cb.String() != strings.Join(CSVHeader, ",")+"\n" {
		t.Errorf("empty CSV %q", cb.String())
	}
	// the table shows the reply and cuts the body
	var tb bytes.Buffer
	tw := NewTableWriter(&tb)
	tw.Width = 12
	tw.Write(c)
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"→ 3", "4 pick", "a \"quoted\" …", "Author"} {
		if !strings.Contains(tb.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, tb.String())
		}
	}
}
