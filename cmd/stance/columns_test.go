package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command that reads comments takes the --FIELD-col flags, on both
// of score's input paths (CSV through the reader, JSONL in parallel chunks).
func TestColumnFlagsInEveryReadingCommand(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "export.csv")
	os.WriteFile(csvPath, []byte("cid,who,body_txt\n1,A,China cannot be trusted\n2,B,\"@A there is no evidence, none\"\n"), 0o644)
	jsonlPath := filepath.Join(dir, "export.jsonl")
	os.WriteFile(jsonlPath, []byte(`{"cid":"1","who":"A","msg":"China cannot be trusted"}`+"\n"+`{"cid":"2","who":"B","msg":"@A there is no evidence"}`+"\n"), 0o644)

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"score csv", []string{"score", "--quiet", csvPath, "--text-col", "body_txt", "--author-col", "who", "--id-col", "cid"}},
		{"score jsonl", []string{"score", "--quiet", jsonlPath, "--text-col", "msg", "--author-col", "who", "--id-col", "cid"}},
	} {
		code, out, errOut := runCmd(t, tc.args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 {
			t.Fatalf("%s: %d records, want 2 (the header is no comment):\n%s", tc.name, len(lines), out)
		}
		var r struct {
			ID, Author, Parent string
		}
		if err := json.Unmarshal([]byte(lines[1]), &r); err != nil {
			t.Fatal(err)
		}
		if r.ID != "2" || r.Author != "B" || r.Parent != "1" {
			t.Errorf("%s: second record %+v, want id 2 by B replying to 1", tc.name, r)
		}
	}
	code, out, errOut := runCmd(t, "table", csvPath, "--text-col", "body_txt", "--author-col", "who", "--by", "comments", "-f", "csv")
	if code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 2 || !strings.Contains(out, "B") {
		t.Fatalf("table: exit %d, stderr %q, out:\n%s", code, errOut, out)
	}
}
