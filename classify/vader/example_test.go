package vader_test

import (
	"fmt"

	"github.com/stance-dev/stance/classify/vader"
)

func ExampleAnalyzer_PolarityScores() {
	a := vader.New()
	s := a.PolarityScores("VADER is smart, handsome, and funny!")
	fmt.Printf("neg %.3f neu %.3f pos %.3f compound %.4f %s\n", s.Neg, s.Neu, s.Pos, s.Compound, vader.Label(s.Compound))
	// Output:
	// neg 0.000 neu 0.248 pos 0.752 compound 0.8439 positive
}

func ExampleAnalyzer_Analyze() {
	a := vader.New()
	// The whole-text compound of a long, mildly positive text saturates;
	// the sentence mean stays at the level of its sentences.
	text := "The phone is good. The price is fair. The battery is good. " +
		"The screen is nice. The support was helpful. The camera is fine."
	whole, mean := a.Analyze(text)
	fmt.Printf("whole %.4f, sentence mean %.4f\n", whole.Compound, mean)
	// Output:
	// whole 0.9451, sentence mean 0.4156
}
