package training

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// Doc is one labeled document.
type Doc struct {
	// Text is the document's text.
	Text string `json:"text"`
	// Labels are its classes, the primary first; never empty.
	Labels []string `json:"labels"`
	// Stance is the labeled stance, when the data has one.
	Stance string `json:"stance,omitempty"`
	// File and Line locate the record: the input's name and the 1-based
	// line where the record starts (of a retraction: the retraction
	// record's line).
	File string `json:"-"`
	Line int    `json:"-"`
	// ID is the record's id, where the input has one (the "id" key or
	// column, or an alias of it, see comments.Fields).
	ID string `json:"-"`
	// Retract marks a retraction, from a [DocReader] only: the document
	// (same Text, Labels, Stance and ID) had been given before and is now
	// withdrawn, by a retraction record or by a later label of the same
	// ID (see [DocReader]). A trainer subtracts its counts.
	Retract bool `json:"-"`
}

// Label returns the primary label.
func (d Doc) Label() string { return d.Labels[0] }

// Formats of labeled data.
const (
	FormatJSONL    = "jsonl"
	FormatCSV      = "csv"
	FormatTSV      = "tsv"
	FormatFastText = "fasttext"
)

var (
	// ErrNoLabel marks a record without a label.
	ErrNoLabel = errors.New("no label")
	// ErrNoText marks a record without text. It is comments.ErrNoText,
	// which the comment decoders give for JSON Lines and CSV.
	ErrNoText = comments.ErrNoText
	// ErrNotText marks binary input. It is comments.ErrNotText: labeled
	// data is sniffed by [comments.OpenText].
	ErrNotText = comments.ErrNotText
	// ErrNoDocs marks an input without any labeled document (or whose
	// documents are all retracted).
	ErrNoDocs = errors.New("no labeled documents")
)

// DetectFormat tells the labeled-data format of src from its content: a
// line starting with "__label__" means fastText, a first non-blank byte
// "{" means JSONL, a tab in the first line means TSV, else CSV.
func DetectFormat(src []byte) string {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	trimmed := bytes.TrimLeft(src, " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("__label__")) || bytes.Contains(src, []byte("\n__label__")) {
		return FormatFastText
	}
	if bytes.HasPrefix(trimmed, []byte("{")) {
		return FormatJSONL
	}
	first, _, _ := bytes.Cut(trimmed, []byte("\n"))
	if bytes.IndexByte(first, '\t') >= 0 {
		return FormatTSV
	}
	return FormatCSV
}

// ReadDocs reads labeled data in any supported format, detected from the
// content, from r (gzip and zstd are decompressed); name is used in error
// messages. The first bad record stops it: see [ReadDocsWith].
func ReadDocs(name string, r io.Reader) ([]Doc, error) {
	return ReadDocsWith(name, r, ReadOptions{})
}

// ReadOptions tune [ReadDocsWith] and [NewDocReader]. The zero value stops
// at the first bad record.
type ReadOptions struct {
	// Skip, if set, is asked about each bad record the readers can go on
	// after (a record with a FILE:LINE): returning true skips it (the
	// reader counts it, see [DocReader.Skipped]; the caller reports it),
	// false stops with its error.
	Skip func(err error) bool
	// MaxRecord is the longest line (or CSV record) read, in bytes, as
	// comments.Options.MaxRecord: 0 means comments.DefaultMaxRecord (16
	// MiB), negative no limit. A longer one is a bad record wrapping
	// comments.ErrTooLong.
	MaxRecord int
}

// ReadDocsWith is [ReadDocs] with options. It collects what a [DocReader]
// yields, applying the retractions: a retracted document is dropped. Only
// the documents are kept, not the input.
func ReadDocsWith(name string, r io.Reader, opt ReadOptions) ([]Doc, error) {
	return collect(newDocReader(name, r, opt, ""))
}

// collect reads all documents of dr (made with err), applying retractions.
func collect(dr *DocReader, err error) ([]Doc, error) {
	if err != nil {
		return nil, err
	}
	defer dr.Close()
	var docs []Doc
	retractions := false
	for {
		d, err := dr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
		retractions = retractions || d.Retract
	}
	if retractions {
		docs = applyRetractions(docs)
	}
	if len(docs) == 0 {
		return nil, &Error{File: dr.name, Err: fmt.Errorf("%w (all are retracted)", ErrNoDocs)}
	}
	return docs, nil
}

