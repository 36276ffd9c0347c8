package report

import (
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/stance-dev/stance/classify"
)

//go:embed html/page.html html/page.css html/chart.css
var pageFiles embed.FS

var pageTemplate = template.Must(template.New("page.html").ParseFS(pageFiles, "html/page.html", "html/page.css", "html/chart.css"))

// maxDots is the number of comments above which the sentiment chart draws
// boxes and means only, without a dot per comment.
const maxDots = 5000

// maxThreads is the number of threads the small multiples show, the
// largest first.
const maxThreads = 12

// Page is a report page: the stance tables of one input drawn as charts,
// each chart above its data table, under a header that states the input,
// the comment count, the model, the weighting and the interval method in
// the words of the terminal caption. It is self-contained: inline CSS and
// SVG, no script, no request, light and dark mode, printable.
//
// Build the full report with [BuildPage], or a page of given tables with
// [NewPage]; write it with [Page.Render].
type Page struct {
	tables  []*Table
	report  bool
	points  []point
	periods []period
	unit    string
	untimed int
	threads []threadPanel
	nthread int
	doc     *Document
}

// NewPage returns the page of the given tables, in the order given: each
// table's chart (argument: shares; stance: the split; exchange: the heat
// map; thread: the stance split per thread; comments: the sentiment strip)
// above the table itself.
func NewPage(tables ...*Table) *Page { return &Page{tables: tables} }

// NewDocumentPage returns the page of a document: its title as the
// headline, then a section per table (a table and its notes, no chart).
func NewDocumentPage(d *Document) *Page { return &Page{tables: d.Tables, doc: d} }

// BuildPage computes the full report of scored results: the argument,
// stance and exchange tables (stance and exchange only for a model with
// stances), the sentiment of every comment per argument, the argument
// shares over time when comments carry timestamps (daily bins for spans up
// to 60 days with enough comments a day, weekly bins otherwise), and per-thread small multiples when the
// input holds several threads. opt.By is ignored; the weighting options
// apply to every table. With several threads it adds the thread table, as
// a stance split per thread. It holds the results in memory.
func BuildPage(results []classify.Result, model Model, in Input, opt Options) (*Page, error) {
	p := &Page{report: true}
	opt.By = ByArgument
	args, err := Build(results, model, in, opt)
	if err != nil {
		return nil, err
	}
	p.tables = append(p.tables, args)
	if hasStances(model) {
		for _, by := range []string{ByStance, ByExchange} {
			opt.By = by
			t, err := Build(results, model, in, opt)
			if err != nil {
				return nil, err
			}
			p.tables = append(p.tables, t)
		}
	}
	opt.By = ByArgument
	// Comments the table leaves unclear are unclear in the strip too.
	threshold, unclear, hasUnclear := unclearOf(args)
	for _, r := range results {
		if r.Comment == nil {
			continue
		}
		pt := point{ArgID: r.Argument.Label, Arg: r.Argument.Name, Stance: r.Stance, Compound: r.Sentiment.Compound, Who: r.Comment.Author}
		if pt.Arg == "" {
			pt.Arg = r.Argument.Label
		}
		if hasUnclear && r.Argument.P < threshold {
			pt.ArgID, pt.Arg, pt.Stance = unclear.ID, unclear.Name, "unclear"
		}
		p.points = append(p.points, pt)
	}
	if err := p.buildPeriods(results, model, in, opt); err != nil {
		return nil, err
	}
	if err := p.buildThreads(results, model, in, opt); err != nil {
		return nil, err
	}
	if p.nthread > 1 && hasStances(model) {
		opt.By = ByThread
		t, err := Build(results, model, in, opt)
		if err != nil {
			return nil, err
		}
		p.tables = append(p.tables, t)
	}
	return p, nil
}

// hasStances reports whether a model's taxonomy has stances, as the stance
// and exchange tables require.
func hasStances(m Model) bool {
	if m.Taxonomy == nil {
		return false
	}
	if len(m.Taxonomy.Stances) > 0 {
		return true
	}
	for _, a := range m.Taxonomy.Arguments {
		if a.Stance != "" {
			return true
		}
	}
	return false
}

// minPerDay is the mean number of comments per day below which daily bins
// are too noisy and weeks are used.
const minPerDay = 10

