package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter/tw"

	"github.com/stance-dev/stance/internal/textable"
)

// textRenderer draws a terminal table with tablewriter, set up once in
// internal/textable: the caption above (none for a NoCaption table),
// numbers right-aligned, headers as written (none for a Headless table),
// totals in the footer, notes below; a table without columns is its notes
// alone. Widths are measured with East Asian ambiguous characters as
// narrow, whatever the locale, so the output is the same everywhere.
type textRenderer struct{}

func (textRenderer) Render(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	if !t.NoCaption {
		for _, l := range t.Caption.Lines(t.Title) {
			fmt.Fprintln(bw, flat(l))
		}
	}
	cols := visible(t)
	aligns := make([]tw.Align, len(cols))
	header := make([]string, len(cols))
	for j, i := range cols {
		header[j] = flat(t.Columns[i].Header)
		aligns[j] = tw.AlignLeft
		if t.Columns[i].Align == AlignRight {
			aligns[j] = tw.AlignRight
		}
	}
	tbl := textable.New(bw, aligns, nil)
	if !t.Headless {
		tbl.Header(toAny(header)...)
	}
	for _, row := range t.Rows {
		if err := tbl.Append(pick(row, cols)); err != nil {
			return fmt.Errorf("render table: %w", err)
		}
	}
	if t.Footer != nil {
		tbl.Footer(toAny(pick(t.Footer, cols))...)
	}
	if len(cols) > 0 {
		if err := tbl.Render(); err != nil {
			return fmt.Errorf("render table: %w", err)
		}
	}
	for _, n := range t.Notes {
		fmt.Fprintln(bw, flat(n))
	}
	return bw.Flush()
}

func pick(row []Cell, cols []int) []string {
	out := make([]string, len(cols))
	for j, i := range cols {
		out[j] = flat(row[i].Text)
	}
	return out
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
