package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stance-dev/stance/classify"
)

// chartSVG returns the inline SVG of one chart of a page.
func chartSVG(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `data-chart="`+id+`"`)
	if i < 0 {
		t.Fatalf("no chart %q", id)
	}
	j := strings.Index(page[i:], "</svg>")
	return page[i : i+j]
}

// timedResults are random results in three threads over days days.
func timedResults(n, days int) []classify.Result {
	r := rand.New(rand.NewPCG(3, 4))
	res := randomResults(r, n)
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range res {
		res[i].Comment.Created = t0.Add(time.Duration(i*days*24/n) * time.Hour)
		res[i].Comment.ThreadID = fmt.Sprintf("thread-%d", i%3)
	}
	return res
}

func TestPageCharts(t *testing.T) {
	res := timedResults(300, 50)
	p, err := BuildPage(res, testModel(), Input{Names: []string{"t.jsonl"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := p.Render(&a); err != nil {
		t.Fatal(err)
	}
	if err := p.Render(&b); err != nil {
		t.Fatal(err)
	}
	out := a.String()
	if out != b.String() {
		t.Error("two renders differ")
	}
	for _, bad := range []string{"<script", "http:", "https:", "NaN", "Inf"} {
		if strings.Contains(out, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	args := len(testTaxonomy().Arguments)
	// 300 comments over 50 days: 6 a day, so weekly bins.
	weeks := 0
	for _, pd := range p.periods {
		if pd.N > 0 {
			weeks++
		}
	}
	if p.unit != "week" || weeks < 7 {
		t.Errorf("bins: %d %ss", weeks, p.unit)
	}
	for _, c := range []struct {
		chart, mark string
		n           int
	}{
		{"shares", `class="bar `, args},
		{"sentiment", `class="dot `, 300},
		{"stances", `class="seg `, 3},
		{"exchange", `class="cell"`, args * 3},
		{"time", `class="point `, args * weeks},
		{"threads", `class="bar `, 3 * args},
		{"thread-split", `class="seg `, 3 * 3},
	} {
		if got := strings.Count(chartSVG(t, out, c.chart), c.mark); got != c.n {
			t.Errorf("chart %s: %d marks %s, want %d", c.chart, got, c.mark, c.n)
		}
	}
	if !strings.Contains(out, "Model test@0123456789ab. Weighting: none (each comment counts 1). 95% intervals: Wilson score.") {
		t.Error("the header lacks the caption's words")
	}
}

func TestBinning(t *testing.T) {
	day := time.Date(2024, 3, 6, 15, 0, 0, 0, time.UTC) // a Wednesday
	for _, c := range []struct {
		days, n int
		unit    string
	}{
		{3, 5, "day"},     // within a week: days
		{20, 400, "day"},  // 20 a day
		{20, 100, "week"}, // 5 a day: too few
		{90, 5000, "week"},
	} {
		unit, start, _ := binning(day, day.AddDate(0, 0, c.days), c.n)
		if unit != c.unit {
			t.Errorf("%d comments over %d days: %s, want %s", c.n, c.days, unit, c.unit)
		}
		if s := start(day); unit == "week" && s.Weekday() != time.Monday {
			t.Errorf("week starts on %s", s.Weekday())
		}
	}
}

// TestShareRowsApart checks the adapter on a table with a column it does
// not know and an "unclear" row, as estimated shares will bring.
func TestShareRowsApart(t *testing.T) {
	tb := &Table{Kind: ByArgument, Columns: []Column{
		{Key: "id", DataOnly: true}, {Key: "argument"}, {Key: "stance"}, {Key: "count", Kind: KindNumber},
		{Key: "share_labeled", Kind: KindNumber}, {Key: "share", Kind: KindNumber}, {Key: "share_ci", Kind: KindInterval},
	}}
	row := func(id, stance string, share float64) []Cell {
		return []Cell{textCell(id), textCell(id), textCell(stance), countCell(10), shareCell(0.9), shareCell(share), intervalCell(Interval{share / 2, share * 1.5})}
	}
	tb.Rows = [][]Cell{row("a", "for", 0.5), row("b", "against", 0.3), row("unclear", "unclear", 0.2)}
	rows := shareRows(tb)
	if len(rows) != 3 || rows[0].Share != 0.5 || rows[2].Share != 0.2 || !rows[2].Apart || rows[0].Apart {
		t.Fatalf("rows: %+v", rows)
	}
	svg := barsChart(rows, newPalette(), true, "comments").Body
	if strings.Count(svg, `class="bar `) != 3 || !strings.Contains(svg, `class="rule"`) || !strings.Contains(svg, "s-unclear") {
		t.Errorf("the unclear row is not drawn apart:\n%s", svg)
	}
	tb.Kind = ByStance
	tb.Columns[2].Key = "stance"
	split := stanceChart(shareRows(tb), newPalette()).Body
	if strings.Count(split, `class="seg `) != 3 || !strings.Contains(split, `class="seg s-unclear"`) {
		t.Errorf("the stance split lacks the unclear segment:\n%s", split)
	}
}

func TestSVGRenderer(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	res := randomResults(r, 60)
	for _, by := range Kinds {
		tb, err := Build(res, testModel(), Input{Names: []string{"x"}}, Options{By: by})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		rd, err := NewRenderer("svg")
		if err != nil {
			t.Fatal(err)
		}
		if err := rd.Render(&buf, tb); err != nil {
			t.Fatalf("%s: %v", by, err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, `<svg xmlns="http://www.w3.org/2000/svg"`) || !strings.HasSuffix(out, "</svg>\n") ||
			!strings.Contains(out, "Model test@0123456789ab") || strings.Contains(out, "NaN") {
			t.Errorf("%s: svg:\n%s", by, out)
		}
	}
	if err := (svgRenderer{}).Render(&bytes.Buffer{}, &Table{Kind: "nope"}); err == nil {
		t.Error("no error for a table without a chart")
	}
}

func TestPageNeedsTable(t *testing.T) {
	if err := NewPage().Render(&bytes.Buffer{}); err == nil {
		t.Error("an empty page renders")
	}
}
