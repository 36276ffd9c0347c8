package comments

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// seedPath is the seed thread, byte for byte as copied from the page.
var seedPath = filepath.Join("..", "testdata", "nyt-huawei-shared-values-2019-12-27.txt")

// pagePath is the seed with the page furniture people copy along.
var pagePath = filepath.Join("..", "testdata", "nyt-huawei-shared-values-2019-12-27-page.txt")

// readAllStream opens data and reads every comment, collecting warnings.
// It stops at the first error.
func readAllStream(t testing.TB, name string, data []byte, opt Options) ([]*Comment, []string, error) {
	t.Helper()
	var warns []string
	opt.Warn = func(m string) { warns = append(warns, m) }
	s, err := Open(name, strings.NewReader(string(data)), opt)
	if err != nil {
		return nil, warns, err
	}
	defer s.Close()
	var out []*Comment
	for {
		c, err := s.Read()
		if err == io.EOF {
			return out, warns, nil
		}
		if err != nil {
			return out, warns, err
		}
		out = append(out, c)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameComments compares comments field by field, ignoring Source (which
// names the file read) and comparing times as instants.
func sameComments(t testing.TB, got, want []*Comment) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d comments, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := *got[i], *want[i]
		if !g.Created.Equal(w.Created) {
			t.Errorf("comment %d: created %v, want %v", i+1, g.Created, w.Created)
		}
		g.Created, w.Created = time.Time{}, time.Time{}
		g.Source, w.Source = "", ""
		if len(g.Extra) == 0 && len(w.Extra) == 0 {
			g.Extra, w.Extra = nil, nil
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("comment %d:\n got %+v\nwant %+v", i+1, g, w)
		}
	}
}
