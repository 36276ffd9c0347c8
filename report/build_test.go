package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stance-dev/stance/classify"
)

func mustBuild(t *testing.T, res []classify.Result, m Model, opt Options) *Table {
	t.Helper()
	tb, err := Build(res, m, Input{Names: []string{"t.txt"}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func colSum(t *Table, key string) float64 {
	i := column(t, key)
	var s float64
	for _, r := range t.Rows {
		s += num(r[i])
	}
	return s
}

// TestTotals checks that counts add up to what each weighting promises.
func TestTotals(t *testing.T) {
	res := randomResults(rand.New(rand.NewPCG(1, 2)), 300)
	m := testModel()
	var weight float64
	pairs := map[[2]string]bool{}       // (author, argument)
	stancePairs := map[[2]string]bool{} // (author, stance)
	anon := 0
	for _, r := range res {
		weight += float64(r.Comment.Recommendations + 1)
		if r.Comment.Author == "" {
			anon++
		} else {
			pairs[[2]string{r.Comment.Author, r.Argument.Label}] = true
			stancePairs[[2]string{r.Comment.Author, r.Stance}] = true
		}
	}
	for _, tc := range []struct {
		name string
		opt  Options
		want float64
	}{
		{"plain", Options{}, float64(len(res))},
		{"recommendations", Options{Weight: WeightRecommendations, Bootstrap: 50}, weight},
		{"per-author", Options{PerAuthor: true, Bootstrap: 50}, float64(len(pairs) + anon)},
		{"per-author stance", Options{PerAuthor: true, Bootstrap: 50, By: ByStance}, float64(len(stancePairs) + anon)},
	} {
		for _, by := range []string{ByArgument, ByStance} {
			if strings.HasPrefix(tc.name, "per-author") && (tc.opt.By == ByStance) != (by == ByStance) {
				continue
			}
			tc.opt.By = by
			tb := mustBuild(t, res, m, tc.opt)
			if got := colSum(tb, "count"); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s %s: counts add to %v, want %v", tc.name, by, got, tc.want)
			}
			if got := colSum(tb, "top_level") + colSum(tb, "replies"); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s %s: top-level + replies = %v, want %v", tc.name, by, got, tc.want)
			}
			if got := colSum(tb, "negative") + colSum(tb, "neutral") + colSum(tb, "positive"); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s %s: sentiment counts add to %v, want %v", tc.name, by, got, tc.want)
			}
			if got := colSum(tb, "share"); math.Abs(got-1) > 1e-9 {
				t.Errorf("%s %s: shares add to %v", tc.name, by, got)
			}
			if got := num(tb.Footer[column(tb, "count")]); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("%s %s: footer count %v, want %v", tc.name, by, got, tc.want)
			}
			if math.Abs(tb.Caption.Weighting.Total-tc.want) > 1e-9 && by == ByArgument {
				t.Errorf("%s: caption total %v, want %v", tc.name, tb.Caption.Weighting.Total, tc.want)
			}
		}
	}
	// Per-author with recommendations: each pair counts once, at its mean weight.
	tb := mustBuild(t, res, m, Options{Weight: WeightRecommendations, PerAuthor: true, Bootstrap: 50})
	type acc struct{ sum, n float64 }
	pw := map[[2]string]*acc{}
	var want float64
	for i, r := range res {
		k := [2]string{r.Comment.Author, r.Argument.Label}
		if r.Comment.Author == "" {
			k[0] = "anon" + r.Comment.ID
			_ = i
		}
		if pw[k] == nil {
			pw[k] = &acc{}
		}
		pw[k].sum += float64(r.Comment.Recommendations + 1)
		pw[k].n++
	}
	for _, a := range pw {
		want += a.sum / a.n
	}
	if got := colSum(tb, "count"); math.Abs(got-want) > 1e-9 {
		t.Errorf("per-author recommendations: counts add to %v, want %v", got, want)
	}
}

