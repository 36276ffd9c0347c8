package report_test

import (
	"fmt"
	"os"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
	"github.com/stance-dev/stance/report"
)

// Build computes a table from scored comments; a Renderer prints it.
func Example() {
	tax := &classify.Taxonomy{
		Stances: []string{"for", "against"},
		Arguments: []classify.Argument{
			{ID: "cheap", Name: "Cheap gear", Stance: "for"},
			{ID: "spy", Name: "Spying risk", Stance: "against"},
		},
	}
	scored := func(id, author, arg, stance string, compound float64) classify.Result {
		return classify.Result{
			Comment:   &comments.Comment{ID: id, Author: author},
			Sentiment: classify.Sentiment{Compound: compound},
			Argument:  classify.Prediction{Label: arg, P: 0.9},
			Stance:    stance,
		}
	}
	results := []classify.Result{
		scored("c1", "Ann", "spy", "against", -0.6),
		scored("c2", "Bob", "cheap", "for", 0.4),
		scored("c3", "Cy", "spy", "against", -0.2),
	}
	model := report.Model{Name: "demo", Hash: "00112233445566778899", Taxonomy: tax}
	t, err := report.Build(results, model, report.Input{Names: []string{"thread.txt"}}, report.Options{By: report.ByStance})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := report.NewRenderer("csv")
	if err := r.Render(os.Stdout, t); err != nil {
		fmt.Println(err)
	}
	// Output:
	// model,stance,count,top_level,replies,share_labeled,share,share_ci_low,share_ci_high,compound,negative,neutral,positive,leading
	// demo@001122334455,for,1,1,0,0.3333,0.3333,0.0615,0.7923,0.4,0,0,1,Cheap gear (1)
	// demo@001122334455,against,2,2,0,0.6667,0.6667,0.2077,0.9385,-0.4,2,0,0,Spying risk (2)
}
