package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/stance-dev/stance/classify"
)

// Build computes the table chosen by opt.By from scored results.
//
// results are in input order; each must carry its Comment. model describes
// the model that scored them, in the input that was read. Build never
// drops a result: a label missing from the model's taxonomy gets a row of
// its own after the taxonomy's arguments.
func Build(results []classify.Result, model ModelInfo, in Input, opt Options) (*Table, error) {
	opt, err := opt.normalize()
	if err != nil {
		return nil, err
	}
	for i, r := range results {
		if r.Comment == nil {
			return nil, fmt.Errorf("report: result %d has no comment", i+1)
		}
	}
	p := prepare(results, model, opt)
	t := &Table{Kind: opt.By}
	switch opt.By {
	case ByArgument:
		p.argumentTable(t)
	case ByStance:
		if !p.hasStance {
			return nil, fmt.Errorf("report: the stance table needs a model with a taxonomy of stances; model %s has none", model.Name)
		}
		p.stanceTable(t)
	case ByExchange:
		if !p.hasStance {
			return nil, fmt.Errorf("report: the exchange table needs a model with a taxonomy of stances; model %s has none", model.Name)
		}
		p.exchangeTable(t)
	case ByComments:
		p.commentsTable(t)
	}
	t.Caption = Caption{
		Inputs:   slices.Clone(in.Names),
		Thread:   in.Thread,
		Comments: len(results),
		Skipped:  in.Skipped,
		Model:    model.ref(),
		Weighting: Weighting{
			Weight:    opt.Weight,
			PerAuthor: opt.PerAuthor,
			Total:     p.total,
			Interval:  IntervalWilson,
		},
	}
	if opt.weighted() {
		t.Caption.Weighting.Interval = IntervalBootstrap
		t.Caption.Weighting.Bootstrap = opt.Bootstrap
		t.Caption.Weighting.Seed = opt.Seed
	}
	return t, nil
}

type argDef struct{ id, name, stance string }

// prep holds the results indexed by argument and stance, and the base
// weights, shared by every table.
type prep struct {
	opt       Options
	model     ModelInfo
	res       []classify.Result
	args      []argDef
	stances   []string
	hasStance bool
	argOf     []int // argument index per result
	stanceOf  []int // stance index per result
	base      []float64
	author    []string // nil unless per-author
	byID      map[string]int
	total     float64 // total weight in the argument table
}

func prepare(results []classify.Result, m ModelInfo, opt Options) *prep {
	p := &prep{opt: opt, model: m, res: results}
	argIndex := map[string]int{}
	stIndex := map[string]int{}
	addStance := func(s string) int {
		if i, ok := stIndex[s]; ok {
			return i
		}
		stIndex[s] = len(p.stances)
		p.stances = append(p.stances, s)
		return len(p.stances) - 1
	}
	if tax := m.Taxonomy; tax != nil {
		for _, s := range tax.Stances {
			addStance(s)
		}
		for _, a := range tax.Arguments {
			if _, dup := argIndex[a.ID]; dup {
				continue
			}
			argIndex[a.ID] = len(p.args)
			name := a.Name
			if name == "" {
				name = a.ID
			}
			p.args = append(p.args, argDef{a.ID, name, a.Stance})
			if a.Stance != "" {
				addStance(a.Stance)
			}
		}
		p.hasStance = len(p.stances) > 0
	} else {
		for _, c := range m.Classes {
			if _, dup := argIndex[c]; !dup {
				argIndex[c] = len(p.args)
				p.args = append(p.args, argDef{c, c, ""})
			}
		}
	}
	p.byID = map[string]int{}
	for i, r := range results {
		a, ok := argIndex[r.Argument.Label]
		if !ok {
			a = len(p.args)
			argIndex[r.Argument.Label] = a
			name := r.Argument.Name
			if name == "" {
				name = r.Argument.Label
			}
			p.args = append(p.args, argDef{r.Argument.Label, name, r.Stance})
		}
		p.argOf = append(p.argOf, a)
		if id := r.Comment.ID; id != "" {
			if _, dup := p.byID[id]; !dup {
				p.byID[id] = i
			}
		}
	}
	if p.hasStance {
		for i, r := range results {
			s := r.Stance
			if s == "" {
				s = p.args[p.argOf[i]].stance
			}
			if s == "" {
				s = "none"
			}
			p.stanceOf = append(p.stanceOf, addStance(s))
		}
	}
	p.base = make([]float64, len(results))
	for i, r := range results {
		p.base[i] = 1
		if opt.Weight == WeightRecommendations {
			p.base[i] = float64(max(r.Comment.Recommendations, 0) + 1)
		}
	}
	if opt.PerAuthor {
		p.author = make([]string, len(results))
		for i, r := range results {
			p.author[i] = strings.TrimSpace(r.Comment.Author)
		}
	}
	p.total = sum(p.argUnits(nil, nil).weights())
	return p
}

