package report

import (
	"math"
	"strings"
)

// This file is the charts' only window on a Table: every chart reads its
// numbers through the functions below, by column key, so that when the
// columns change (an estimated share, an "unclear" row) only this file
// changes.

// tableView reads a Table's cells by column key.
type tableView struct {
	t   *Table
	col map[string]int
}

func viewOf(t *Table) tableView {
	v := tableView{t: t, col: make(map[string]int, len(t.Columns))}
	for i, c := range t.Columns {
		v.col[c.Key] = i
	}
	return v
}

func (v tableView) has(key string) bool { _, ok := v.col[key]; return ok }

func (v tableView) cell(row []Cell, key string) (Cell, bool) {
	i, ok := v.col[key]
	if !ok || i >= len(row) {
		return Cell{}, false
	}
	return row[i], true
}

// text returns a cell's display text, "" when the column is missing.
func (v tableView) text(row []Cell, key string) string {
	c, _ := v.cell(row, key)
	return c.Text
}

// str returns a text cell's value, falling back to its display text.
func (v tableView) str(row []Cell, key string) string {
	c, _ := v.cell(row, key)
	if s, ok := c.Value.(string); ok {
		return s
	}
	return c.Text
}

// num returns a number cell's value, NaN when missing or undefined.
func (v tableView) num(row []Cell, key string) float64 {
	c, _ := v.cell(row, key)
	if x, ok := c.Value.(float64); ok {
		return x
	}
	return math.NaN()
}

// interval returns an interval cell's value, undefined when missing.
func (v tableView) interval(row []Cell, key string) Interval {
	c, _ := v.cell(row, key)
	if iv, ok := c.Value.(Interval); ok {
		return iv
	}
	return undefined
}

// shareRow is one bar of a share chart: an argument or a stance.
type shareRow struct {
	ID, Name, Stance string
	Count            float64
	Share            float64
	ShareText        string
	CI               Interval
	CIText           string
	Compound         float64
	// Apart rows (the "unclear" estimate) are drawn below a rule, apart
	// from the ranked rows.
	Apart bool
}

// shareRows reads the rows of an argument or stance table.
func shareRows(t *Table) []shareRow {
	v := viewOf(t)
	var out []shareRow
	for _, row := range t.Rows {
		r := shareRow{
			Count:     v.num(row, "count"),
			Share:     v.num(row, "share"),
			ShareText: v.text(row, "share"),
			CI:        v.interval(row, "share_ci"),
			CIText:    v.text(row, "share_ci"),
			Compound:  v.num(row, "compound"),
		}
		switch t.Kind {
		case ByStance:
			r.Stance = v.str(row, "stance")
			r.ID, r.Name = r.Stance, r.Stance
		default:
			r.ID, r.Name, r.Stance = v.str(row, "id"), v.str(row, "argument"), v.str(row, "stance")
			if r.ID == "" {
				r.ID = r.Name
			}
		}
		r.Apart = r.ID == "unclear" || r.Stance == "unclear"
		out = append(out, r)
	}
	return out
}

// exchangeData is the exchange table as the heat map needs it.
type exchangeData struct {
	// Stances are the reply stances, one column each.
	Stances []string
	Rows    []exchangeRow
	Total   exchangeRow
}

type exchangeRow struct {
	ID, Name, Stance   string
	Cells              []float64
	CellText           []string
	Replies, Rebuttals float64
	Rate               float64
	RateText           string
	CI                 Interval
	CIText             string
}

// exchangeOf reads an exchange table: the reply_* columns are the stances.
func exchangeOf(t *Table) exchangeData {
	v := viewOf(t)
	var d exchangeData
	var keys []string
	for _, c := range t.Columns {
		if strings.HasPrefix(c.Key, "reply_") && c.Kind == KindNumber {
			keys = append(keys, c.Key)
			d.Stances = append(d.Stances, strings.TrimPrefix(c.Header, "Reply "))
		}
	}
	read := func(row []Cell) exchangeRow {
		r := exchangeRow{
			ID: v.str(row, "id"), Name: v.str(row, "parent_argument"), Stance: v.str(row, "parent_stance"),
			Replies: v.num(row, "replies"), Rebuttals: v.num(row, "rebuttals"),
			Rate: v.num(row, "rebuttal_rate"), RateText: v.text(row, "rebuttal_rate"),
			CI: v.interval(row, "rebuttal_ci"), CIText: v.text(row, "rebuttal_ci"),
		}
		for _, k := range keys {
			r.Cells = append(r.Cells, v.num(row, k))
			r.CellText = append(r.CellText, v.text(row, k))
		}
		return r
	}
	for _, row := range t.Rows {
		d.Rows = append(d.Rows, read(row))
	}
	if t.Footer != nil {
		d.Total = read(t.Footer)
	}
	return d
}

// point is one comment in the sentiment strip.
type point struct {
	ArgID, Arg, Stance string
	Compound           float64
	// Who says whose comment it is, for the dot's tooltip.
	Who string
}

// commentPoints reads the points of a comments table.
func commentPoints(t *Table) []point {
	v := viewOf(t)
	var out []point
	for _, row := range t.Rows {
		p := point{
			ArgID: v.str(row, "argument_id"), Arg: strings.TrimSuffix(v.str(row, "argument"), " (abstained)"),
			Stance: v.str(row, "stance"), Compound: v.num(row, "compound"), Who: v.str(row, "author"),
		}
		if p.ArgID == "" {
			p.ArgID = p.Arg
		}
		if !math.IsNaN(p.Compound) {
			out = append(out, p)
		}
	}
	return out
}

// argumentOrder returns the argument IDs, names and stances of an argument
// table, in its row order.
func argumentOrder(t *Table) []shareRow { return shareRows(t) }

// threadSplit is the thread table as the stance-by-thread chart needs it.
type threadSplit struct {
	// Stances are the stances of the share_* columns, in column order.
	Stances []string
	Rows    []threadSplitRow
}

type threadSplitRow struct {
	ID, Leading, LeadingShare string
	Count                     float64
	Shares                    []float64
	ShareText                 []string
}

// threadSplitOf reads a thread table: one row per thread, the share of
// each stance in its share_* columns.
func threadSplitOf(t *Table) threadSplit {
	v := viewOf(t)
	var d threadSplit
	var keys []string
	for _, c := range t.Columns {
		if strings.HasPrefix(c.Key, "share_") && c.Kind == KindNumber {
			keys = append(keys, c.Key)
			d.Stances = append(d.Stances, strings.TrimPrefix(c.Key, "share_"))
		}
	}
	for _, row := range t.Rows {
		r := threadSplitRow{ID: v.str(row, "thread"), Leading: v.str(row, "leading"), LeadingShare: v.text(row, "leading_share"), Count: v.num(row, "count")}
		for _, k := range keys {
			r.Shares = append(r.Shares, v.num(row, k))
			r.ShareText = append(r.ShareText, v.text(row, k))
		}
		d.Rows = append(d.Rows, r)
	}
	return d
}
