package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInputSet(t *testing.T) {
	seed := filepath.Join("..", "..", "testdata", "nyt-huawei-shared-values-2019-12-27.txt")
	st, err := os.Stat(seed)
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(`{"text":"a"}` + "\n" + `{"text":1}` + "\n" + `{"text":"c"}`), Out: io.Discard, ErrOut: &errOut}
	o := &commonOptions{SkipBad: true, InputFormat: "auto"}
	in := openInputs(ios, o, []string{seed, "-"})
	if in.TotalBytes() != 0 {
		t.Errorf("TotalBytes %d with stdin, want 0 (unknown)", in.TotalBytes())
	}
	n := 0
	for {
		_, err := in.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 52 || in.Skipped() != 1 {
		t.Errorf("%d comments, %d skipped; want 52, 1", n, in.Skipped())
	}
	if got := strings.Join(in.Names(), ","); got != seed+",stdin" {
		t.Errorf("names %s", got)
	}
	th := in.Threads()
	if len(th) != 2 || th[0].Declared != 50 || !strings.HasPrefix(th[0].Title, "Blocked in U.S.") || th[1].Title != "" {
		t.Errorf("threads %+v", th)
	}
	if in.BytesRead() != st.Size()+int64(len(`{"text":"a"}`+"\n"+`{"text":1}`+"\n"+`{"text":"c"}`)) {
		t.Errorf("BytesRead %d", in.BytesRead())
	}
	if err := in.Close(); err != nil {
		t.Error(err)
	}
	if !strings.Contains(errOut.String(), "skipped 1 bad record(s): stdin:2\n") {
		t.Errorf("stderr %q", errOut.String())
	}
	// only files: their sizes add up
	in = openInputs(ios, o, []string{seed, seed})
	if in.TotalBytes() != 2*st.Size() {
		t.Errorf("TotalBytes %d, want %d", in.TotalBytes(), 2*st.Size())
	}
	in.Close()
}