// argUnits groups the comments sel (all when nil) into cells given by cell
// (argument index when nil).
func (p *prep) argUnits(sel []int, cell func(i int) int) *units {
	if sel == nil {
		sel = make([]int, len(p.res))
		for i := range sel {
			sel[i] = i
		}
	}
	if cell == nil {
		cell = func(i int) int { return p.argOf[i] }
	}
	cells := make([]int, len(sel))
	base := make([]float64, len(sel))
	var author []string
	if p.author != nil {
		author = make([]string, len(sel))
	}
	n := 0
	for j, i := range sel {
		cells[j] = cell(i)
		n = max(n, cells[j]+1)
		base[j] = p.base[i]
		if author != nil {
			author[j] = p.author[i]
		}
	}
	return newUnits(max(n, len(p.args)), cells, base, author)
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// countKey turns a weighted count into an integer for ordering, so that
// float rounding from summation order never reorders ties.
func countKey(x float64) int64 { return int64(math.Round(x * 1e6)) }

// countHeader names the count column after the weighting.
func (p *prep) countHeader() string {
	switch {
	case p.opt.Weight == WeightRecommendations:
		return "Weight"
	case p.opt.PerAuthor:
		return "Authors"
	}
	return "Comments"
}

// label returns a VADER label, from the compound when the scorer left it empty.
func label(s classify.Sentiment) string {
	if s.Label != "" {
		return s.Label
	}
	switch {
	case s.Compound >= 0.05:
		return "positive"
	case s.Compound <= -0.05:
		return "negative"
	}
	return "neutral"
}

// agg accumulates the weighted figures of one row.
type agg struct {
	count, top, replies float64
	compound, p         float64 // weighted sums
	neg, neu, pos       float64
	first               int // first comment, for nothing but debugging
}

func (a *agg) add(r classify.Result, w float64) {
	a.count += w
	if r.Comment.Depth > 0 || r.Comment.ParentID != "" {
		a.replies += w
	} else {
		a.top += w
	}
	a.compound += w * r.Sentiment.Compound
	a.p += w * r.Argument.P
	switch label(r.Sentiment) {
	case "negative":
		a.neg += w
	case "positive":
		a.pos += w
	default:
		a.neu += w
	}
}

func (a *agg) mean(x float64) float64 {
	if !(a.count > 0) {
		return math.NaN()
	}
	return x / a.count
}

func (p *prep) argumentTable(t *Table) {
	t.Title = "Arguments"
	u := p.argUnits(nil, nil)
	w := u.weights()
	rows := make([]agg, len(p.args))
	var tot agg
	for i, r := range p.res {
		rows[p.argOf[i]].add(r, w[i])
		tot.add(r, w[i])
	}
	all := make([]int, len(p.args))
	for k := range all {
		all[k] = k
	}
	rs := make([]ratio, len(p.args))
	for k := range rs {
		rs[k] = ratio{num: []int{k}, den: all}
	}
	ivs := u.intervals(rs, p.opt.weighted(), p.opt.Bootstrap, p.opt.Seed)
	order := p.sortedArgs(func(k int) float64 { return rows[k].count })

	t.Columns = []Column{
		{Key: "id", Header: "ID", DataOnly: true},
		{Key: "argument", Header: "Argument"},
	}
	if p.hasStance {
		t.Columns = append(t.Columns, Column{Key: "stance", Header: "Stance"})
	}
	t.Columns = append(t.Columns,
		Column{Key: "count", Header: p.countHeader(), Align: AlignRight, Kind: KindNumber},
		Column{Key: "top_level", Header: "Top-level", Align: AlignRight, Kind: KindNumber},
		Column{Key: "replies", Header: "Replies", Align: AlignRight, Kind: KindNumber},
		Column{Key: "share", Header: "Share", Align: AlignRight, Kind: KindNumber},
		Column{Key: "share_ci", Header: "95% CI", Align: AlignRight, Kind: KindInterval},
		Column{Key: "compound", Header: "Sentiment", Align: AlignRight, Kind: KindNumber},
		Column{Key: "negative", Header: "Neg", Align: AlignRight, Kind: KindNumber},
		Column{Key: "neutral", Header: "Neu", Align: AlignRight, Kind: KindNumber},
		Column{Key: "positive", Header: "Pos", Align: AlignRight, Kind: KindNumber},
		Column{Key: "p", Header: "P", Align: AlignRight, Kind: KindNumber},
		Column{Key: "cues", Header: "Cue words", Kind: KindList},
	)
	for _, k := range order {
		a, r := p.args[k], &rows[k]
		row := []Cell{textCell(a.id), textCell(a.name)}
		if p.hasStance {
			row = append(row, textCell(a.stance))
		}
		row = append(row, countCell(r.count), countCell(r.top), countCell(r.replies),
			shareCell(share(r.count, p.total)), intervalCell(ivs[k]),
			numCell(r.mean(r.compound), "%+.3f"),
			countCell(r.neg), countCell(r.neu), countCell(r.pos),
			numCell(r.mean(r.p), "%.2f"),
			listCell(p.model.Cues[a.id], ", "))
		t.Rows = append(t.Rows, row)
	}
	t.Footer = []Cell{emptyCell(), textCell("Total")}
	if p.hasStance {
		t.Footer = append(t.Footer, emptyCell())
	}
	t.Footer = append(t.Footer, countCell(tot.count), countCell(tot.top), countCell(tot.replies),
		shareCell(share(tot.count, p.total)), emptyCell(),
		numCell(tot.mean(tot.compound), "%+.3f"),
		countCell(tot.neg), countCell(tot.neu), countCell(tot.pos),
		numCell(tot.mean(tot.p), "%.2f"), emptyCell())
	t.Notes = append(t.Notes,
		"Share: of all comments"+p.weightNote()+"; rows sorted by count, then taxonomy order.",
		"Sentiment: mean VADER compound; Neg/Neu/Pos: comments by VADER label; P: mean classifier probability; Cue words: the argument's most distinctive tokens in the model (log-odds).")
	if !p.hasStance {
		t.Notes = append(t.Notes, "The model has no taxonomy: its classes are the arguments and there are no stances.")
	}
}

func (p *prep) weightNote() string {
	switch {
	case p.opt.Weight == WeightRecommendations && p.opt.PerAuthor:
		return " (each author once per row, at the mean of their recommendations + 1)"
	case p.opt.Weight == WeightRecommendations:
		return " (each weighted by recommendations + 1)"
	case p.opt.PerAuthor:
		return " (each author once per row)"
	}
	return ""
}

func share(x, total float64) float64 {
	if !(total > 0) {
		return math.NaN()
	}
	return x / total
}

// sortedArgs orders argument indices by count descending, then taxonomy order.
func (p *prep) sortedArgs(count func(k int) float64) []int {
	order := make([]int, len(p.args))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(countKey(count(b)), countKey(count(a))); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}

// leading returns up to n arguments with the largest counts among sel, as
// "Name (count)".
func (p *prep) leading(counts []float64, sel func(k int) bool, n int) []string {
	var out []string
	for _, k := range p.sortedArgs(func(k int) float64 { return counts[k] }) {
		if len(out) == n {
			break
		}
		if sel(k) && countKey(counts[k]) > 0 {
			out = append(out, fmt.Sprintf("%s (%s)", p.args[k].name, formatCount(counts[k])))
		}
	}
	return out
}

func (p *prep) stanceTable(t *Table) {
	t.Title = "Stances"
	u := p.argUnits(nil, func(i int) int { return p.stanceOf[i] })
	u.ncells = len(p.stances)
	w := u.weights()
	rows := make([]agg, len(p.stances))
	var tot agg
	for i, r := range p.res {
		rows[p.stanceOf[i]].add(r, w[i])
		tot.add(r, w[i])
	}
	total := tot.count
	all := make([]int, len(p.stances))
	for k := range all {
		all[k] = k
	}
	rs := make([]ratio, len(p.stances))
	for k := range rs {
		rs[k] = ratio{num: []int{k}, den: all}
	}
	ivs := u.intervals(rs, p.opt.weighted(), p.opt.Bootstrap, p.opt.Seed)

	// Leading arguments rank by their argument-table counts.
	aw := p.argUnits(nil, nil).weights()
	argCount := make([]float64, len(p.args))
	for i := range p.res {
		argCount[p.argOf[i]] += aw[i]
	}
	t.Columns = []Column{
		{Key: "stance", Header: "Stance"},
		{Key: "count", Header: p.countHeader(), Align: AlignRight, Kind: KindNumber},
		{Key: "top_level", Header: "Top-level", Align: AlignRight, Kind: KindNumber},
		{Key: "replies", Header: "Replies", Align: AlignRight, Kind: KindNumber},
		{Key: "share", Header: "Share", Align: AlignRight, Kind: KindNumber},
		{Key: "share_ci", Header: "95% CI", Align: AlignRight, Kind: KindInterval},
		{Key: "compound", Header: "Sentiment", Align: AlignRight, Kind: KindNumber},
		{Key: "negative", Header: "Neg", Align: AlignRight, Kind: KindNumber},
		{Key: "neutral", Header: "Neu", Align: AlignRight, Kind: KindNumber},
		{Key: "positive", Header: "Pos", Align: AlignRight, Kind: KindNumber},
		{Key: "leading", Header: "Leading arguments", Kind: KindList},
	}
	for k, s := range p.stances {
		r := &rows[k]
		lead := p.leading(argCount, func(a int) bool { return p.stanceOfArg(a) == s }, 3)
		t.Rows = append(t.Rows, []Cell{textCell(s), countCell(r.count), countCell(r.top), countCell(r.replies),
			shareCell(share(r.count, total)), intervalCell(ivs[k]),
			numCell(r.mean(r.compound), "%+.3f"),
			countCell(r.neg), countCell(r.neu), countCell(r.pos),
			listCell(lead, "; ")})
	}
	t.Footer = []Cell{textCell("Total"), countCell(tot.count), countCell(tot.top), countCell(tot.replies),
		shareCell(share(tot.count, total)), emptyCell(),
		numCell(tot.mean(tot.compound), "%+.3f"),
		countCell(tot.neg), countCell(tot.neu), countCell(tot.pos), emptyCell()}
	t.Notes = append(t.Notes,
		"Share: of all comments"+strings.ReplaceAll(p.weightNote(), "per row", "per stance")+"; stances in taxonomy order.",
		"Sentiment: mean VADER compound; Leading arguments: the stance's three most frequent arguments, with their counts.")
	p.total = total
}

// stanceOfArg is the stance of argument a, as the comments table shows it.
func (p *prep) stanceOfArg(a int) string {
	if s := p.args[a].stance; s != "" {
		return s
	}
	for i := range p.res {
		if p.argOf[i] == a {
			return p.stances[p.stanceOf[i]]
		}
	}
	return ""
}

// opposes reports whether stances a and b are for and against, in either order.
func opposes(a, b string) bool {
	return (a == "for" && b == "against") || (a == "against" && b == "for")
}

func (p *prep) exchangeTable(t *Table) {
	t.Title = "Exchanges"
	ns := len(p.stances)
	var sel []int
	orphans := 0
	for i, r := range p.res {
		if r.Comment.ParentID == "" {
			continue
		}
		if _, ok := p.byID[r.Comment.ParentID]; !ok {
			orphans++
			continue
		}
		sel = append(sel, i)
	}
	cellOf := func(i int) int {
		parent := p.byID[p.res[i].Comment.ParentID]
		return p.argOf[parent]*ns + p.stanceOf[i]
	}
	u := p.argUnits(sel, cellOf)
	u.ncells = len(p.args) * ns
	w := u.weights()
	cells := make([]float64, u.ncells)
	for j, c := range u.cell {
		cells[c] += w[j]
	}
	rowStance := make([]string, len(p.args))
	for a := range p.args {
		rowStance[a] = p.parentStance(a)
	}
	var rs []ratio
	var allNum, allDen []int
	for a := range p.args {
		var r ratio
		for s := range ns {
			c := a*ns + s
			r.den = append(r.den, c)
			if opposes(rowStance[a], p.stances[s]) {
				r.num = append(r.num, c)
			}
		}
		allNum = append(allNum, r.num...)
		allDen = append(allDen, r.den...)
		rs = append(rs, r)
	}
	rs = append(rs, ratio{num: allNum, den: allDen})
	ivs := u.intervals(rs, p.opt.weighted(), p.opt.Bootstrap, p.opt.Seed)

	replies := func(a int) float64 { _, d := rs[a].of(cells); return d }
	order := p.sortedArgs(replies)

	t.Columns = []Column{
		{Key: "id", Header: "ID", DataOnly: true},
		{Key: "parent_argument", Header: "Parent's argument"},
		{Key: "parent_stance", Header: "Parent's stance"},
	}
	for _, s := range p.stances {
		t.Columns = append(t.Columns, Column{Key: "reply_" + keyOf(s), Header: "Reply " + s, Align: AlignRight, Kind: KindNumber})
	}
	t.Columns = append(t.Columns,
		Column{Key: "replies", Header: "Replies", Align: AlignRight, Kind: KindNumber},
		Column{Key: "rebuttals", Header: "Rebuttals", Align: AlignRight, Kind: KindNumber},
		Column{Key: "rebuttal_rate", Header: "Rebuttal rate", Align: AlignRight, Kind: KindNumber},
		Column{Key: "rebuttal_ci", Header: "95% CI", Align: AlignRight, Kind: KindInterval},
	)
	colTot := make([]float64, ns)
	for _, a := range order {
		row := []Cell{textCell(p.args[a].id), textCell(p.args[a].name), textCell(rowStance[a])}
		for s := range ns {
			row = append(row, countCell(cells[a*ns+s]))
			colTot[s] += cells[a*ns+s]
		}
		num, den := rs[a].of(cells)
		row = append(row, countCell(den), countCell(num), shareCell(share(num, den)), intervalCell(ivs[a]))
		t.Rows = append(t.Rows, row)
	}
	num, den := rs[len(rs)-1].of(cells)
	t.Footer = []Cell{emptyCell(), textCell("Total"), emptyCell()}
	for s := range ns {
		t.Footer = append(t.Footer, countCell(colTot[s]))
	}
	t.Footer = append(t.Footer, countCell(den), countCell(num), shareCell(share(num, den)), intervalCell(ivs[len(ivs)-1]))
	t.Notes = append(t.Notes,
		"Rows: the argument of the comment replied to; columns: the stance of the reply"+strings.ReplaceAll(p.weightNote(), "per row", "per cell")+".",
		"Rebuttal: a reply whose stance is for while its parent's is against, or the reverse; rebuttal rate = rebuttals / replies.")
	if orphans > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d replies whose parent is not in the input are left out.", orphans))
	}
}

