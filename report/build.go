package report

import (
	"fmt"
	"strings"
)

// weightNote says how the share's comments are counted.
func (a *Aggregator) weightNote() string {
	switch {
	case a.opt.Weight == WeightRecommendations && a.opt.PerAuthor:
		return " (each author once per row, at the mean of their recommendations + 1)"
	case a.opt.Weight == WeightRecommendations:
		return " (each weighted by recommendations + 1)"
	case a.opt.PerAuthor:
		return " (each author once per row)"
	}
	return ""
}

// labelNote says what the Neg/Neu/Pos columns count.
func (a *Aggregator) labelNote() string {
	if a.opt.weighted() {
		return "Neg/Neu/Pos: comments by VADER label, counted like the " + a.countHeader() + " column (weighted)"
	}
	return "Neg/Neu/Pos: comments by VADER label"
}

// argName names argument cell k.
func (a *Aggregator) argName(k int) string { return a.args[k].id }

// allRatios returns, for cells 0..n-1, the share of each cell among all.
func allRatios(n int) []ratio {
	all := make([]int, n)
	for k := range all {
		all[k] = k
	}
	rs := make([]ratio, n)
	for k := range rs {
		rs[k] = ratio{num: []int{k}, den: all}
	}
	return rs
}

// shares gives the n rows of cells, their placed total, the total with the
// unclear comments, and the estimated shares with their intervals (see
// [Aggregator.estimate]; classOf maps model classes to rows, name names
// rows for the bootstrap). It sets the table's total and estimate caption.
func (a *Aggregator) shares(t *Table, cells *cellSet, n int, classOf []int, name func(int) string) (rows []agg, placed, tot agg, est estimator) {
	rows = cells.cells(n)
	for k := range rows {
		placed.merge(&rows[k], 1)
	}
	tot = placed
	tot.merge(&a.unclear, 1)
	t.total = tot.count
	est = a.estimate(rows, classOf)
	if est.labeled() {
		// Plain shares keep their sampling interval (Wilson, or the
		// bootstrap under a weighting).
		est.ci = cells.intervals(allRatios(n), rows, name, a.opt.Bootstrap, a.opt.Seed)
	}
	t.Caption.Estimate = &est.est
	return rows, placed, tot, est
}

// shareColumns are the columns the argument and stance tables share: the
// counts, the labeled share (data only when the shares are not adjusted),
// the estimated share and its interval, and the sentiment.
func (a *Aggregator) shareColumns(est estimator) []Column {
	return []Column{
		{Key: "count", Header: a.countHeader(), Align: AlignRight, Kind: KindNumber},
		{Key: "top_level", Header: "Top-level", Align: AlignRight, Kind: KindNumber},
		{Key: "replies", Header: "Replies", Align: AlignRight, Kind: KindNumber},
		{Key: "share_labeled", Header: "Labeled", Align: AlignRight, Kind: KindNumber, DataOnly: est.labeled()},
		{Key: "share", Header: "Share", Align: AlignRight, Kind: KindNumber},
		{Key: "share_ci", Header: "95% CI", Align: AlignRight, Kind: KindInterval},
		{Key: "compound", Header: "Sentiment", Align: AlignRight, Kind: KindNumber},
		{Key: "negative", Header: "Neg", Align: AlignRight, Kind: KindNumber},
		{Key: "neutral", Header: "Neu", Align: AlignRight, Kind: KindNumber},
		{Key: "positive", Header: "Pos", Align: AlignRight, Kind: KindNumber},
	}
}

func (a *Aggregator) argumentTable(t *Table) {
	t.Title = "Arguments"
	rows, placed, tot, est := a.shares(t, a.arg, len(a.args), a.argClassOf(), a.argName)
	order := a.sortedArgs(func(k int) float64 { return rows[k].count })

	t.Columns = []Column{
		{Key: "id", Header: "ID", DataOnly: true},
		{Key: "argument", Header: "Argument"},
	}
	if a.hasStance {
		t.Columns = append(t.Columns, Column{Key: "stance", Header: "Stance"})
	}
	t.Columns = append(t.Columns, a.shareColumns(est)...)
	t.Columns = append(t.Columns,
		Column{Key: "p", Header: "P", Align: AlignRight, Kind: KindNumber},
		Column{Key: "cues", Header: "Cue words", Kind: KindList},
	)
	for _, k := range order {
		d, r := a.args[k], &rows[k]
		row := []Cell{textCell(d.id), textCell(d.name)}
		if a.hasStance {
			row = append(row, textCell(d.stance))
		}
		row = append(row, countCell(r.count), countCell(r.top), countCell(r.replies))
		row = append(row, shareCell(share(r.count, placed.count)))
		row = append(row, shareCell(est.share[k]), intervalCell(est.ci[k]),
			numCell(r.mean(r.compound), "%+.3f"),
			countCell(r.neg), countCell(r.neu), countCell(r.pos),
			numCell(r.mean(r.p), "%.2f"),
			listCell(a.model.Cues[d.id], ", "))
		t.Rows = append(t.Rows, row)
	}
	if est.est.Threshold > 0 {
		t.Rows = append(t.Rows, a.unclearRow())
	}
	t.Footer = []Cell{emptyCell(), textCell("Total")}
	if a.hasStance {
		t.Footer = append(t.Footer, emptyCell())
	}
	t.Footer = append(t.Footer, countCell(tot.count), countCell(tot.top), countCell(tot.replies))
	t.Footer = append(t.Footer, shareCell(share(placed.count, placed.count)))
	t.Footer = append(t.Footer, shareCell(share(placed.count, placed.count)), emptyCell(),
		numCell(tot.mean(tot.compound), "%+.3f"),
		countCell(tot.neg), countCell(tot.neu), countCell(tot.pos),
		numCell(tot.mean(tot.p), "%.2f"), emptyCell())
	t.Notes = append(t.Notes, a.shareNote(est, "row")+"; rows sorted by count, then taxonomy order.",
		"Sentiment: mean VADER compound; "+a.labelNote()+"; P: mean classifier probability; Cue words: the argument's most distinctive tokens in the model (log-odds).")
	if !a.hasStance {
		t.Notes = append(t.Notes, "The model has no taxonomy: its classes are the arguments and there are no stances.")
	}
}