// DocReader reads labeled documents one at a time, from JSON Lines,
// CSV/TSV or fastText, the format detected from the content (see
// [DetectFormat]). The input is read as a stream, through
// [comments.OpenText]: gzip and zstd are decompressed, a byte-order mark is
// stripped, binary input is refused (ErrNotText); lines and records longer
// than ReadOptions.MaxRecord are bad records (comments.ErrTooLong), as are
// records with a NUL byte (comments.ErrNUL). Errors name the file, the line
// and the field: a *Error, or a *comments.ParseError for what the comment
// readers find.
//
// Labels files written by `stance label` are JSON Lines of label records
// (an "id", a "timestamp", the text and the labels) and retraction records
// ({"id": ..., "retract": true}). The reader keeps the label record in
// force for each ID (only those: other records are not kept), and yields
//   - a retraction record as the Doc it withdraws (same Text, Labels,
//     Stance and ID) with Retract set, at the retraction's line; a
//     retraction of an ID without a label record in force is a bad record
//     (a *Error naming its line and the field id);
//   - a second label record of an ID in force as a Retract of the first,
//     then the new document.
//
// Naive Bayes counts are additive, so a streaming trainer stays exact by
// subtracting a Retract document's counts where it added them; [ReadDocs]
// drops retracted documents instead.
type DocReader struct {
	name    string
	opt     ReadOptions
	in      *comments.TextInput
	format  string
	read    func() (doc Doc, label bool, err error) // the next record
	inForce map[string]Doc                          // label records in force, by ID
	pending []Doc                                   // documents to yield before reading on
	n       int                                     // documents yielded (not retractions)
	skipped int
	err     error // sticky: io.EOF or the error that stopped the reader
}

// NewDocReader returns a reader of the labeled documents of r, named name
// in errors and Doc.File. It reads the first 64 KiB to tell binary input
// and the format; a binary input, or a CSV header without a text or label
// column, is an error here.
func NewDocReader(name string, r io.Reader, opt ReadOptions) (*DocReader, error) {
	return newDocReader(name, r, opt, "")
}

// newDocReader is NewDocReader; format, if not empty, is the format to
// read instead of the one detected.
func newDocReader(name string, r io.Reader, opt ReadOptions, format string) (*DocReader, error) {
	in, err := comments.OpenText(name, r)
	if err != nil {
		return nil, err
	}
	dr := &DocReader{name: name, opt: opt, in: in, inForce: map[string]Doc{}}
	if format == "" {
		format = DetectFormat(in.Head())
	}
	dr.format = format
	switch format {
	case FormatFastText:
		lines := comments.NewLineReader(name, in, opt.MaxRecord)
		labels := map[string][]string{}
		dr.read = func() (Doc, bool, error) { return readFastTextLine(name, lines, labels) }
	case FormatJSONL:
		lines := comments.NewLineReader(name, in, opt.MaxRecord)
		dec, err := comments.NewJSONLDecoder(name, nil)
		if err != nil {
			in.Close()
			return nil, err
		}
		dr.read = func() (Doc, bool, error) { return readJSONLLine(name, lines, dec) }
	case FormatCSV, FormatTSV:
		comma := ','
		if format == FormatTSV {
			comma = '\t'
		}
		cr, err := newCSVReader(name, in, comma, opt.MaxRecord)
		if err != nil {
			in.Close()
			return nil, err
		}
		dr.read = func() (Doc, bool, error) { return readCSVRecord(name, cr) }
	default:
		in.Close()
		return nil, fmt.Errorf("unknown labeled-data format %q", format)
	}
	return dr, nil
}

// Format returns the input's format: FormatJSONL, FormatCSV, FormatTSV or
// FormatFastText.
func (r *DocReader) Format() string { return r.format }

// Skipped returns how many bad records ReadOptions.Skip has skipped so
// far.
func (r *DocReader) Skipped() int { return r.skipped }

// Close releases the decompressor; the reader returns io.EOF from then
// on. It does not close the reader given to [NewDocReader]. Reading to the
// end (or to an error) closes it too.
func (r *DocReader) Close() error {
	if r.err == nil {
		r.err = io.EOF
	}
	return r.in.Close()
}

