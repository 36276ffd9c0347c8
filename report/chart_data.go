package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
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
	// OfAll is true when Share is the row's share of all comments, filled
	// in for an apart row the table gives no share.
	OfAll bool
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
		r.Apart = isUnclear(r.ID) || isUnclear(r.Stance)
		out = append(out, r)
	}
	// A row apart without an estimated share (the comments no argument was
	// placed in) shows its share of all comments.
	total := 0.0
	for _, r := range out {
		if !math.IsNaN(r.Count) {
			total += r.Count
		}
	}
	for i := range out {
		if r := &out[i]; r.Apart && math.IsNaN(r.Share) && !math.IsNaN(r.Count) && total > 0 {
			r.Share, r.OfAll = r.Count/total, true
			r.ShareText = fmt.Sprintf("%.1f%%", stable(100*r.Share))
		}
	}
	return out
}

// unclearOf returns the probability below which a comment is unclear in an
// argument table, and the table's unclear row; ok is false when the table
// places every comment.
func unclearOf(t *Table) (threshold float64, row shareRow, ok bool) {
	if e := t.Caption.Estimate; e == nil || !(e.Threshold > 0) {
		return 0, shareRow{}, false
	}
	for _, r := range shareRows(t) {
		if r.Apart {
			return t.Caption.Estimate.Threshold, r, true
		}
	}
	return 0, shareRow{}, false
}

// isUnclear reports whether a row ID, name or stance is the "unclear"
// estimate ("unclear", "Unclear (P < 0.45)").
func isUnclear(s string) bool { return strings.HasPrefix(strings.ToLower(s), "unclear") }

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

// argumentOrder returns the rows of an argument table in the order every
// per-argument chart follows: by share, largest first (the table may sort
// by count, and estimated shares need not follow counts), rows without a
// share after, rows apart last; ties keep the table's order.
func argumentOrder(t *Table) []shareRow {
	rows := shareRows(t)
	rank := func(r shareRow) int {
		switch {
		case r.Apart:
			return 2
		case math.IsNaN(r.Share):
			return 1
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b shareRow) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		if rank(a) == 0 {
			return cmp.Compare(math.Round(b.Share*1e6), math.Round(a.Share*1e6))
		}
		return 0
	})
	return rows
}

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