// shareNote explains the share columns.
func (a *Aggregator) shareNote(e estimator, per string) string {
	of := "Share: of all comments"
	if e.est.Threshold > 0 {
		of = "Share: of the placed comments (top P at least the model's threshold)"
	}
	note := of + strings.ReplaceAll(a.weightNote(), "per row", "per "+per)
	switch {
	case e.est.Adjusted:
		note = "Labeled: the share as the classifier labeled them; " + note + ", estimated for the classifier's errors (" + e.est.Method + ")"
	case !e.labeled():
		note = "Labeled: the share as the classifier labeled them; " + note + ", the mean of the classifier's probabilities (" + e.est.Method + ")"
	}
	return note
}

// unclearRow is the row of the comments below the model's threshold:
// counted, never placed in a share.
func (a *Aggregator) unclearRow() []Cell {
	u := &a.unclear
	var row []Cell
	if a.opt.By == ByArgument {
		row = []Cell{textCell("unclear"), textCell(a.unclearName())}
		if a.hasStance {
			row = append(row, textCell(""))
		}
	} else {
		row = []Cell{textCell(a.unclearName())}
	}
	row = append(row, countCell(u.count), countCell(u.top), countCell(u.replies),
		emptyCell(), emptyCell(), emptyCell(),
		numCell(u.mean(u.compound), "%+.3f"),
		countCell(u.neg), countCell(u.neu), countCell(u.pos))
	if a.opt.By == ByArgument {
		row = append(row, numCell(u.mean(u.p), "%.2f"), listCell(nil, ", "))
	} else {
		row = append(row, listCell(nil, "; "))
	}
	return row
}

// leading returns up to n arguments with the largest counts among sel, as
// "Name (count)".
func (a *Aggregator) leading(counts []float64, sel func(k int) bool, n int) []string {
	var out []string
	for _, k := range a.sortedArgs(func(k int) float64 { return counts[k] }) {
		if len(out) == n {
			break
		}
		if sel(k) && countKey(counts[k]) > 0 {
			out = append(out, fmt.Sprintf("%s (%s)", a.args[k].name, formatCount(counts[k])))
		}
	}
	return out
}

func (a *Aggregator) stanceTable(t *Table) {
	t.Title = "Stances"
	rows, placed, tot, est := a.shares(t, a.st, len(a.stances), a.stanceClassOf(), func(k int) string { return a.stances[k] })

	// Leading arguments rank by their argument-table counts.
	argRows := a.arg.cells(len(a.args))
	argCount := make([]float64, len(a.args))
	for k := range argCount {
		argCount[k] = argRows[k].count
	}
	t.Columns = append([]Column{{Key: "stance", Header: "Stance"}}, a.shareColumns(est)...)
	t.Columns = append(t.Columns, Column{Key: "leading", Header: "Leading arguments", Kind: KindList})
	for k, s := range a.stances {
		r := &rows[k]
		lead := a.leading(argCount, func(x int) bool { return a.stanceOfArg(x) == s }, 3)
		row := []Cell{textCell(s), countCell(r.count), countCell(r.top), countCell(r.replies)}
		row = append(row, shareCell(share(r.count, placed.count)))
		row = append(row, shareCell(est.share[k]), intervalCell(est.ci[k]),
			numCell(r.mean(r.compound), "%+.3f"),
			countCell(r.neg), countCell(r.neu), countCell(r.pos),
			listCell(lead, "; "))
		t.Rows = append(t.Rows, row)
	}
	if est.est.Threshold > 0 {
		t.Rows = append(t.Rows, a.unclearRow())
	}
	t.Footer = []Cell{textCell("Total"), countCell(tot.count), countCell(tot.top), countCell(tot.replies)}
	t.Footer = append(t.Footer, shareCell(share(placed.count, placed.count)))
	t.Footer = append(t.Footer, shareCell(share(placed.count, placed.count)), emptyCell(),
		numCell(tot.mean(tot.compound), "%+.3f"),
		countCell(tot.neg), countCell(tot.neu), countCell(tot.pos), emptyCell())
	t.Notes = append(t.Notes,
		a.shareNote(est, "stance")+"; stances in taxonomy order.",
		"Sentiment: mean VADER compound; "+a.labelNote()+"; Leading arguments: the stance's three most frequent arguments, with their counts.")
}

