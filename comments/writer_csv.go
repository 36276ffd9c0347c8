package comments

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"
)

// CSVHeader is the header row [CSVWriter] writes; [CSVReader] reads it back.
var CSVHeader = []string{"id", "author", "location", "text", "reply_to", "parent", "depth",
	"recommendations", "editors_pick", "created", "thread", "source", "extra"}

// CSVWriter writes comments as CSV with a header row (see [CSVHeader]).
// Created is RFC 3339, empty when unknown; extra is a JSON object, empty when
// there is none. Writes are buffered: call Flush at the end.
type CSVWriter struct {
	cw     *csv.Writer
	header bool
	row    []string
	err    error
}

// NewCSVWriter returns a CSV writer on w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{cw: csv.NewWriter(w), row: make([]string, len(CSVHeader))}
}

// Write writes one comment, after the header row on the first call.
func (w *CSVWriter) Write(c *Comment) error {
	if w.err != nil {
		return w.err
	}
	if !w.header {
		w.header = true
		if w.err = w.cw.Write(CSVHeader); w.err != nil {
			return w.err
		}
	}
	created := ""
	if !c.Created.IsZero() {
		created = c.Created.Format(time.RFC3339Nano)
	}
	extra := ""
	if len(c.Extra) > 0 {
		b, err := json.Marshal(c.Extra)
		if err != nil {
			w.err = err
			return err
		}
		extra = string(b)
	}
	r := w.row
	r[0], r[1], r[2], r[3], r[4], r[5] = c.ID, c.Author, c.Location, c.Text, c.ReplyTo, c.ParentID
	r[6], r[7], r[8] = strconv.Itoa(c.Depth), strconv.Itoa(c.Recommendations), strconv.FormatBool(c.EditorsPick)
	r[9], r[10], r[11], r[12] = created, c.ThreadID, c.Source, extra
	w.err = w.cw.Write(r)
	return w.err
}

// Flush writes the buffered data (and the header, if nothing was written)
// to the underlying writer.
func (w *CSVWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	if !w.header {
		w.header = true
		w.cw.Write(CSVHeader)
	}
	w.cw.Flush()
	w.err = w.cw.Error()
	return w.err
}