// binning chooses the time bins for n comments over a span: days for spans
// up to 60 days with at least minPerDay comments a day on average, else
// weeks starting on Monday (UTC), unless the comments all fall in one week.
func binning(first, last time.Time, n int) (unit string, start func(time.Time) time.Time, next func(time.Time) time.Time) {
	day := func(t time.Time) time.Time {
		t = t.UTC()
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	days := day(last).Sub(day(first)).Hours()/24 + 1
	if days <= 60 && (float64(n)/days >= minPerDay || days <= 7) {
		return "day", day, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	}
	week := func(t time.Time) time.Time {
		d := day(t)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	}
	return "week", week, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
}

// maxBins bounds the number of time bins.
const maxBins = 400

func (p *Page) buildPeriods(results []classify.Result, model Model, in Input, opt Options) error {
	var first, last time.Time
	n := 0
	for _, r := range results {
		if r.Comment == nil || r.Comment.Created.IsZero() {
			p.untimed++
			continue
		}
		c := r.Comment.Created
		if n == 0 || c.Before(first) {
			first = c
		}
		if n == 0 || c.After(last) {
			last = c
		}
		n++
	}
	if n < 2 {
		return nil
	}
	unit, start, next := binning(first, last, n)
	var starts []time.Time
	for t := start(first); !t.After(last); t = next(t) {
		starts = append(starts, t)
		if len(starts) > maxBins {
			return nil
		}
	}
	if len(starts) < 2 {
		return nil
	}
	sel := make([][]classify.Result, len(starts))
	for _, r := range results {
		if r.Comment == nil || r.Comment.Created.IsZero() {
			continue
		}
		b := start(r.Comment.Created)
		i, _ := slices.BinarySearchFunc(starts, b, func(a, b time.Time) int { return a.Compare(b) })
		sel[i] = append(sel[i], r)
	}
	layout := "Jan 2"
	if first.UTC().Year() != last.UTC().Year() {
		layout = "Jan 2, 2006"
	}
	for i, s := range starts {
		pd := period{Label: s.Format(layout), Start: s, N: len(sel[i])}
		if len(sel[i]) > 0 {
			t, err := Build(sel[i], model, in, opt)
			if err != nil {
				return fmt.Errorf("report: %s of %s: %w", unit, pd.Label, err)
			}
			pd.T = t
		}
		p.periods = append(p.periods, pd)
	}
	p.unit = unit
	return nil
}

func (p *Page) buildThreads(results []classify.Result, model Model, in Input, opt Options) error {
	byThread := map[string][]classify.Result{}
	for _, r := range results {
		if r.Comment != nil && r.Comment.ThreadID != "" {
			byThread[r.Comment.ThreadID] = append(byThread[r.Comment.ThreadID], r)
		}
	}
	if len(byThread) < 2 {
		return nil
	}
	ids := make([]string, 0, len(byThread))
	for id := range byThread {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if c := cmp.Compare(len(byThread[b]), len(byThread[a])); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	p.nthread = len(ids)
	for _, id := range ids[:min(len(ids), maxThreads)] {
		th := in
		th.Thread = ""
		t, err := Build(byThread[id], model, th, opt)
		if err != nil {
			return fmt.Errorf("report: thread %s: %w", id, err)
		}
		p.threads = append(p.threads, threadPanel{ID: id, N: len(byThread[id]), T: t})
	}
	return nil
}

// section is one chart of the page with its data table.
type section struct {
	ID, Nav, Title, Dek string
	SVG                 template.HTML
	chart               svgChart
	Table               htmlTable
	Notes               []string
}

func (p *Page) find(kind string) *Table {
	for _, t := range p.tables {
		if t.Kind == kind {
			return t
		}
	}
	return nil
}

// palette gives every stance of the page's tables its colour, in a fixed
// order: the stance table's rows, then the arguments' stances.
func (p *Page) palette() palette {
	var lists [][]string
	for _, t := range p.tables {
		var l []string
		switch t.Kind {
		case ByStance, ByArgument:
			for _, r := range shareRows(t) {
				l = append(l, r.Stance)
			}
		case ByThread:
			l = threadSplitOf(t).Stances
		}
		lists = append(lists, l)
	}
	return newPalette(lists...)
}

// order is the argument order every per-argument chart follows: the
// argument table's rows when the page has one.
func (p *Page) order() []shareRow {
	if t := p.find(ByArgument); t != nil {
		return argumentOrder(t)
	}
	return nil
}

func (p *Page) sections() []section {
	pal := p.palette()
	order := p.order()
	var out []section
	var threadTable *section
	for _, t := range p.tables {
		s, ok := tableSection(t, pal, order)
		if ok && t.Kind == ByThread && p.report {
			threadTable = &s
			continue
		}
		if ok {
			out = append(out, s)
		}
		if t.Kind == ByArgument && p.report && len(p.points) > 0 {
			out = append(out, sentimentSection(p.points, order, pal))
		}
	}
	if len(p.periods) > 0 {
		out = append(out, p.timeSection(order, pal))
	}
	if len(p.threads) > 0 {
		out = append(out, p.threadSection(order, pal))
	}
	if threadTable != nil {
		out = append(out, *threadTable)
	}
	return out
}

// tableSection is the chart of one table, with the table as its data.
func tableSection(t *Table, pal palette, order []shareRow) (section, bool) {
	s := section{Table: tableHTML(t), Notes: t.Notes}
	switch t.Kind {
	case ByArgument:
		s.ID, s.Nav, s.Title = "shares", "Arguments", "Which arguments readers make"
		s.Dek = "Each argument's share of the comments, largest first, as the notes under the table define it. Whiskers: 95% intervals. Colour: the argument's stance."
		s.chart = barsChart(argumentOrder(t), pal, true, "comments")
	case ByStance:
		s.ID, s.Nav, s.Title = "stances", "Stances", "For, against or neutral"
		s.Dek = "Share of the comments by the stance of their argument, as the notes under the table define it, with 95% intervals."
		rows := shareRows(t)
		for _, r := range rows {
			if r.OfAll {
				s.Dek += fmt.Sprintf(" Last in the bar, light grey: the %s of all comments that are unclear; the other shares are of the comments placed, and the bar shrinks them to fit.", r.ShareText)
				break
			}
		}
		s.chart = stanceChart(rows, pal)
	case ByExchange:
		s.ID, s.Nav, s.Title = "exchange", "Exchanges", "Who answers whom"
		s.Dek = "Replies by the argument of the comment replied to (rows) and the stance of the reply (columns); darker cells, more replies. Rebuttal: a reply whose stance opposes its parent's."
		s.chart = heatChart(exchangeOf(t), pal)
	case ByThread:
		d := threadSplitOf(t)
		s.ID, s.Nav, s.Title = "thread-split", "Stance by thread", "For, against or neutral, thread by thread"
		s.Dek = "Share of each thread's comments by stance, the largest threads first."
		if len(d.Rows) > maxSplitRows {
			s.Dek += fmt.Sprintf(" The chart shows the %d largest of %d threads; the table has them all.", maxSplitRows, len(d.Rows))
		}
		s.chart = threadSplitChart(d, pal)
	case ByComments:
		s.ID, s.Nav, s.Title = "sentiment", "Sentiment", "How readers feel, argument by argument"
		pts := commentPoints(t)
		s.Dek = sentimentDekFor(len(pts))
		s.chart = stripChart(pts, order, pal, maxDots)
	default:
		if !t.NoCaption {
			return s, false
		}
		s.ID, s.Nav, s.Title = t.Kind, t.Title, t.Title
		return s, true
	}
	s.SVG = s.chart.inline(s.ID)
	return s, true
}

const sentimentDek = "VADER compound of each comment (one dot per comment), from −1 (negative) to +1 (positive), by argument. Tick: the mean; shaded box: the middle half of the comments."

// sentimentDekMany explains the sentiment chart without dots.
const sentimentDekMany = "VADER compound of the comments, from −1 (negative) to +1 (positive), by argument. Tick: the mean; shaded box: the middle half of the comments; line: the middle 90%."

// sentimentDekFor returns the explanation of the sentiment chart of n
// comments.
func sentimentDekFor(n int) string {
	if n > maxDots {
		return sentimentDekMany
	}
	return sentimentDek
}

// sentimentSection is the strip chart of per-comment points, with a
// summary table per argument.
func sentimentSection(points []point, order []shareRow, pal palette) section {
	s := section{ID: "sentiment", Nav: "Sentiment", Title: "How readers feel, argument by argument", Dek: sentimentDekFor(len(points))}
	s.chart = stripChart(points, order, pal, maxDots)
	s.SVG = s.chart.inline(s.ID)
	type argVals struct {
		name, stance string
		vals         []float64
	}
	var groups []*argVals
	byID := map[string]*argVals{}
	for _, r := range order {
		if !r.Apart {
			byID[r.ID] = &argVals{name: r.Name, stance: r.Stance}
			groups = append(groups, byID[r.ID])
		}
	}
	for _, pt := range points {
		g, ok := byID[pt.ArgID]
		if !ok {
			g = &argVals{name: pt.Arg, stance: pt.Stance}
			byID[pt.ArgID] = g
			groups = append(groups, g)
		}
		g.vals = append(g.vals, pt.Compound)
	}
	s.Table.Header = []htmlCell{{"Argument", false}, {"Stance", false}, {"Comments", true}, {"Mean", true}, {"Median", true}, {"Middle half", true}, {"Lowest", true}, {"Highest", true}}
	signed := func(x float64) string {
		if math.IsNaN(x) {
			return dash
		}
		return fmt.Sprintf("%+.3f", stable(x))
	}
	var all []float64
	for _, g := range groups {
		all = append(all, g.vals...)
		lo, hi := math.NaN(), math.NaN()
		if len(g.vals) > 0 {
			lo, hi = slices.Min(g.vals), slices.Max(g.vals)
		}
		mid := dash
		if len(g.vals) > 0 {
			mid = signed(chartQuantile(g.vals, 0.25)) + " to " + signed(chartQuantile(g.vals, 0.75))
		}
		s.Table.Rows = append(s.Table.Rows, []htmlCell{{g.name, false}, {g.stance, false}, {fmt.Sprint(len(g.vals)), true},
			{signed(chartMean(g.vals)), true}, {signed(chartQuantile(g.vals, 0.5)), true}, {mid, true}, {signed(lo), true}, {signed(hi), true}})
	}
	s.Table.Footer = []htmlCell{{"Total", false}, {"", false}, {fmt.Sprint(len(all)), true}, {signed(chartMean(all)), true}, {signed(chartQuantile(all, 0.5)), true}, {"", true}, {"", true}, {"", true}}
	s.Notes = []string{"Each comment counts once here, whatever the weighting; the compound saturates toward ±1 on long comments."}
	if len(points) > maxDots {
		s.Notes = append(s.Notes, fmt.Sprintf("%d comments: too many to draw one dot each; boxes and means only.", len(points)))
	}
	return s
}

func (p *Page) timeSection(order []shareRow, pal palette) section {
	per := "day"
	if p.unit == "week" {
		per = "week (weeks start on Monday, UTC)"
	}
	s := section{ID: "time", Nav: "Over time", Title: "How the debate moves",
		Dek: fmt.Sprintf("Comments per %s, then each argument's share of the comments of each %s: line and dots, with its 95%% interval as a band (cut at the top of a panel); dashed: its share over the whole input.", p.unit, per)}
	s.chart = timeChart(p.periods, order, pal, p.unit)
	s.SVG = s.chart.inline(s.ID)
	s.Table.Header = []htmlCell{{strings.ToUpper(p.unit[:1]) + p.unit[1:], false}, {"Comments", true}}
	for _, a := range order {
		s.Table.Header = append(s.Table.Header, htmlCell{a.Name, true})
	}
	for _, pd := range p.periods {
		row := []htmlCell{{pd.Start.Format("2006-01-02"), false}, {fmt.Sprint(pd.N), true}}
		m := sharesByID(pd.T)
		for _, a := range order {
			txt := ""
			if r, ok := m[a.ID]; ok {
				txt = r.ShareText
			}
			row = append(row, htmlCell{txt, true})
		}
		s.Table.Rows = append(s.Table.Rows, row)
	}
	if p.untimed > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d comments without a time are left out of this chart.", p.untimed))
	}
	return s
}

func (p *Page) threadSection(order []shareRow, pal palette) section {
	s := section{ID: "threads", Nav: "Threads", Title: "Thread by thread",
		Dek: "Share of each thread's comments per argument, on one scale, in the order of the whole input."}
	if p.nthread > len(p.threads) {
		s.Dek += fmt.Sprintf(" The %d largest of %d threads.", len(p.threads), p.nthread)
	}
	s.chart = threadsChart(p.threads, order, pal)
	s.SVG = s.chart.inline(s.ID)
	s.Table.Header = []htmlCell{{"Thread", false}, {"Comments", true}}
	for _, a := range order {
		s.Table.Header = append(s.Table.Header, htmlCell{a.Name, true})
	}
	for _, th := range p.threads {
		row := []htmlCell{{th.ID, false}, {fmt.Sprint(th.N), true}}
		m := sharesByID(th.T)
		for _, a := range order {
			row = append(row, htmlCell{m[a.ID].ShareText, true})
		}
		s.Table.Rows = append(s.Table.Rows, row)
	}
	return s
}

// glance returns the page's lede: the leading argument, the stance split
// and the rebuttal rate, in sentences.
func (p *Page) glance() []string {
	var out []string
	if t := p.find(ByArgument); t != nil {
		for _, r := range argumentOrder(t) {
			if r.Apart || math.IsNaN(r.Share) {
				continue
			}
			out = append(out, fmt.Sprintf("Most made argument: %s, %s of the comments (95%% CI %s).", r.Name, r.ShareText, r.CIText))
			break
		}
	}
	if t := p.find(ByStance); t != nil {
		var parts []string
		for _, r := range shareRows(t) {
			if r.OfAll {
				parts = append(parts, fmt.Sprintf("%s %s of all comments", r.Name, r.ShareText))
			} else {
				parts = append(parts, fmt.Sprintf("%s %s", r.Name, r.ShareText))
			}
		}
		if len(parts) > 0 {
			s := strings.Join(parts, ", ")
			out = append(out, "Stances: "+s+".")
		}
	}
	if t := p.find(ByExchange); t != nil {
		if d := exchangeOf(t); d.Total.Replies > 0 {
			out = append(out, fmt.Sprintf("Rebuttals: %s of %s replies answer the other side (95%% CI %s).", d.Total.RateText, formatCount(d.Total.Replies), d.Total.CIText))
		}
	}
	if n := len(p.periods); n > 0 {
		out = append(out, fmt.Sprintf("Time: comments from the %s of %s to the %s of %s.", p.unit, p.periods[0].Label, p.unit, p.periods[n-1].Label))
	}
	if len(p.threads) > 0 {
		out = append(out, fmt.Sprintf("Threads: %d; the largest, %s, has %d comments.", p.nthread, p.threads[0].ID, p.threads[0].N))
	}
	if len(p.points) > 0 {
		vals := make([]float64, len(p.points))
		for i, pt := range p.points {
			vals[i] = pt.Compound
		}
		out = append(out, fmt.Sprintf("Mean sentiment (VADER compound, −1 to +1): %+.3f.", stable(chartMean(vals))))
	}
	return out
}

// pageData is what the page template shows.
type pageData struct {
	Title, Kicker, Headline string
	Caption                 []string
	Glance                  []string
	Sections                []section
	Inputs, ModelID         string
	// Document is true on the page of a Document, whose footer names no
	// input and no chart.
	Document bool
}

// Render writes the page as one HTML document.
func (p *Page) Render(w io.Writer) error {
	if len(p.tables) == 0 {
		return fmt.Errorf("report: a page needs at least one table")
	}
	if p.doc != nil {
		d := pageData{Kicker: "stance", Headline: p.doc.Title, Title: p.doc.Title + " · stance", Sections: p.sections(),
			ModelID: p.doc.Model.ID, Document: true}
		if err := pageTemplate.Execute(w, d); err != nil {
			return fmt.Errorf("write html: %w", err)
		}
		return nil
	}
	first := p.tables[0]
	c := first.Caption
	d := pageData{Kicker: "Stance table", Caption: c.Lines(first.Title), ModelID: c.Model.ID,
		Inputs: strings.Join(c.Inputs, ", "), Sections: p.sections()}
	if p.report {
		d.Kicker = "Stance report"
		d.Caption = c.Lines("Input")
		d.Glance = p.glance()
	}
	if d.Inputs == "" {
		d.Inputs = "-"
	}
	d.Headline = c.Thread
	if d.Headline == "" {
		d.Headline = "Reader comments in " + d.Inputs
	}
	d.Title = d.Headline + " · " + d.Kicker
	if err := pageTemplate.Execute(w, d); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}