func (a *Aggregator) exchangeTable(t *Table) {
	t.Title = "Exchanges"
	ns := len(a.stances)
	// Exchange cells are numbered as they came; the table reads them as
	// argument × stance.
	raw := a.ex.cells(len(a.exOf))
	cells := make([]float64, len(a.args)*ns)
	for i, key := range a.exOf {
		cells[key[0]*ns+key[1]] = raw[i].count
	}
	cellOf := func(arg, s int) int {
		if i, ok := a.exID[[2]int{arg, s}]; ok {
			return i
		}
		return -1 // no comment: in no ratio
	}
	rowStance := make([]string, len(a.args))
	for k := range a.args {
		rowStance[k] = a.stanceOfArg(k)
	}
	var rs []ratio
	var allNum, allDen []int
	for k := range a.args {
		var r ratio
		for s := range ns {
			c := cellOf(k, s)
			if c < 0 {
				continue
			}
			r.den = append(r.den, c)
			if opposes(rowStance[k], a.stances[s]) {
				r.num = append(r.num, c)
			}
		}
		allNum = append(allNum, r.num...)
		allDen = append(allDen, r.den...)
		rs = append(rs, r)
	}
	rs = append(rs, ratio{num: allNum, den: allDen})
	ivs := a.ex.intervals(rs, raw, func(c int) string {
		return a.args[a.exOf[c][0]].id + "\x00" + a.stances[a.exOf[c][1]]
	}, a.opt.Bootstrap, a.opt.Seed)
	counts := make([]float64, len(raw))
	for i := range raw {
		counts[i] = raw[i].count
	}
	replies := func(k int) float64 { _, d := rs[k].of(counts); return d }
	order := a.sortedArgs(replies)

	t.Columns = []Column{
		{Key: "id", Header: "ID", DataOnly: true},
		{Key: "parent_argument", Header: "Parent's argument"},
		{Key: "parent_stance", Header: "Parent's stance"},
	}
	for _, s := range a.stances {
		t.Columns = append(t.Columns, Column{Key: "reply_" + keyOf(s), Header: "Reply " + s, Align: AlignRight, Kind: KindNumber})
	}
	t.Columns = append(t.Columns,
		Column{Key: "replies", Header: "Replies", Align: AlignRight, Kind: KindNumber},
		Column{Key: "rebuttals", Header: "Rebuttals", Align: AlignRight, Kind: KindNumber},
		Column{Key: "rebuttal_rate", Header: "Rebuttal rate", Align: AlignRight, Kind: KindNumber},
		Column{Key: "rebuttal_ci", Header: "95% CI", Align: AlignRight, Kind: KindInterval},
	)
	colTot := make([]float64, ns)
	for _, k := range order {
		row := []Cell{textCell(a.args[k].id), textCell(a.args[k].name), textCell(rowStance[k])}
		for s := range ns {
			row = append(row, countCell(cells[k*ns+s]))
			colTot[s] += cells[k*ns+s]
		}
		num, den := rs[k].of(counts)
		row = append(row, countCell(den), countCell(num), shareCell(share(num, den)), intervalCell(ivs[k]))
		t.Rows = append(t.Rows, row)
	}
	num, den := rs[len(rs)-1].of(counts)
	t.total = den
	t.Footer = []Cell{emptyCell(), textCell("Total"), emptyCell()}
	for s := range ns {
		t.Footer = append(t.Footer, countCell(colTot[s]))
	}
	t.Footer = append(t.Footer, countCell(den), countCell(num), shareCell(share(num, den)), intervalCell(ivs[len(ivs)-1]))
	t.Notes = append(t.Notes,
		"Rows: the argument of the comment replied to; columns: the stance of the reply"+strings.ReplaceAll(a.weightNote(), "per row", "per cell")+".",
		"Rebuttal: a reply whose stance is for while its parent's is against, or the reverse; rebuttal rate = rebuttals / replies.")
	orphans := a.orphans
	a.pending.each(func(w []pendingReply) { orphans += len(w) })
	if orphans > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%d replies whose parent is not in the input are left out.", orphans))
	}
}

func (a *Aggregator) commentsTable(t *Table) {
	t.Title = "Comments"
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
	if a.hasStance {
		t.Columns = append(t.Columns, Column{Key: "stance", Header: "Stance"})
	}
	if a.opt.Weight == WeightRecommendations {
		t.Columns = append(t.Columns, Column{Key: "weight", Header: "Weight", Align: AlignRight, Kind: KindNumber})
	}
	t.Columns = append(t.Columns, Column{Key: "cues", Header: "Deciding words", Kind: KindList})
	t.Rows = a.rows
	t.total = float64(a.n)
	t.Notes = append(t.Notes, "Deciding words: the tokens that pushed hardest toward the label (first three shown).")
}