// Next returns the next document, or a retraction (Doc.Retract, see
// [DocReader]). It returns io.EOF after the last, a *Error wrapping
// ErrNoDocs at the end of an input without any document. A bad record
// stops the reader with its error, unless ReadOptions.Skip skips it.
func (r *DocReader) Next() (Doc, error) {
	if len(r.pending) > 0 {
		d := r.pending[0]
		r.pending = r.pending[1:]
		return d, nil
	}
	if r.err != nil {
		return Doc{}, r.err
	}
	for {
		d, label, err := r.read()
		if err == io.EOF || err != nil && errors.Is(err, comments.ErrEmpty) {
			r.err = io.EOF
			if r.n == 0 {
				r.err = &Error{File: r.name, Err: ErrNoDocs}
			}
			r.in.Close()
			return Doc{}, r.err
		}
		if err != nil {
			if r.opt.Skip != nil && skippable(err) && r.opt.Skip(err) {
				r.skipped++
				continue
			}
			r.err = err
			r.in.Close()
			return Doc{}, err
		}
		if d.Retract {
			old, ok := r.inForce[d.ID]
			if !ok {
				err := errAt(r.name, d.Line, "id", "retraction of %q: no label record of that id in force (a label record has an id and a timestamp, as stance label writes them)", truncate(d.ID))
				if r.opt.Skip != nil && r.opt.Skip(err) {
					r.skipped++
					continue
				}
				r.err = err
				r.in.Close()
				return Doc{}, err
			}
			delete(r.inForce, d.ID)
			old.Retract, old.Line = true, d.Line
			return old, nil
		}
		r.n++
		if label {
			old, ok := r.inForce[d.ID]
			r.inForce[d.ID] = d
			if ok {
				old.Retract, old.Line = true, d.Line
				r.pending = append(r.pending, d)
				return old, nil
			}
		}
		return d, nil
	}
}

// skippable reports whether err is a bad record the readers can go on
// after: one of their own errors at a line, or a skippable
// *comments.ParseError.
func skippable(err error) bool {
	var te *Error
	if errors.As(err, &te) {
		return te.Line > 0 && !errors.Is(err, ErrNotText)
	}
	var pe *comments.ParseError
	return errors.As(err, &pe) && pe.Skippable
}

// readJSONLLine reads the next record of JSON Lines: a labeled comment
// (label tells whether it is a label record, with an id and a timestamp),
// or a retraction record (Retract set, with its ID only).
func readJSONLLine(name string, lines *comments.LineReader, dec *comments.JSONLDecoder) (Doc, bool, error) {
	for {
		b, err := lines.NextBytes()
		if err != nil {
			return Doc{}, false, err
		}
		ln := lines.Line()
		c, err := dec.Decode(b, ln, lines.Max())
		if err != nil {
			// a retraction record has no text: the decoder refuses it
			if d, ok, rerr := retraction(name, ln, b); ok {
				return d, false, rerr
			}
			return Doc{}, false, err
		}
		if c == nil {
			continue // a blank line
		}
		if v, ok := c.Extra["retract"]; ok {
			// a retraction record with a text
			switch v {
			case true:
				if strings.TrimSpace(c.ID) == "" {
					return Doc{}, false, errAt(name, ln, "id", "a retraction record without an id")
				}
				return Doc{File: name, Line: ln, ID: c.ID, Retract: true}, false, nil
			case false:
			default:
				return Doc{}, false, errAt(name, ln, "retract", "want true or false, got %s", jsonText(v))
			}
		}
		d, err := labeledDoc(name, ln, c)
		_, stamped := c.Extra["timestamp"]
		return d, err == nil && stamped && d.ID != "", err
	}
}

// retraction reads line b, which the comment decoder refused, as a
// retraction record: {"id": ..., "retract": true}. ok is false when it is
// not one.
func retraction(name string, ln int, b []byte) (d Doc, ok bool, err error) {
	if !bytes.Contains(b, []byte(`"retract"`)) {
		return Doc{}, false, nil
	}
	var rec map[string]json.RawMessage
	if json.Unmarshal(b, &rec) != nil || rec["retract"] == nil {
		return Doc{}, false, nil // the comment decoder's error tells what is wrong
	}
	var retract bool
	if err := json.Unmarshal(rec["retract"], &retract); err != nil {
		return Doc{}, true, errAt(name, ln, "retract", "want true or false, got %s", truncate(string(rec["retract"])))
	}
	if !retract {
		return Doc{}, false, nil
	}
	raw := rec["id"]
	var id string
	switch {
	case len(raw) > 0 && raw[0] == '"':
		json.Unmarshal(raw, &id)
	case len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		id = string(raw)
	case len(raw) > 0 && string(raw) != "null":
		return Doc{}, true, errAt(name, ln, "id", "want a string or a number, got %s", truncate(string(raw)))
	}
	if strings.TrimSpace(id) == "" {
		return Doc{}, true, errAt(name, ln, "id", "a retraction record without an id")
	}
	return Doc{File: name, Line: ln, ID: id, Retract: true}, true, nil
}

