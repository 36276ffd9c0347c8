package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Document is several tables written as one output: the reports of
// `stance eval`, `stance train` and `stance model show` (see
// [EvalDocument], [ModelDocument], [TrainingDocument] and
// [CurveDocument]). Its tables are NoCaption tables; the model they
// describe or measure is stated in their rows and in Model.
type Document struct {
	// Title names the document: the markdown heading and the HTML page's
	// headline. The terminal table does not print it.
	Title string
	// Model identifies the model; CSV writes its ID first on every record.
	Model ModelRef
	// Tables are the document's tables, in order.
	Tables []*Table
}

// DocumentFormats lists the formats RenderDocument writes; the first is the
// default. JSON is not among them: each document has its own JSON form, the
// data it is built from.
var DocumentFormats = []string{"table", "markdown", "csv", "html"}

// RenderDocument writes d in a format of DocumentFormats, with the renderer
// NewRenderer gives for it, so that a document's tables look like every
// other table of stance:
//
//   - table: the tables one after another, a blank line between them;
//   - markdown: the title as a heading, then each table under its title,
//     a blank line between them;
//   - csv: each table with its own header row, a blank line between them
//     (split there, or read with a reader that allows records of different
//     lengths); tables without columns are left out;
//   - html: one self-contained page with a section per table.
func RenderDocument(w io.Writer, format string, d *Document) error {
	if format == "html" {
		return NewDocumentPage(d).Render(w)
	}
	if format == "markdown" || format == "md" {
		if _, err := fmt.Fprintf(w, "# %s\n\n", mdEscape(d.Title)); err != nil {
			return fmt.Errorf("write markdown: %w", err)
		}
	}
	r, err := NewRenderer(format)
	if err != nil {
		return err
	}
	switch r.(type) {
	case textRenderer, markdownRenderer, csvRenderer:
	default:
		return fmt.Errorf("report: a document is not written as %q: valid values are {%s}", format, strings.Join(DocumentFormats, "|"))
	}
	_, isCSV := r.(csvRenderer)
	bw := bufio.NewWriter(w)
	first := true
	for _, t := range d.Tables {
		if isCSV && len(t.Columns) == 0 {
			continue
		}
		if !first {
			bw.WriteByte('\n')
		}
		first = false
		t.Caption.Model = d.Model
		if err := r.Render(bw, t); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", format, err)
	}
	return nil
}
