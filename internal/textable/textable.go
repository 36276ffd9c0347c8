// Package textable is the one setup of the terminal table drawer
// (tablewriter v1) that every box table of stance goes through: the stance
// tables of package report, the reports of eval, train and model show
// (drawn by report too) and the comments table of `stance parse -f table`.
//
// Cells are printed as given: no auto-formatting of headers, no wrapping,
// no trimming. Widths count East Asian ambiguous characters (box drawing,
// "±", "–", "→", "…", Greek letters) as narrow whatever the locale
// (LANG, LC_ALL, RUNEWIDTH_EASTASIAN), so the same input gives the same
// bytes everywhere.
package textable

import (
	"io"
	"strings"
	"unicode"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// New returns a table drawn on w. align gives each column's alignment in
// the rows and the footer; header, when not nil, the alignment of each
// header cell (else the header follows align).
//
// tablewriter keeps the East Asian width in one process-wide setting, which
// New sets to narrow on every call: tables drawn later in the same process
// with tablewriter's defaults are narrow too.
func New(w io.Writer, align, header []tw.Align) *tablewriter.Table {
	if header == nil {
		header = align
	}
	return tablewriter.NewTable(w,
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithFooterAutoFormat(tw.Off),
		tablewriter.WithRowAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithFooterAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithAlignment(align),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: header}),
		tablewriter.WithFooterAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
}

// Flat makes a cell safe for a terminal or a markdown line: line breaks
// and tabs become spaces, other control characters (escape sequences from
// a hostile author name) become U+FFFD.
func Flat(s string) string {
	clean := true
	for _, r := range s {
		if unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
}
