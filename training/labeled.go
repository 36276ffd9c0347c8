package training

import (
	"bufio"
	"bytes"
	"compress/gzip"
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
// content, from r (gzip is decompressed); name is used in error messages.
func ReadDocs(name string, r io.Reader) ([]Doc, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(src) >= 2 && src[0] == 0x1f && src[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(src))
		if err != nil {
			return nil, fmt.Errorf("read %s: gzip: %w", name, err)
		}
		if src, err = io.ReadAll(io.LimitReader(zr, 1<<32)); err != nil {
			return nil, fmt.Errorf("read %s: gzip: %w", name, err)
		}
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src[:validPrefix(src)]) {
		return nil, &Error{File: name, Err: ErrNotText}
	}
	var docs []Doc
	switch DetectFormat(src) {
	case FormatFastText:
		docs, err = ReadFastText(name, bytes.NewReader(src))
	case FormatJSONL:
		docs, err = ReadJSONL(name, bytes.NewReader(src))
	case FormatTSV:
		docs, err = ReadCSV(name, bytes.NewReader(src), '\t')
	default:
		docs, err = ReadCSV(name, bytes.NewReader(src), ',')
	}
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, &Error{File: name, Err: errors.New("no labeled documents")}
	}
	return docs, nil
}

// validPrefix is the length of src's first 4 KiB, cut back to a rune boundary.
func validPrefix(src []byte) int {
	n := min(len(src), 4096)
	for n > 0 && n < len(src) && !utf8.RuneStart(src[n]) {
		n--
	}
	return n
}

// ReadJSONL reads one JSON object per line: "text" and "label" (a string)
// or "labels" (an array of strings, primary first), an optional "stance";
// other fields are ignored. Blank lines are skipped.
func ReadJSONL(name string, r io.Reader) ([]Doc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var docs []Doc
	for ln := 1; sc.Scan(); ln++ {
		line := bytes.TrimSpace(sc.Bytes())
		if ln == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if len(line) == 0 {
			continue
		}
		var rec struct {
			Text   *string         `json:"text"`
			Label  json.RawMessage `json:"label"`
			Labels []string        `json:"labels"`
			Stance any             `json:"stance"`
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				return nil, errAt(name, ln, te.Field, "want %s, got JSON %s", te.Type, te.Value)
			}
			return nil, errAt(name, ln, "", "bad JSON: %v", err)
		}
		if rec.Text == nil || strings.TrimSpace(*rec.Text) == "" {
			return nil, &Error{File: name, Line: ln, Field: "text", Err: ErrNoText}
		}
		d := Doc{Text: *rec.Text, File: name, Line: ln}
		if len(rec.Label) > 0 && string(rec.Label) != "null" {
			var l string
			if err := json.Unmarshal(rec.Label, &l); err != nil {
				return nil, errAt(name, ln, "label", "want a string, got %s", truncate(string(rec.Label)))
			}
			if l = strings.TrimSpace(l); l != "" {
				d.Labels = []string{l}
			}
		}
		if rec.Labels != nil {
			labels, err := cleanLabels(rec.Labels)
			if err != nil {
				return nil, errAt(name, ln, "labels", "%v", err)
			}
			if len(d.Labels) == 1 && len(labels) > 0 && labels[0] != d.Labels[0] {
				return nil, errAt(name, ln, "labels", "first label %q differs from label %q", labels[0], d.Labels[0])
			}
			if len(labels) > 0 {
				d.Labels = labels
			}
		}
		if len(d.Labels) == 0 {
			return nil, &Error{File: name, Line: ln, Field: "label", Err: ErrNoLabel}
		}
		switch s := rec.Stance.(type) {
		case nil:
		case string:
			d.Stance = strings.TrimSpace(s)
		default:
			return nil, errAt(name, ln, "stance", "want a string, got %v", s)
		}
		if err := checkLabels(d.Labels); err != nil {
			return nil, errAt(name, ln, "label", "%v", err)
		}
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return docs, nil
}

// ReadCSV reads comma- (or tab-, by comma) separated data with a header.
// The text column is "text" (or "body", "comment", "sentence"); the label
// column is "label" (or "labels", "class", "category", "argument"), several
// labels separated by "|"; an optional "stance" column.
func ReadCSV(name string, r io.Reader, comma rune) ([]Doc, error) {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if comma == '\t' {
		cr.LazyQuotes = true
	}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	col := func(names ...string) int {
		for _, n := range names {
			for i, h := range head {
				if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), n) {
					return i
				}
			}
		}
		return -1
	}
	ti := col("text", "body", "comment", "sentence")
	li := col("label", "labels", "class", "category", "argument")
	si := col("stance")
	if ti < 0 {
		return nil, errAt(name, 1, "text", "no text column in header %q (want text, body, comment or sentence)", truncate(strings.Join(head, string(comma))))
	}
	if li < 0 {
		return nil, errAt(name, 1, "label", "no label column in header %q (want label, labels, class, category or argument)", truncate(strings.Join(head, string(comma))))
	}
	var docs []Doc
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		ln, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if ti >= len(rec) || strings.TrimSpace(rec[ti]) == "" {
			return nil, &Error{File: name, Line: ln, Field: "text", Err: ErrNoText}
		}
		d := Doc{Text: rec[ti], File: name, Line: ln}
		if li < len(rec) {
			labels, err := cleanLabels(strings.Split(rec[li], "|"))
			if err != nil {
				return nil, errAt(name, ln, "label", "%v", err)
			}
			d.Labels = labels
		}
		if len(d.Labels) == 0 {
			return nil, &Error{File: name, Line: ln, Field: "label", Err: ErrNoLabel}
		}
		if err := checkLabels(d.Labels); err != nil {
			return nil, errAt(name, ln, "label", "%v", err)
		}
		if si >= 0 && si < len(rec) {
			d.Stance = strings.TrimSpace(rec[si])
		}
		docs = append(docs, d)
	}
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: name, Line: pe.Line, Err: pe.Err}
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// ReadFastText reads fastText's format: each line holds one or more
// "__label__X" tokens, then the text (labels may also follow the text).
// Blank lines are skipped.
func ReadFastText(name string, r io.Reader) ([]Doc, error) {
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
		d := Doc{File: name, Line: ln}
		var text []string
		for f := range strings.FieldsSeq(line) {
			if l, ok := strings.CutPrefix(f, "__label__"); ok {
				if l == "" {
					return nil, errAt(name, ln, "label", "empty label %q", f)
				}
				if !slices.Contains(d.Labels, l) {
					d.Labels = append(d.Labels, l)
				}
				continue
			}
			text = append(text, f)
		}
		if len(d.Labels) == 0 {
			return nil, &Error{File: name, Line: ln, Field: "label", Err: ErrNoLabel}
		}
		if len(text) == 0 {
			return nil, &Error{File: name, Line: ln, Field: "text", Err: ErrNoText}
		}
		if err := checkLabels(d.Labels); err != nil {
			return nil, errAt(name, ln, "label", "%v", err)
		}
		d.Text = strings.Join(text, " ")
		docs = append(docs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return docs, nil
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
