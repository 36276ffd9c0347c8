package report

import (
	"io"
)

// htmlRenderer writes a table as a self-contained page (see [Page]): the
// caption, the table's chart as inline SVG, the table with its totals, and
// the notes. It is the page `stance report` writes, with one table.
type htmlRenderer struct{}

func (htmlRenderer) Render(w io.Writer, t *Table) error { return NewPage(t).Render(w) }

// htmlTable is a data table as the page template writes it.
type htmlTable struct {
	Header []htmlCell
	Rows   [][]htmlCell
	Footer []htmlCell
}

type htmlCell struct {
	Text  string
	Right bool
}

// tableHTML returns the visible columns of t as a data table.
func tableHTML(t *Table) htmlTable {
	cols := visible(t)
	cells := func(row []Cell) []htmlCell {
		out := make([]htmlCell, len(cols))
		for j, i := range cols {
			if i < len(row) {
				out[j] = htmlCell{row[i].Text, t.Columns[i].Align == AlignRight}
			}
		}
		return out
	}
	var h htmlTable
	for _, i := range cols {
		h.Header = append(h.Header, htmlCell{t.Columns[i].Header, t.Columns[i].Align == AlignRight})
	}
	for _, row := range t.Rows {
		h.Rows = append(h.Rows, cells(row))
	}
	if t.Footer != nil {
		h.Footer = cells(t.Footer)
	}
	return h
}
