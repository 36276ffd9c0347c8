package report

import (
	"fmt"
	"math/rand/v2"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// testTaxonomy is a small hand-built taxonomy: two arguments for, two
// against, one neutral.
func testTaxonomy() *classify.Taxonomy {
	return &classify.Taxonomy{
		Subject: "test",
		Stances: []string{"for", "against", "neutral"},
		Arguments: []classify.Argument{
			{ID: "cheap", Name: "Cheap | fast", Stance: "for"},
			{ID: "spy", Name: "Spying risk", Stance: "against"},
			{ID: "usa", Name: "US hypocrisy", Stance: "for"},
			{ID: "values", Name: "Shared values", Stance: "against"},
			{ID: "other", Name: "Other", Stance: "neutral"},
		},
		Fallback: "other",
	}
}

func testModel() Model {
	return Model{
		Name:     "test",
		Hash:     "0123456789abcdef0123456789abcdef",
		Taxonomy: testTaxonomy(),
		Cues: map[string][]string{
			"cheap": {"cheap", "price", "deal"},
			"spy":   {"spy", "backdoor", "ccp"},
		},
	}
}

func stanceOf(tax *classify.Taxonomy, label string) string {
	if tax == nil {
		return ""
	}
	for _, a := range tax.Arguments {
		if a.ID == label {
			return a.Stance
		}
	}
	return ""
}

// result builds one scored comment.
func result(tax *classify.Taxonomy, id, author, label string, compound float64, parent string, recs int) classify.Result {
	c := &comments.Comment{ID: id, Author: author, Location: "Somewhere", Text: "text of " + id, ParentID: parent, Recommendations: recs}
	if parent != "" {
		c.Depth = 1
	}
	lab := "neutral"
	if compound >= 0.05 {
		lab = "positive"
	} else if compound <= -0.05 {
		lab = "negative"
	}
	return classify.Result{
		Comment:   c,
		Sentiment: classify.Sentiment{Compound: compound, Label: lab},
		Argument:  classify.Prediction{Label: label, Name: label, P: 0.5 + compound/4, Cues: []classify.Cue{{Token: "w1", LogOdds: 1}, {Token: "w2", LogOdds: 0.5}}},
		Stance:    stanceOf(tax, label),
	}
}

// randomResults builds n scored comments by a few authors, with replies.
func randomResults(r *rand.Rand, n int) []classify.Result {
	tax := testTaxonomy()
	labels := []string{"cheap", "spy", "spy", "usa", "values"} // "other" never used
	authors := []string{"Ann", "Bob", "Cy", "Di", "Ed", "Flo", ""}
	var out []classify.Result
	for i := range n {
		parent := ""
		if i > 0 && r.IntN(3) == 0 {
			parent = fmt.Sprintf("c%d", r.IntN(i)+1)
		}
		out = append(out, result(tax, fmt.Sprintf("c%d", i+1), authors[r.IntN(len(authors))],
			labels[r.IntN(len(labels))], r.Float64()*2-1, parent, r.IntN(20)))
	}
	return out
}

// column returns the index of the column key in t.
func column(t *Table, key string) int {
	for i, c := range t.Columns {
		if c.Key == key {
			return i
		}
	}
	panic("no column " + key)
}

func num(c Cell) float64 { return c.Value.(float64) }
