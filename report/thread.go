package report

import (
	"cmp"
	"fmt"
	"slices"
)

// threadSet counts comments per thread (Comment.ThreadID), for the thread
// table: one entry per thread, in order of first appearance.
type threadSet struct {
	index map[string]int
	rows  []threadRow
}

type threadRow struct {
	id       string
	count    float64
	compound float64   // weighted sum
	args     []float64 // weighted count per argument
	stances  []float64 // weighted count per stance
	unclear  float64   // weighted count below the model's threshold
	measured int       // comments measured for foreignness
	foreign  int       // of which look foreign to the model
}

func (ts *threadSet) add(id string, arg, stance int, w, compound float64, unclear, measured, foreign bool) {
	i, ok := ts.index[id]
	if !ok {
		i = len(ts.rows)
		ts.index[id] = i
		ts.rows = append(ts.rows, threadRow{id: id})
	}
	r := &ts.rows[i]
	r.count += w
	r.compound += w * compound
	if measured {
		r.measured++
	}
	if foreign {
		r.foreign++
	}
	if unclear {
		r.unclear += w
		return
	}
	for len(r.args) <= arg {
		r.args = append(r.args, 0)
	}
	r.args[arg] += w
	if stance >= 0 {
		for len(r.stances) <= stance {
			r.stances = append(r.stances, 0)
		}
		r.stances[stance] += w
	}
}

// threadTable is one row per thread: its comments, leading argument with
// its share, the share of each stance, and the mean sentiment; threads
// sorted by count, then first appearance.
func (a *Aggregator) threadTable(t *Table) {
	t.Title = "Threads"
	rows := a.threads.rows
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Compare(countKey(rows[y].count), countKey(rows[x].count))
	})
	t.Columns = []Column{
		{Key: "thread", Header: "Thread"},
		{Key: "count", Header: a.countHeader(), Align: AlignRight, Kind: KindNumber},
		{Key: "leading_id", Header: "Leading argument ID", DataOnly: true},
		{Key: "leading", Header: "Leading argument"},
		{Key: "leading_share", Header: "Its share", Align: AlignRight, Kind: KindNumber},
	}
	for _, s := range a.stances {
		t.Columns = append(t.Columns, Column{Key: "share_" + keyOf(s), Header: capitalize(s), Align: AlignRight, Kind: KindNumber})
	}
	t.Columns = append(t.Columns, Column{Key: "compound", Header: "Sentiment", Align: AlignRight, Kind: KindNumber})
	if a.model.Heldout != nil {
		t.Columns = append(t.Columns,
			Column{Key: "unclear", Header: "Unclear", Align: AlignRight, Kind: KindNumber},
			Column{Key: "foreign", Header: "Foreign", Align: AlignRight, Kind: KindNumber})
	}
	var total, compound float64
	var tot threadRow
	totArgs := make([]float64, len(a.args))
	totSt := make([]float64, len(a.stances))
	for _, i := range order {
		r := &rows[i]
		total += r.count
		compound += r.compound
		for k, x := range r.args {
			totArgs[k] += x
		}
		for k, x := range r.stances {
			totSt[k] += x
		}
		id := r.id
		if id == "" {
			id = "(no thread key)"
		}
		tot.unclear += r.unclear
		tot.measured += r.measured
		tot.foreign += r.foreign
		t.Rows = append(t.Rows, a.threadCells(textCell(id), r))
	}
	t.total = total
	tot.count, tot.compound, tot.args, tot.stances = total, compound, totArgs, totSt
	t.Footer = a.threadCells(textCell("Total"), &tot)
	t.Notes = append(t.Notes,
		"Threads: comments grouped by the input's thread key (articleID, link_id, ...), sorted by count; Leading argument: the thread's most frequent argument, with its share of the thread's placed comments"+a.weightNote()+".",
		"For/Against/...: the share of the thread's placed comments of each stance; Sentiment: mean VADER compound.")
	if a.model.Heldout != nil {
		t.Notes = append(t.Notes, fmt.Sprintf("Unclear: the share of the thread's comments below the model's threshold (P < %.2f); Foreign: the share of its (sampled) comments with more unknown words than 90%% of the model's held-out comments; a thread where most look foreign is one the model knows nothing about.", a.model.Heldout.Unclear))
	}
}

func (a *Aggregator) threadCells(name Cell, r *threadRow) []Cell {
	count, compound, args, stances := r.count, r.compound, r.args, r.stances
	placed := count - r.unclear
	lead := -1
	for k, x := range args {
		if countKey(x) > 0 && (lead < 0 || countKey(x) > countKey(args[lead])) {
			lead = k
		}
	}
	row := []Cell{name, countCell(count)}
	if lead >= 0 {
		row = append(row, textCell(a.args[lead].id), textCell(a.args[lead].name), shareCell(share(args[lead], placed)))
	} else {
		row = append(row, textCell(""), textCell(""), shareCell(share(0, 0)))
	}
	for k := range a.stances {
		x := 0.0
		if k < len(stances) {
			x = stances[k]
		}
		row = append(row, shareCell(share(x, placed)))
	}
	row = append(row, numCell(share(compound, count), "%+.3f"))
	if a.model.Heldout != nil {
		row = append(row, shareCell(share(r.unclear, count)), shareCell(share(float64(r.foreign), float64(r.measured))))
	}
	return row
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return fmt.Sprintf("%c%s", s[0]-'a'+'A', s[1:])
}