// TestArgumentRowsAndOrder checks one row per taxonomy argument, zero rows
// included with an upper bound, sorted by count then taxonomy order.
func TestArgumentRowsAndOrder(t *testing.T) {
	tax := testTaxonomy()
	res := []classify.Result{
		result(tax, "c1", "A", "usa", 0.5, "", 0),
		result(tax, "c2", "B", "spy", -0.5, "", 3),
		result(tax, "c3", "C", "cheap", 0, "c2", 0),
		result(tax, "c4", "D", "spy", -0.2, "c1", 0),
		result(tax, "c5", "D", "values", 0.2, "", 0),
	}
	for _, opt := range []Options{{}, {Weight: WeightRecommendations}, {PerAuthor: true}} {
		tb := mustBuild(t, res, testModel(), opt)
		var ids []string
		for _, r := range tb.Rows {
			ids = append(ids, r[0].Text)
		}
		want := []string{"spy", "cheap", "usa", "values", "other"}
		if opt.Weight == WeightRecommendations {
			want = []string{"spy", "cheap", "usa", "values", "other"} // spy weighs 4+1
		}
		if !slices.Equal(ids, want) {
			t.Errorf("%+v: rows %v, want %v", opt, ids, want)
		}
		zero := tb.Rows[len(tb.Rows)-1]
		iv := zero[column(tb, "share_ci")].Value.(Interval)
		if num(zero[column(tb, "count")]) != 0 || iv.Low != 0 || !(iv.High > 0.05) {
			t.Errorf("%+v: zero row %v: want count 0 with an upper bound", opt, zero)
		}
		if m := zero[column(tb, "compound")]; m.Text != dash || !math.IsNaN(num(m)) {
			t.Errorf("%+v: mean compound of an empty row = %q, want %q", opt, m.Text, dash)
		}
	}
	tb := mustBuild(t, res, testModel(), Options{})
	spy := tb.Rows[0]
	if spy[column(tb, "top_level")].Text != "1" || spy[column(tb, "replies")].Text != "1" || spy[column(tb, "share")].Text != "40.0%" {
		t.Errorf("spy row = %v", spy)
	}
	if got := spy[column(tb, "cues")].Text; got != "spy, backdoor, ccp" {
		t.Errorf("cue words %q", got)
	}
	if got := spy[column(tb, "compound")].Text; got != "-0.350" {
		t.Errorf("mean compound %q, want -0.350", got)
	}
	if tb.Footer[column(tb, "count")].Text != "5" || tb.Footer[column(tb, "share")].Text != "100.0%" {
		t.Errorf("footer %v", tb.Footer)
	}
}

// TestPermutationStable shuffles the input: row order, counts and totals
// must not change.
func TestPermutationStable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 20 {
		res := randomResults(r, 20+r.IntN(80))
		for _, opt := range []Options{{}, {Weight: WeightRecommendations, Bootstrap: 20}, {PerAuthor: true, Bootstrap: 20}, {Weight: WeightRecommendations, PerAuthor: true, Bootstrap: 20}} {
			for _, by := range []string{ByArgument, ByStance, ByExchange} {
				opt.By = by
				a := mustBuild(t, res, testModel(), opt)
				shuffled := slices.Clone(res)
				r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
				b := mustBuild(t, shuffled, testModel(), opt)
				if len(a.Rows) != len(b.Rows) {
					t.Fatalf("trial %d %+v: %d rows vs %d", trial, opt, len(a.Rows), len(b.Rows))
				}
				for i := range a.Rows {
					for j, c := range a.Columns {
						if !sameCell(c.Kind, a.Rows[i][j], b.Rows[i][j]) {
							t.Fatalf("trial %d %+v: row %d column %s: %q vs %q", trial, opt, i, c.Key, a.Rows[i][j].Text, b.Rows[i][j].Text)
						}
					}
				}
				for j, c := range a.Columns {
					if !sameCell(c.Kind, a.Footer[j], b.Footer[j]) {
						t.Fatalf("trial %d %+v: footer %s: %q vs %q", trial, opt, c.Key, a.Footer[j].Text, b.Footer[j].Text)
					}
				}
			}
		}
	}
}

func sameCell(k Kind, a, b Cell) bool {
	if a.Value == nil || b.Value == nil {
		return a.Value == nil && b.Value == nil && a.Text == b.Text
	}
	switch k {
	case KindNumber:
		x, y := a.Value.(float64), b.Value.(float64)
		return (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) < 1e-9
	case KindInterval:
		x, y := a.Value.(Interval), b.Value.(Interval)
		return (!x.Valid() && !y.Valid()) || (math.Abs(x.Low-y.Low) < 1e-9 && math.Abs(x.High-y.High) < 1e-9)
	}
	return a.Text == b.Text
}

