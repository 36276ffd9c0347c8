package comments

import (
	"strings"
	"testing"
)

func TestHeaderLike(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for no warning
	}{
		{"cid,who,body_txt\n1,A,China lies\n", "CSV"},
		{"cid\twho\tbody txt\n1\tA\tChina lies\n", "TSV"},
		{"\"cid\",\"who\"\n1,A\n", "CSV"},
		{"Huawei is a spy, trust me\nNo evidence, none at all\n", ""},
		{"Great point, agreed\nyes\n", ""},
		{"cid,who\n", ""}, // nothing after the header
		{"one comment\nanother\n", ""},
		{"2019,2020\n1,2\n", ""}, // numbers are not names
	} {
		got, ok := headerLike([]byte(tc.in))
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("headerLike(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// Auto-detection that falls back to plain lines on a header-like first
// line says so, and reading goes on.
func TestOpenWarnsOnUnknownHeader(t *testing.T) {
	var warns []string
	s, err := Open("x.csv", strings.NewReader("cid,who,body_txt\n1,A,China lies\n"), Options{Warn: func(m string) { warns = append(warns, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if s.Format() != "lines" {
		t.Fatalf("format %q, want lines", s.Format())
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "x.csv:1:") || !strings.Contains(warns[0], "--text-col") {
		t.Fatalf("warnings %q", warns)
	}
	// With the column named, the same input is CSV and the header is no comment.
	s, err = Open("x.csv", strings.NewReader("cid,who,body_txt\n1,A,China lies\n"), Options{Columns: map[string]string{"text": "body_txt", "author": "who", "id": "cid"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Read()
	if err != nil || c.Text != "China lies" || c.Author != "A" || c.ID != "1" {
		t.Fatalf("got %+v, %v", c, err)
	}
}
