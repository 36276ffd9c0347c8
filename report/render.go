package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/stance-dev/stance/internal/textable"
)

// Renderer writes a Table in one output format.
type Renderer interface {
	// Render writes t to w.
	Render(w io.Writer, t *Table) error
}

// RowStreamer is a Renderer that can write a table's rows as they are
// made, holding none: the comments table of a large input streams through
// it. StreamRows writes what comes before the rows (t has its Columns and
// Caption.Model, not yet its rows or counts) and returns the functions that
// write one row and end the output with the final table.
type RowStreamer interface {
	Renderer
	StreamRows(w io.Writer, t *Table) (row func([]Cell) error, end func(*Table) error, err error)
}

// renderRows renders a whole table with a RowStreamer: its rows in turn.
func renderRows(r RowStreamer, w io.Writer, t *Table) error {
	row, end, err := r.StreamRows(w, t)
	if err != nil {
		return err
	}
	for _, cells := range t.Rows {
		if err := row(cells); err != nil {
			return err
		}
	}
	return end(t)
}

// Formats lists the output formats NewRenderer knows; the first is the
// default.
var Formats = []string{"table", "markdown", "csv", "json", "jsonl", "html", "svg"}

// NewRenderer returns the renderer of a format: "table" (terminal table),
// "markdown" (or "md"), "csv", "json", "html" (a self-contained page with
// the table's chart) or "svg" (the chart alone). It is the only place
// formats are named.
func NewRenderer(format string) (Renderer, error) {
	switch format {
	case "table", "":
		return textRenderer{}, nil
	case "markdown", "md":
		return markdownRenderer{}, nil
	case "csv":
		return csvRenderer{}, nil
	case "json":
		return jsonRenderer{}, nil
	case "jsonl":
		return jsonlRenderer{}, nil
	case "html":
		return htmlRenderer{}, nil
	case "svg":
		return svgRenderer{}, nil
	}
	return nil, fmt.Errorf("report: unknown format %q: valid values are {%s}", format, strings.Join(Formats, "|"))
}

// visible returns the indices of the columns text renderers show.
func visible(t *Table) []int {
	var idx []int
	for i, c := range t.Columns {
		if !c.DataOnly {
			idx = append(idx, i)
		}
	}
	return idx
}

// round4 rounds x to 4 decimals, the precision of machine formats.
func round4(x float64) float64 {
	r := math.Round(x*1e4) / 1e4
	if r == 0 {
		return 0 // no -0
	}
	return r
}

// formatNumber writes a number for CSV: 4 decimals at most, shortest form;
// empty when undefined.
func formatNumber(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(round4(x), 'f', -1, 64)
}

// flat makes a cell safe for a terminal or a markdown line (see
// textable.Flat).
func flat(s string) string { return textable.Flat(s) }