// readFastTextLine reads the next non-blank line of fastText. A line of
// ASCII in the common shape is read from the reader's bytes
// (fastTextASCII), its labels interned in labels; any other as the
// string Next would give.
func readFastTextLine(name string, lines *comments.LineReader, labels map[string][]string) (Doc, bool, error) {
	for {
		b, err := lines.NextBytes()
		if err != nil {
			return Doc{}, false, err
		}
		if d, ok := fastTextASCII(name, lines.Line(), b, labels); ok {
			return d, false, nil
		}
		s := lines.Text(b)
		if blank(s) {
			continue
		}
		d, err := fastTextDoc(name, lines.Line(), s)
		return d, false, err
	}
}

// readCSVRecord reads the next record of CSV or TSV.
func readCSVRecord(name string, cr *comments.CSVReader) (Doc, bool, error) {
	c, err := cr.Read()
	if err != nil {
		return Doc{}, false, err
	}
	d, err := labeledDoc(name, cr.RecordLine(), c)
	return d, false, err
}

// ReadJSONL reads one JSON object per line with the comment decoder of
// package comments (so any comment field is accepted: author, id,
// parent...; "body" or "comment" may hold the text) plus "label" (a
// string) or "labels" (an array of strings, primary first) and an optional
// "stance". Blank lines are skipped; retraction records are applied (see
// [DocReader]).
func ReadJSONL(name string, r io.Reader) ([]Doc, error) {
	return collect(newDocReader(name, r, ReadOptions{}, FormatJSONL))
}

// CSV text columns stance accepts beyond the comment aliases (text, body,
// comment, commentBody), and label columns.
var (
	csvTextColumns  = []string{"sentence", "tweet", "review", "content"}
	csvLabelColumns = []string{"label", "labels", "class", "category", "argument"}
)

// ReadCSV reads comma- (or tab-, by comma) separated data with a header,
// with the CSV reader of package comments. The text column is "text" (or a
// comment alias: body, comment, commentBody; or sentence, tweet, review,
// content); the label column is "label" (or labels, class, category,
// argument), several labels separated by "|"; an optional "stance" column.
func ReadCSV(name string, r io.Reader, comma rune) ([]Doc, error) {
	format := FormatCSV
	if comma == '\t' {
		format = FormatTSV
	}
	return collect(newDocReader(name, r, ReadOptions{}, format))
}

// newCSVReader returns the comment reader of the labeled CSV in, after
// checking its header for a text and a label column.
func newCSVReader(name string, in *comments.TextInput, comma rune, max int) (*comments.CSVReader, error) {
	cr := comments.NewCSVReader(name, in)
	cr.Comma = comma
	switch {
	case max > 0:
		cr.MaxRecord = max
	case max < 0:
		cr.MaxRecord = 0 // no limit
	}
	// Map a text column that is not a comment alias, from the header.
	hr := csv.NewReader(bytes.NewReader(in.Head()))
	hr.Comma = comma
	hr.LazyQuotes = true
	if h, err := hr.Read(); err == nil {
		has := func(names ...string) string {
			for _, col := range h {
				col = strings.TrimSpace(strings.TrimPrefix(col, "\ufeff"))
				for _, n := range names {
					if strings.EqualFold(col, n) {
						return col
					}
				}
			}
			return ""
		}
		if has("text", "body", "comment", "commentBody") == "" {
			col := has(csvTextColumns...)
			if col == "" {
				return nil, errAt(name, 1, "text", "no text column in header %q (want text, body, comment, commentBody, %s)", truncate(strings.Join(h, string(comma))), strings.Join(csvTextColumns, ", "))
			}
			cr.Columns = map[string]string{"text": col}
		}
		if has(csvLabelColumns...) == "" {
			return nil, errAt(name, 1, "label", "no label column in header %q (want label, labels, class, category or argument)", truncate(strings.Join(h, string(comma))))
		}
	}
	return cr, nil
}

