package comments

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/tw"

	"github.com/stance-dev/stance/internal/textable"
)

// TableWriter writes comments as a terminal table: id, author, location,
// reply, depth, recommendations and the start of the body, headers
// centred. It is drawn by internal/textable, as every table of stance is,
// so its widths do not depend on the locale; control characters in a
// field become U+FFFD (line breaks and tabs, spaces). The table is drawn
// on Flush, so it holds the rows until then; it is meant for reading a
// thread, not for dumps.
type TableWriter struct {
	// Width is the number of runes of the body shown; longer bodies end in
	// "…". Default 60.
	Width int

	w    io.Writer
	rows [][]string
}

// NewTableWriter returns a table writer on w.
func NewTableWriter(w io.Writer) *TableWriter {
	return &TableWriter{Width: 60, w: w}
}

// Write adds one comment to the table.
func (t *TableWriter) Write(c *Comment) error {
	reply := ""
	if c.ParentID != "" {
		reply = "→ " + c.ParentID
	} else if c.ReplyTo != "" {
		reply = "@" + c.ReplyTo + " ?"
	}
	recs := ""
	if c.Recommendations > 0 {
		recs = strconv.Itoa(c.Recommendations)
	}
	if c.EditorsPick {
		recs += " pick"
	}
	row := []string{c.ID, c.Author, c.Location, reply, strconv.Itoa(c.Depth),
		strings.TrimSpace(recs), Truncate(c.Text, t.Width)}
	for i, f := range row {
		row[i] = textable.Flat(f)
	}
	t.rows = append(t.rows, row)
	return nil
}

// Flush draws the table.
func (t *TableWriter) Flush() error {
	header := []any{"ID", "Author", "Location", "Reply to", "Depth", "Recs", "Text"}
	left, centre := make([]tw.Align, len(header)), make([]tw.Align, len(header))
	for i := range header {
		left[i], centre[i] = tw.AlignLeft, tw.AlignCenter
	}
	tb := textable.New(t.w, left, centre)
	tb.Header(header...)
	if err := tb.Bulk(t.rows); err != nil {
		return err
	}
	t.rows = nil
	return tb.Render()
}

// Truncate returns s on one line (whitespace runs collapsed), cut to n
// runes with a trailing "…" when longer.
func Truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n-1 {
			break
		}
		k++
	}
	return s[:i] + "…"
}
