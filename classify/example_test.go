package classify_test

import (
	"fmt"

	"github.com/stance-dev/stance/classify"
)

func ExampleModel_Predict() {
	m := classify.NewModel("demo", nil, []string{"spying", "trade"}, classify.Options{})
	m.Learn("Huawei spies for the Chinese state", []string{"spying"}, 1)
	m.Learn("China spies and steals secrets", []string{"spying"}, 1)
	m.Learn("This is a trade war against a competitor", []string{"trade"}, 1)
	m.Learn("Protectionism: Huawei is simply cheaper", []string{"trade"}, 1)

	p := m.Predict("Huawei spies for China")
	fmt.Printf("%s %.2f (runner-up %s)\n", p.Label, p.P, p.RunnerUp)
	fmt.Println("decided by:", p.Cues[0].Token)
	// Output:
	// spying 0.94 (runner-up trade)
	// decided by: spies
}

func ExampleTokenize() {
	opt := classify.Options{Negation: true}
	fmt.Println(classify.Tokenize("@Jane They DON'T spy, see https://x.com &amp; Café", opt))
	// Output:
	// [they don't not_spy see café]
}

func ExamplePreset() {
	opt, err := classify.Preset("opinion")
	if err != nil {
		panic(err)
	}
	fmt.Println(opt)
	// Output:
	// alpha=2 tfidf binary bigrams negation
}
