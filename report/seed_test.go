package report

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/training"
)

// seedResults scores the seed thread with the embedded default model: the
// real pipeline the README's command runs.
func seedResults(t testing.TB) ([]classify.Result, *classify.Model) {
	t.Helper()
	const path = "../testdata/nyt-huawei-shared-values-2019-12-27.txt"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := comments.Open(path, f, comments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := training.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := classify.NewScorer(m)
	var res []classify.Result
	for {
		c, err := s.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		res = append(res, sc.Score(c))
	}
	return res, m
}

// TestSeedThread checks the tables of the seed thread (50 comments) for
// the promises of the issue: every argument has a row, rows are sorted,
// plain counts add to the comments, per-author counts to the (author,
// argument) pairs, replies in the exchange table to the replies whose
// parent is in the thread.
func TestSeedThread(t *testing.T) {
	res, m := seedResults(t)
	if len(res) != 50 {
		t.Fatalf("%d comments in the seed thread, want 50", len(res))
	}
	info := ModelOf(m)
	// cc: the shares as labeled, with Wilson intervals, over the placed
	// comments; the unclear ones in a last row of their own.
	tb, err := Build(res, info, Input{Names: []string{"seed"}}, Options{Estimate: "cc"})
	if err != nil {
		t.Fatal(err)
	}
	if info.Heldout == nil || info.Heldout.Unclear <= 0 {
		t.Fatalf("the default model has no abstain threshold")
	}
	unclear := tb.Rows[len(tb.Rows)-1]
	tb.Rows = tb.Rows[:len(tb.Rows)-1]
	if unclear[0].Text != "unclear" {
		t.Fatalf("last row %q, want the unclear row", unclear[0].Text)
	}
	placed := 50 - num(unclear[column(tb, "count")])
	if len(tb.Rows) != len(m.Taxonomy.Arguments) {
		t.Errorf("%d rows, want one per argument (%d)", len(tb.Rows), len(m.Taxonomy.Arguments))
	}
	cnt := column(tb, "count")
	for i := 1; i < len(tb.Rows); i++ {
		if num(tb.Rows[i][cnt]) > num(tb.Rows[i-1][cnt]) {
			t.Errorf("rows not sorted by count at %d", i)
		}
	}
	if got := colSum(tb, "count"); got != placed {
		t.Errorf("counts add to %v, want %v placed", got, placed)
	}
	for _, r := range tb.Rows {
		if n := len(r[column(tb, "cues")].Value.([]string)); n != CueWords {
			t.Errorf("%s: %d cue words, want %d", r[0].Text, n, CueWords)
		}
		x, n := num(r[cnt]), placed
		if iv := r[column(tb, "share_ci")].Value.(Interval); iv != Wilson(x, n) {
			t.Errorf("%s: interval %v, want Wilson(%v, %v)", r[0].Text, iv, x, n)
		}
	}
	if tb.Caption.Model.ID != m.ID() || tb.Caption.Model.Hash != m.Hash() {
		t.Errorf("caption model %+v, want %s", tb.Caption.Model, m.ID())
	}

	pairs := map[string]bool{}
	for _, r := range res {
		pairs[r.Comment.Author+"\x00"+r.Argument.Label] = true
	}
	pa, err := Build(res, info, Input{}, Options{PerAuthor: true, Seed: 1, Bootstrap: 200})
	if err != nil {
		t.Fatal(err)
	}
	if got := colSum(pa, "count"); math.Abs(got-float64(len(pairs))) > 1e-9 {
		t.Errorf("per-author counts add to %v, want %d (author, argument) pairs", got, len(pairs))
	}
	if len(pairs) == 50 {
		t.Errorf("no author made one argument twice: the per-author check is vacuous")
	}

	ids := map[string]bool{}
	replies := 0
	for _, r := range res {
		ids[r.Comment.ID] = true
	}
	for _, r := range res {
		if r.Comment.ParentID != "" && ids[r.Comment.ParentID] {
			replies++
		}
	}
	ex, err := Build(res, info, Input{}, Options{By: ByExchange})
	if err != nil {
		t.Fatal(err)
	}
	if got := num(ex.Footer[column(ex, "replies")]); got != float64(replies) || replies == 0 {
		t.Errorf("exchange counts %v replies, want %d", got, replies)
	}
}

// TestSeedPermutation: shuffling the seed thread changes no row, count or
// Wilson interval of the argument and stance tables.
func TestSeedPermutation(t *testing.T) {
	res, m := seedResults(t)
	info := ModelOf(m)
	r := rand.New(rand.NewPCG(5, 6))
	for _, by := range []string{ByArgument, ByStance} {
		a, _ := Build(res, info, Input{}, Options{By: by})
		for range 10 {
			sh := slices.Clone(res)
			r.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
			b, _ := Build(sh, info, Input{}, Options{By: by})
			if fmt.Sprint(textOf(a.Rows)) != fmt.Sprint(textOf(b.Rows)) || fmt.Sprint(textOf([][]Cell{a.Footer})) != fmt.Sprint(textOf([][]Cell{b.Footer})) {
				t.Fatalf("%s table changed under permutation", by)
			}
		}
	}
}

func textOf(rows [][]Cell) [][]string {
	var out [][]string
	for _, r := range rows {
		var l []string
		for _, c := range r {
			l = append(l, c.Text)
		}
		out = append(out, l)
	}
	return out
}

// BenchmarkBuild measures the argument table on 10,000 comments: Wilson
// intervals (the baseline) against the 2,000-resample bootstrap under
// --per-author --weight recommendations.
func BenchmarkBuild(b *testing.B) {
	res := randomResults(rand.New(rand.NewPCG(9, 9)), 10000)
	m := testModel()
	for _, bc := range []struct {
		name string
		opt  Options
	}{
		{"wilson", Options{}},
		{"bootstrap", Options{Weight: WeightRecommendations, Bootstrap: DefaultBootstrap}},
		{"bootstrap-per-author", Options{Weight: WeightRecommendations, PerAuthor: true, Bootstrap: DefaultBootstrap}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(res, m, Input{}, bc.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