// parentStance is the stance of argument a as a parent.
func (p *prep) parentStance(a int) string { return p.stanceOfArg(a) }

// keyOf makes a stance into a snake_case key fragment.
func keyOf(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

func (p *prep) commentsTable(t *Table) {
	t.Title = "Comments"
	w := p.argUnits(nil, nil).weights()
	t.Columns = []Column{
		{Key: "n", Header: "#", Align: AlignRight, Kind: KindNumber},
		{Key: "id", Header: "ID", DataOnly: true},
		{Key: "author", Header: "Author"},
		{Key: "location", Header: "Location"},
		{Key: "parent", Header: "Parent", DataOnly: true},
		{Key: "replies_to", Header: "Replies to"},
		{Key: "sentiment", Header: "Sentiment"},
		{Key: "compound", Header: "Compound", Align: AlignRight, Kind: KindNumber},
		{Key: "argument_id", Header: "Argument ID", DataOnly: true},
		{Key: "argument", Header: "Argument"},
		{Key: "p", Header: "P", Align: AlignRight, Kind: KindNumber},
	}
	if p.hasStance {
		t.Columns = append(t.Columns, Column{Key: "stance", Header: "Stance"})
	}
	if p.opt.weighted() {
		t.Columns = append(t.Columns, Column{Key: "weight", Header: "Weight", Align: AlignRight, Kind: KindNumber})
	}
	t.Columns = append(t.Columns, Column{Key: "cues", Header: "Deciding words", Kind: KindList})
	for i, r := range p.res {
		c := r.Comment
		to := c.ReplyTo
		if pi, ok := p.byID[c.ParentID]; ok && c.ParentID != "" && to == "" {
			to = p.res[pi].Comment.Author
		}
		argName := p.args[p.argOf[i]].name
		if r.Argument.Abstained {
			argName += " (abstained)"
		}
		row := []Cell{
			{Text: fmt.Sprint(i + 1), Value: float64(i + 1)},
			textCell(c.ID), textCell(c.Author), textCell(c.Location), textCell(c.ParentID), textCell(to),
			textCell(label(r.Sentiment)), numCell(r.Sentiment.Compound, "%+.3f"),
			textCell(r.Argument.Label), textCell(argName), numCell(r.Argument.P, "%.2f"),
		}
		if p.hasStance {
			row = append(row, textCell(p.stances[p.stanceOf[i]]))
		}
		if p.opt.weighted() {
			row = append(row, numCell(w[i], "%.2f"))
		}
		var cues []string
		for _, q := range r.Argument.Cues {
			cues = append(cues, q.Token)
		}
		cell := listCell(cues, ", ")
		if len(cues) > 3 {
			cell.Text = strings.Join(cues[:3], ", ")
		}
		row = append(row, cell)
		t.Rows = append(t.Rows, row)
	}
	t.Notes = append(t.Notes, "Deciding words: the tokens that pushed hardest toward the label (first three shown).")
}
