package training

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/klauspost/compress/zstd"
	"io"
	"slices"
	"strconv"
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
	// File and Line locate the record (for error messages).
	File string `json:"-"`
	Line int    `json:"-"`
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

// maxLine bounds one line of labeled data.
const maxLine = 16 << 20

var (
	// ErrNoLabel marks a record without a label.
	ErrNoLabel = errors.New("no label")
	// ErrNoText marks a record without text.
	ErrNoText = errors.New("no text")
	// ErrNotText marks binary input.
	ErrNotText = errors.New("not a text file")
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

// ReadOptions tune [ReadDocsWith]. The zero value stops at the first bad
// record.
type ReadOptions struct {
	// Skip, if set, is asked about each bad record the readers can go on
	// after (a record with a FILE:LINE): returning true skips it (the
	// caller counts and reports it), false stops with its error.
	Skip func(err error) bool
}

// ReadDocsWith is [ReadDocs] with options. It reads as a stream: the input
// is decompressed as it is read, and binary input (a NUL byte or mostly
// invalid UTF-8) is told from its first 64 KiB, before anything else is
// read; only the documents are kept.
func ReadDocsWith(name string, r io.Reader, opt ReadOptions) ([]Doc, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(4)
	var src io.Reader = br
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read %s: gzip: %w", name, err)
		}
		defer zr.Close()
		src = zr
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, fmt.Errorf("read %s: zstd: %w", name, err)
		}
		defer zr.Close()
		src = zr
	}
	tb := bufio.NewReaderSize(src, 64<<10)
	head, err := tb.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		tb.Discard(3)
		head = head[3:]
	}
	if bytes.IndexByte(head, 0) >= 0 || mostlyInvalid(head[:validPrefix(head)]) {
		return nil, &Error{File: name, Err: ErrNotText}
	}
	var docs []Doc
	switch DetectFormat(head) {
	case FormatFastText:
		docs, err = readFastText(name, tb, opt.Skip)
	case FormatJSONL:
		docs, err = readComments(name, comments.NewJSONLReader(name, tb), opt.Skip)
	case FormatTSV:
		docs, err = readCSV(name, tb, '\t', opt.Skip)
	default:
		docs, err = readCSV(name, tb, ',', opt.Skip)
	}
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, &Error{File: name, Err: errors.New("no labeled documents")}
	}
	return docs, nil
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

// mostlyInvalid reports whether more than a tenth of b's runes are invalid
// UTF-8: binary junk. A few stray bytes (a Latin-1 "é") are not: the
// readers replace them with U+FFFD.
func mostlyInvalid(b []byte) bool {
	bad, n := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			bad++
		}
		n++
		b = b[size:]
	}
	return bad*10 > n
}

// validPrefix is the length of src's first 4 KiB, cut back to a rune boundary.
func validPrefix(src []byte) int {
	n := min(len(src), 4096)
	for n > 0 && n < len(src) && !utf8.RuneStart(src[n]) {
		n--
	}
	return n
}

// ReadJSONL reads one JSON object per line with the comment reader of
// package comments (so any comment field is accepted: author, id,
// parent...; "body" or "comment" may hold the text) plus "label" (a
// string) or "labels" (an array of strings, primary first) and an optional
// "stance". Blank lines are skipped.
func ReadJSONL(name string, r io.Reader) ([]Doc, error) {
	return readComments(name, comments.NewJSONLReader(name, r), nil)
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
	return readCSV(name, r, comma, nil)
}

func readCSV(name string, r io.Reader, comma rune, skip func(error) bool) ([]Doc, error) {
	br := bufio.NewReader(r)
	cr := comments.NewCSVReader(name, br)
	cr.Comma = comma
	// Map a text column that is not a comment alias, from the header.
	head, _ := br.Peek(64 << 10)
	hr := csv.NewReader(bytes.NewReader(head))
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
	return readComments(name, cr, skip)
}

// readComments reads labeled comments: the labels and stance are in
// Extra. skip, if set, may skip a bad record (see [ReadOptions]).
func readComments(name string, rd comments.Reader, skip func(error) bool) ([]Doc, error) {
	var docs []Doc
	for {
		c, err := rd.Read()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			var pe *comments.ParseError
			if errors.As(err, &pe) && errors.Is(err, comments.ErrEmpty) {
				return docs, nil
			}
			if skip != nil && skippable(err) && skip(err) {
				continue
			}
			return nil, err
		}
		d, err := labeledDoc(name, c)
		if err != nil {
			if skip != nil && skippable(err) && skip(err) {
				continue
			}
			return nil, err
		}
		docs = append(docs, d)
	}
}

// labeledDoc makes a labeled document of a comment read with its labels
// and stance in Extra.
func labeledDoc(name string, c *comments.Comment) (Doc, error) {
	var err error
	line := 0
	if i := strings.LastIndexByte(c.Source, ':'); i >= 0 {
		line, _ = strconv.Atoi(c.Source[i+1:])
	}
	d := Doc{Text: c.Text, File: name, Line: line}
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
	return readFastText(name, r, nil)
}

func readFastText(name string, r io.Reader, skip func(error) bool) ([]Doc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var docs []Doc
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if ln == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		d, err := fastTextDoc(name, ln, line)
		if err != nil {
			if skip != nil && skip(err) {
				continue
			}
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return docs, nil
}

// fastTextDoc reads one non-blank fastText line, line ln of input name.
func fastTextDoc(name string, ln int, line string) (Doc, error) {
	d := Doc{File: name, Line: ln}
	var text []string
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
		text = append(text, f)
	}
	if len(d.Labels) == 0 {
		return Doc{}, &Error{File: name, Line: ln, Field: "label", Err: ErrNoLabel}
	}
	if len(text) == 0 {
		return Doc{}, &Error{File: name, Line: ln, Field: "text", Err: ErrNoText}
	}
	if err := checkLabels(d.Labels); err != nil {
		return Doc{}, errAt(name, ln, "label", "%v", err)
	}
	d.Text = strings.Join(text, " ")
	return d, nil
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