// labeledDoc makes a labeled document of a comment read, at line line of
// input name, with its labels and stance in Extra.
func labeledDoc(name string, line int, c *comments.Comment) (Doc, error) {
	var err error
	d := Doc{Text: c.Text, File: name, Line: line, ID: c.ID}
	var label, labels, stance any
	var labelKey, labelsKey string
	for k, v := range c.Extra {
		switch {
		case strings.EqualFold(k, "label") || strings.EqualFold(k, "class") || strings.EqualFold(k, "category") || strings.EqualFold(k, "argument"):
			if labelKey == "" || k < labelKey {
				label, labelKey = v, k
			}
		case strings.EqualFold(k, "labels"):
			labels, labelsKey = v, k
		case strings.EqualFold(k, "stance"):
			stance = v
		}
	}
	if label != nil {
		l, ok := label.(string)
		if !ok {
			return Doc{}, errAt(name, line, labelKey, "want a string, got %s", jsonText(label))
		}
		if d.Labels, err = cleanLabels(strings.Split(l, "|")); err != nil {
			return Doc{}, errAt(name, line, labelKey, "%v", err)
		}
	}
	if labels != nil {
		var list []string
		switch x := labels.(type) {
		case string: // a CSV column
			list = strings.Split(x, "|")
		case []any:
			for _, v := range x {
				s, ok := v.(string)
				if !ok {
					return Doc{}, errAt(name, line, labelsKey, "want an array of strings, got %s", jsonText(labels))
				}
				list = append(list, s)
			}
		default:
			return Doc{}, errAt(name, line, labelsKey, "want an array of strings, got %s", jsonText(labels))
		}
		ls, _ := cleanLabels(list)
		if len(d.Labels) > 0 && len(ls) > 0 && ls[0] != d.Labels[0] {
			return Doc{}, errAt(name, line, labelsKey, "first label %q differs from label %q", ls[0], d.Labels[0])
		}
		if len(ls) > 0 {
			d.Labels = ls
		}
	}
	if len(d.Labels) == 0 {
		return Doc{}, &Error{File: name, Line: line, Field: "label", Err: ErrNoLabel}
	}
	if err := checkLabels(d.Labels); err != nil {
		return Doc{}, errAt(name, line, "label", "%v", err)
	}
	switch x := stance.(type) {
	case nil:
	case string:
		d.Stance = strings.TrimSpace(x)
	default:
		return Doc{}, errAt(name, line, "stance", "want a string, got %s", jsonText(stance))
	}
	return d, nil
}

// jsonText shows a decoded JSON value in an error message.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return truncate(string(b))
}

// ReadFastText reads fastText's format: each line holds one or more
// "__label__X" tokens, then the text (labels may also follow the text).
// Blank lines are skipped.
func ReadFastText(name string, r io.Reader) ([]Doc, error) {
	return collect(newDocReader(name, r, ReadOptions{}, FormatFastText))
}

// fastTextDoc reads one non-blank fastText line, line ln of input name.
func fastTextDoc(name string, ln int, line string) (Doc, error) {
	if d, ok := fastTextPlain(name, ln, line); ok {
		return d, nil
	}
	d := Doc{File: name, Line: ln}
	var text strings.Builder // the words, one space apart
	for f := range strings.FieldsSeq(line) {
		if l, ok := strings.CutPrefix(f, "__label__"); ok {
			if l == "" {
				return Doc{}, errAt(name, ln, "label", "empty label %q", f)
			}
			if !slices.Contains(d.Labels, l) {
				d.Labels = append(d.Labels, l)
			}
			continue
		}
		if text.Len() == 0 {
			text.Grow(len(line))
		} else {
			text.WriteByte(' ')
		}
		text.WriteString(f)
	}
	if len(d.Labels) == 0 {
		return Doc{}, &Error{File: name, Line: ln, Field: "label", Err: ErrNoLabel}
	}
	if text.Len() == 0 {
		return Doc{}, &Error{File: name, Line: ln, Field: "text", Err: ErrNoText}
	}
	if err := checkLabels(d.Labels); err != nil {
		return Doc{}, errAt(name, ln, "label", "%v", err)
	}
	d.Text = text.String()
	return d, nil
}

