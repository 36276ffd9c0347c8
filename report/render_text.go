package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// textRenderer draws a terminal table with tablewriter: the caption above,
// numbers right-aligned, headers as written, totals in the footer, notes
// below. Widths are measured with East Asian ambiguous characters as narrow,
// whatever the locale, so the output is the same everywhere.
type textRenderer struct{}

func (textRenderer) Render(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	for _, l := range t.Caption.Lines(t.Title) {
		fmt.Fprintln(bw, flat(l))
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
	tbl := tablewriter.NewTable(bw,
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithFooterAutoFormat(tw.Off),
		tablewriter.WithRowAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithFooterAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithAlignment(aligns),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: aligns}),
		tablewriter.WithFooterAlignmentConfig(tw.CellAlignment{PerColumn: aligns}),
	)
	tbl.Header(toAny(header)...)
	for _, row := range t.Rows {
		if err := tbl.Append(pick(row, cols)); err != nil {
			return fmt.Errorf("render table: %w", err)
		}
	}
	if t.Footer != nil {
		tbl.Footer(toAny(pick(t.Footer, cols))...)
	}
	if err := tbl.Render(); err != nil {
		return fmt.Errorf("render table: %w", err)
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
