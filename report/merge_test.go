package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/stance-dev/stance/classify"
)

// renderJSON renders t as the json format.
func renderJSON(t *testing.T, tb *Table) []byte {
	t.Helper()
	r, err := NewRenderer("json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Render(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mergedTable counts res in parts (cut at cuts), each by its own
// Aggregator, merges the parts through their JSON state in reverse order,
// and returns the table. For the exchange table the join of replies to
// parents is done here, as an engine does it.
func mergedTable(t *testing.T, res []classify.Result, model Model, opt Options, cuts []int) *Table {
	t.Helper()
	var states [][]byte
	start := 0
	for _, end := range append(cuts, len(res)) {
		a, err := NewAggregator(model, opt)
		if err != nil {
			t.Fatal(err)
		}
		for i := start; i < end; i++ {
			if err := a.AddUnjoinedAt(&res[i], i+1); err != nil {
				t.Fatal(err)
			}
		}
		st, err := a.MarshalState()
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, st)
		start = end
	}
	total, err := NewAggregator(model, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(states) - 1; i >= 0; i-- {
		if err := total.MergeState(states[i]); err != nil {
			t.Fatal(err)
		}
	}
	if opt.By == ByExchange {
		// The engine's join: by ID within a thread, the first comment of
		// an ID being the parent.
		first := map[string]int{}
		for i := range res {
			if id := res[i].Comment.ID; id != "" {
				if _, dup := first[threadKey(res[i].Comment.ThreadID, id)]; !dup {
					first[threadKey(res[i].Comment.ThreadID, id)] = i
				}
			}
		}
		orphans := 0
		for i := range res {
			p := res[i].Comment.ParentID
			if p == "" {
				continue
			}
			j, ok := first[threadKey(res[i].Comment.ThreadID, p)]
			if !ok {
				orphans++
				continue
			}
			if err := total.AddExchange(&res[j], &res[i]); err != nil {
				t.Fatal(err)
			}
		}
		total.AddOrphans(orphans)
	}
	var threads []string
	for i := range res {
		threads = append(threads, res[i].Comment.ThreadID)
	}
	total.OrderThreads(threads)
	tb, err := total.Table(Input{Names: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestMergeEqualsOnePass checks that tables counted in parts and merged
// render the same JSON as one pass over all comments, for every mergeable
// table and weighting, on the seed thread and on random comments.
func TestMergeEqualsOnePass(t *testing.T) {
	seed, m := seedResults(t)
	rnd := randomResults(rand.New(rand.NewPCG(7, 8)), 400)
	for i := range rnd {
		rnd[i].Comment.ThreadID = []string{"t1", "t2", "t3"}[i%3]
	}
	inputs := []struct {
		name  string
		res   []classify.Result
		model Model
	}{{"seed", seed, ModelOf(m)}, {"random", rnd, testModel()}}
	for _, in := range inputs {
		for _, by := range []string{ByArgument, ByStance, ByExchange, ByThread} {
			for _, w := range []struct {
				weight    string
				perAuthor bool
			}{{WeightNone, false}, {WeightRecommendations, false}, {WeightNone, true}} {
				opt := Options{By: by, Weight: w.weight, PerAuthor: w.perAuthor, Seed: 1, Bootstrap: 200}
				want, err := Build(in.res, in.model, Input{Names: []string{"x"}}, opt)
				if err != nil {
					t.Fatal(err)
				}
				n := len(in.res)
				got := mergedTable(t, in.res, in.model, opt, []int{n / 5, n / 2, n/2 + 1})
				if a, b := renderJSON(t, want), renderJSON(t, got); !bytes.Equal(a, b) {
					if err := sameJSON(a, b, 1e-4); err != nil {
						t.Errorf("%s --by %s %+v: merged table differs: %v:\n%s\nwant\n%s", in.name, by, w, err, b, a)
					}
				}
			}
		}
	}
}

func TestMergeComments(t *testing.T) {
	a, err := NewAggregator(testModel(), Options{By: ByComments})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.MarshalState(); !errors.Is(err, ErrNotMergeable) {
		t.Errorf("MarshalState of the comments table: %v, want ErrNotMergeable", err)
	}
	b, _ := NewAggregator(testModel(), Options{By: ByArgument})
	st, err := b.MarshalState()
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewAggregator(testModel(), Options{By: ByStance})
	if err := c.MergeState(st); err == nil {
		t.Error("merging an argument table into a stance table: no error")
	}
}

// sameJSON reports how the JSON documents a and b differ, but for numbers
// within tol of each other: a mean that is a sum of floats over a count can
// round the other way at its 4th decimal when the sum was added up in
// another order.
func sameJSON(a, b []byte, tol float64) error {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return err
	}
	return sameValue("$", x, y, tol)
}

func sameValue(path string, x, y any, tol float64) error {
	switch xv := x.(type) {
	case float64:
		yv, ok := y.(float64)
		if !ok || math.Abs(xv-yv) > tol*(1+1e-9) {
			return fmt.Errorf("%s: %v vs %v", path, x, y)
		}
		return nil
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Errorf("%s: %v vs %v", path, x, y)
		}
		for i := range xv {
			if err := sameValue(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i], tol); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok || len(xv) != len(yv) {
			return fmt.Errorf("%s: %v vs %v", path, x, y)
		}
		for k := range xv {
			if err := sameValue(path+"."+k, xv[k], yv[k], tol); err != nil {
				return err
			}
		}
		return nil
	}
	if !reflect.DeepEqual(x, y) {
		return fmt.Errorf("%s: %v vs %v", path, x, y)
	}
	return nil
}
