package vader

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// goldenRow is one reference result of vaderSentiment 3.3.2.
type goldenRow struct {
	line int
	text string
	want Scores
}

// readGolden parses testdata/golden.tsv: a header comment, then rows of
// a JSON-encoded text and the four reference scores.
func readGolden(t testing.TB) []goldenRow {
	t.Helper()
	f, err := os.Open("testdata/golden.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	var rows []goldenRow
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			if !strings.HasPrefix(line, "#") {
				t.Fatalf("golden.tsv line 1: want a header comment, got %q", line)
			}
			continue
		}
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 5 {
			t.Fatalf("golden.tsv line %d: want 5 fields, got %d", n, len(fields))
		}
		var r goldenRow
		r.line = n
		if err := json.Unmarshal([]byte(fields[0]), &r.text); err != nil {
			t.Fatalf("golden.tsv line %d: field text: %v", n, err)
		}
		var nums [4]float64
		for i := range nums {
			v, err := strconv.ParseFloat(fields[i+1], 64)
			if err != nil {
				t.Fatalf("golden.tsv line %d: field %d: %v", n, i+2, err)
			}
			nums[i] = v
		}
		r.want = Scores{Neg: nums[0], Neu: nums[1], Pos: nums[2], Compound: nums[3]}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestGolden checks every row of the vaderSentiment 3.3.2 reference file
// within 0.0005 on each score.
func TestGolden(t *testing.T) {
	rows := readGolden(t)
	if len(rows) < 300 {
		t.Fatalf("golden.tsv: %d rows, want at least 300", len(rows))
	}
	a := New()
	const tol = 0.0005
	maxDev := 0.0
	failed := 0
	for _, r := range rows {
		got := a.PolarityScores(r.text)
		devs := [4]float64{
			math.Abs(got.Neg - r.want.Neg), math.Abs(got.Neu - r.want.Neu),
			math.Abs(got.Pos - r.want.Pos), math.Abs(got.Compound - r.want.Compound),
		}
		bad := false
		for _, d := range devs {
			maxDev = math.Max(maxDev, d)
			if d > tol || math.IsNaN(d) {
				bad = true
			}
		}
		if bad {
			failed++
			t.Errorf("golden.tsv line %d: got %+v, want %+v\ntext: %q", r.line, got, r.want, r.text)
		}
	}
	t.Logf("%d rows, %d failed, max deviation %.6f", len(rows), failed, maxDev)
}
