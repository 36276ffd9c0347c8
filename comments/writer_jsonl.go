package comments

import (
	"bufio"
	"encoding/json"
	"io"
)

// JSONLWriter writes comments as JSON Lines, one object per line, with the
// snake_case keys of [Comment]: id, author, location, text, reply_to, parent,
// depth, recommendations, editors_pick, created, thread, source, extra.
// Writes are buffered: call Flush at the end. An error sticks: later calls
// return it.
type JSONLWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
	err error
}

// NewJSONLWriter returns a JSON Lines writer on w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{bw: bw, enc: enc}
}

// Write writes one comment.
func (w *JSONLWriter) Write(c *Comment) error {
	if w.err != nil {
		return w.err
	}
	w.err = w.enc.Encode(c)
	return w.err
}

// Flush writes the buffered data to the underlying writer.
func (w *JSONLWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	w.err = w.bw.Flush()
	return w.err
}