// TestExchange checks the reply matrix and the rebuttal rate on a hand-made
// thread.
func TestExchange(t *testing.T) {
	tax := testTaxonomy()
	res := []classify.Result{
		result(tax, "c1", "A", "spy", -0.5, "", 0),   // against
		result(tax, "c2", "B", "usa", 0.1, "c1", 0),  // for -> rebuttal
		result(tax, "c3", "C", "cheap", 0, "c1", 0),  // for -> rebuttal
		result(tax, "c4", "D", "values", 0, "c1", 0), // against: agrees
		result(tax, "c5", "E", "other", 0, "c1", 0),  // neutral: not a rebuttal
		result(tax, "c6", "A", "spy", 0, "c2", 0),    // against answers for: rebuttal
		result(tax, "c7", "F", "spy", 0, "c99", 0),   // parent not in input
	}
	tb := mustBuild(t, res, testModel(), Options{By: ByExchange})
	first := tb.Rows[0]
	if first[column(tb, "id")].Text != "spy" || first[column(tb, "reply_for")].Text != "2" ||
		first[column(tb, "reply_against")].Text != "1" || first[column(tb, "reply_neutral")].Text != "1" ||
		first[column(tb, "rebuttals")].Text != "2" || first[column(tb, "rebuttal_rate")].Text != "50.0%" {
		t.Errorf("spy row = %v", first)
	}
	f := tb.Footer
	if f[column(tb, "replies")].Text != "5" || f[column(tb, "rebuttals")].Text != "3" || f[column(tb, "rebuttal_rate")].Text != "60.0%" {
		t.Errorf("footer = %v", f)
	}
	if iv := f[column(tb, "rebuttal_ci")].Value.(Interval); iv != Wilson(3, 5) {
		t.Errorf("rebuttal interval %v, want %v", iv, Wilson(3, 5))
	}
	if !strings.Contains(strings.Join(tb.Notes, "\n"), "1 replies whose parent is not in the input") {
		t.Errorf("notes %q do not count the orphan reply", tb.Notes)
	}
	if r := tb.Rows[len(tb.Rows)-1]; r[column(tb, "rebuttal_rate")].Text != dash {
		t.Errorf("a row without replies has rate %q, want %q", r[column(tb, "rebuttal_rate")].Text, dash)
	}
}

func TestStanceTable(t *testing.T) {
	tax := testTaxonomy()
	res := []classify.Result{
		result(tax, "c1", "A", "spy", -0.5, "", 0),
		result(tax, "c2", "B", "spy", -0.1, "", 0),
		result(tax, "c3", "C", "values", 0, "", 0),
		result(tax, "c4", "D", "usa", 0.3, "c1", 0),
	}
	tb := mustBuild(t, res, testModel(), Options{By: ByStance})
	var got []string
	for _, r := range tb.Rows {
		got = append(got, r[0].Text+"="+r[1].Text+"/"+r[column(tb, "leading")].Text)
	}
	want := []string{"for=1/US hypocrisy (1)", "against=3/Spying risk (2); Shared values (1)", "neutral=0/"}
	if !slices.Equal(got, want) {
		t.Errorf("stance rows %q, want %q", got, want)
	}
}

func TestCommentsTable(t *testing.T) {
	tax := testTaxonomy()
	res := []classify.Result{
		result(tax, "c1", "Ann", "spy", -0.5, "", 0),
		result(tax, "c2", "Bob", "usa", 0.1, "c1", 0),
	}
	res[1].Comment.ReplyTo = ""
	tb := mustBuild(t, res, testModel(), Options{By: ByComments})
	if len(tb.Rows) != 2 || tb.Footer != nil {
		t.Fatalf("%d rows, footer %v", len(tb.Rows), tb.Footer)
	}
	r := tb.Rows[1]
	for key, want := range map[string]string{"n": "2", "author": "Bob", "replies_to": "Ann", "sentiment": "positive",
		"compound": "+0.100", "argument": "US hypocrisy", "argument_id": "usa", "stance": "for", "cues": "w1, w2", "p": "0.53"} {
		if got := r[column(tb, key)].Text; got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

// TestNoTaxonomy: a model without taxonomy has its classes as arguments and
// no stance column; the stance and exchange tables are errors.
func TestNoTaxonomy(t *testing.T) {
	m := Model{Name: "plain", Hash: "ff", Classes: []string{"x", "y", "z"}}
	res := []classify.Result{result(nil, "c1", "A", "y", 0, "", 0), result(nil, "c2", "A", "q", 0, "", 0)}
	res[0].Stance, res[1].Stance = "", ""
	tb := mustBuild(t, res, m, Options{})
	for _, c := range tb.Columns {
		if c.Key == "stance" {
			t.Errorf("stance column present without taxonomy")
		}
	}
	var ids []string
	for _, r := range tb.Rows {
		ids = append(ids, r[0].Text)
	}
	if want := []string{"y", "q", "x", "z"}; !slices.Equal(ids, want) {
		t.Errorf("rows %v, want %v (unknown label q kept)", ids, want)
	}
	for _, by := range []string{ByStance, ByExchange} {
		if _, err := Build(res, m, Input{}, Options{By: by}); err == nil || !strings.Contains(err.Error(), "taxonomy") {
			t.Errorf("%s table without taxonomy: err %v", by, err)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, opt := range []Options{{By: "nope"}, {Weight: "likes"}, {Bootstrap: -1}} {
		if _, err := Build(nil, testModel(), Input{}, opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
	if _, err := Build([]classify.Result{{}}, testModel(), Input{}, Options{}); err == nil {
		t.Errorf("result without comment: no error")
	}
	// No comments at all: rows still listed, shares undefined.
	tb := mustBuild(t, nil, testModel(), Options{})
	var buf bytes.Buffer
	for _, f := range Formats {
		r, _ := NewRenderer(f)
		if err := r.Render(&buf, tb); err != nil {
			t.Errorf("%s of an empty table: %v", f, err)
		}
	}
}