// blank reports whether s is empty or all white space, without reading
// past a first byte that is ASCII and not white space.
func blank(s string) bool {
	if s != "" && s[0] > ' ' && s[0] < utf8.RuneSelf {
		return false
	}
	return strings.TrimSpace(s) == ""
}

// cleanLabels trims labels, drops empty ones and duplicates.
func cleanLabels(in []string) ([]string, error) {
	var out []string
	for _, l := range in {
		l = strings.TrimSpace(l)
		if l == "" || slices.Contains(out, l) {
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

// checkLabels rejects labels that could not be written back as fastText or
// CSV labels: with spaces, "|" or control characters.
func checkLabels(labels []string) error {
	for _, l := range labels {
		if strings.IndexFunc(l, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || r == '|' || r == utf8.RuneError
		}) >= 0 {
			return fmt.Errorf("label %q contains a space, '|' or a control character", truncate(l))
		}
	}
	return nil
}

func truncate(s string) string {
	if len(s) <= 60 {
		return s
	}
	n := 60
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ApplyTaxonomy checks docs' labels against tax. A label that is not an
// argument id is an error naming its file and line, unless addLabels is
// true: then the taxonomy returned is a copy of tax with each new label
// appended as an argument (name = id, no stance). With a nil tax, the
// result is nil: the classes are the labels found.
func ApplyTaxonomy(docs []Doc, tax *classify.Taxonomy, addLabels bool) (*classify.Taxonomy, error) {
	if tax == nil {
		return nil, nil
	}
	out := cloneTaxonomy(tax)
	known := map[string]bool{}
	for _, a := range out.Arguments {
		known[a.ID] = true
	}
	for _, d := range docs {
		for _, l := range d.Labels {
			if known[l] {
				continue
			}
			if !addLabels {
				ids := make([]string, len(out.Arguments))
				for i, a := range out.Arguments {
					ids[i] = a.ID
				}
				return nil, errAt(d.File, d.Line, "label", "unknown label %q: not in the taxonomy (%s); use --add-labels to add it", l, strings.Join(ids, ", "))
			}
			known[l] = true
			out.Arguments = append(out.Arguments, classify.Argument{ID: l, Name: l})
		}
	}
	return out, nil
}

func cloneTaxonomy(t *classify.Taxonomy) *classify.Taxonomy {
	c := *t
	c.Stances = slices.Clone(t.Stances)
	c.Arguments = make([]classify.Argument, len(t.Arguments))
	for i, a := range t.Arguments {
		a.Cues = slices.Clone(a.Cues)
		c.Arguments[i] = a
	}
	return &c
}

// Classes returns the classes of a model trained on docs with tax: the
// taxonomy's argument ids in order, or without a taxonomy the labels found,
// sorted.
func Classes(docs []Doc, tax *classify.Taxonomy) []string {
	if tax != nil {
		out := make([]string, len(tax.Arguments))
		for i, a := range tax.Arguments {
			out[i] = a.ID
		}
		return out
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range docs {
		for _, l := range d.Labels {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return out
}

// fastTextPlain reads the common fastText line without splitting it: its
// labels first, then words one ASCII space apart, without other white
// space or a later label. It returns the document fastTextDoc reads from
// such a line (its text a substring of line), or false for any other
// line, which fastTextDoc then reads word by word.
func fastTextPlain(name string, ln int, line string) (Doc, bool) {
	d := Doc{File: name, Line: ln}
	rest := line
	for strings.HasPrefix(rest, "__label__") {
		sp := strings.IndexByte(rest, ' ')
		if sp <= len("__label__") {
			return Doc{}, false
		}
		if l := rest[len("__label__"):sp]; !slices.Contains(d.Labels, l) {
			d.Labels = append(d.Labels, l)
		}
		rest = rest[sp+1:]
	}
	if len(d.Labels) == 0 || rest == "" || rest[0] == ' ' || rest[len(rest)-1] == ' ' ||
		!plainWords(rest) || strings.Contains(rest, "__label__") || checkLabels(d.Labels) != nil {
		return Doc{}, false
	}
	d.Text = rest
	return d, true
}

// fastTextASCII reads the common fastText line as fastTextPlain does, from
// the bytes b of a line that is all ASCII (so valid UTF-8, the text Next
// returns): labels first, then words one space apart. Its text is a copy of
// b's; its labels come from labels, which keeps each label once it has
// passed checkLabels (at most maxInterned of them) as a slice of that one
// label, which a document of one label shares: its capacity is 1, so that
// an append to a document's labels copies them. It returns false for any
// other line, left to fastTextPlain and fastTextDoc.
func fastTextASCII(name string, ln int, b []byte, labels map[string][]string) (Doc, bool) {
	const prefix = "__label__"
	d := Doc{File: name, Line: ln}
	rest := b
	for len(rest) > len(prefix) && string(rest[:len(prefix)]) == prefix {
		sp := bytes.IndexByte(rest, ' ')
		if sp <= len(prefix) {
			return Doc{}, false
		}
		one, ok := labels[string(rest[len(prefix):sp])]
		if !ok {
			l := string(rest[len(prefix):sp])
			if checkLabels([]string{l}) != nil {
				return Doc{}, false
			}
			one = []string{l}
			if len(labels) < maxInterned {
				labels[l] = one
			}
		}
		switch l := one[0]; {
		case d.Labels == nil:
			d.Labels = one
		case !slices.Contains(d.Labels, l):
			d.Labels = append(d.Labels, l)
		}
		rest = rest[sp+1:]
	}
	if len(d.Labels) == 0 || len(rest) == 0 || rest[0] == ' ' || rest[len(rest)-1] == ' ' ||
		!plainASCII(rest) || bytes.Contains(rest, []byte(prefix)) {
		return Doc{}, false
	}
	d.Text = string(rest)
	return d, true
}

// maxInterned bounds the labels fastTextASCII keeps.
const maxInterned = 4096

// plainASCII reports whether b is all ASCII with no white space but single
// spaces: plainWords for ASCII, 8 bytes at a time. The tests of the 8-byte
// words are gathered without a branch and read once at the end: nearly
// every line passes them all.
func plainASCII(b []byte) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	var bad, sp uint64 // sp: the spaces of the last word, at their 0x80 bits
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := b[i : i+8] // the constant indexes make one 8-byte load
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		// Past a byte above 0x7f, bad is set whatever the other tests
		// make of the carries between lanes.
		bad |= x & highs
		// The ASCII white space but ' ' is \t to \r: a byte b of them has
		// b+0x80-\t >= 0x80 and b+0x7f-\r < 0x80, no lane carrying.
		bad |= (x + (0x80-'\t')*ones) &^ (x + (0x7f-'\r')*ones) & highs
		y := x ^ 0x20*ones
		prev := sp >> 56 // 0x80 when the byte before this word is a space
		sp = ^((y + 0x7f*ones) | y) & highs
		bad |= sp & (sp<<8 | prev) // a space after a space
	}
	if bad != 0 {
		return false
	}
	prevSpace := sp>>63 != 0 // the byte before i is a space
	for ; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf || '\t' <= c && c <= '\r' || c == ' ' && prevSpace {
			return false
		}
		prevSpace = c == ' '
	}
	return true
}

// plainWords reports whether s has no white space but single ASCII spaces:
// no two spaces in a row, no ASCII white space other than ' ' (\t to \r)
// and no Unicode white space ([unicode.IsSpace]). It reads s 8 bytes at a
// time, and a byte or rune at a time where the next 8 bytes hold one below
// 0x20 or above 0x7f.
func plainWords(s string) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	prevSpace := false // the byte before i is a space
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			w := s[i : i+8] // the constant indexes make one 8-byte load
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			// The high bit of a byte of low is set when it or a byte
			// before it is below 0x20 (a borrow): low is 0 exactly when
			// no byte is.
			low := (x - 0x20*ones) &^ x & highs
			if (x|low)&highs == 0 {
				// sp has the high bit of each space set: no carry
				// crosses bytes below 0x80.
				y := x ^ 0x20*ones
				sp := ^((y + 0x7f*ones) | y) & highs
				if sp&(sp<<8) != 0 || prevSpace && sp&0x80 != 0 {
					return false
				}
				prevSpace = sp>>63 != 0
				i += 8
				continue
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if '\t' <= c && c <= '\r' || c == ' ' && prevSpace {
				return false
			}
			prevSpace = c == ' '
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return true
}
