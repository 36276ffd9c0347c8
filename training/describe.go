package training

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stance-dev/stance/classify"
)

// ModelInfo describes a model for people: identity, options, taxonomy,
// training summary and the most distinctive tokens of each class. Its JSON
// form is the output of `stance model show -f json`.
type ModelInfo struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Hash       string           `json:"hash"`
	Options    classify.Options `json:"options"`
	OptionText string           `json:"options_text"`
	Subject    string           `json:"subject,omitempty"`
	Stances    []string         `json:"stances,omitempty"`
	Fallback   string           `json:"fallback,omitempty"`
	Source     string           `json:"source,omitempty"`
	DataHash   string           `json:"data_hash,omitempty"`
	Documents  int64            `json:"documents"`
	Vocabulary int              `json:"vocabulary"`
	Classes    []ClassInfo      `json:"classes"`
	// Labeled is the number of labeled documents read, when known (set by
	// [ModelInfo.SetLabeled]); Documents counts pseudo-documents too.
	Labeled  int                `json:"labeled,omitempty"`
	Taxonomy *classify.Taxonomy `json:"-"`
	// Adjustable is true when the model has held-out statistics (see
	// classify.Heldout), so that its shares can be adjusted for its
	// errors; false for a version 1 model file or a model trained
	// without calibration.
	Adjustable bool `json:"adjustable"`
	// Heldout is the model's held-out statistics, class indices in the
	// order of Classes.
	Heldout *classify.Heldout `json:"heldout,omitempty"`
}

// ClassInfo describes one class of a model.
type ClassInfo struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Labeled is the number of labeled documents with this primary label,
	// when known.
	Labeled int    `json:"labeled,omitempty"`
	Stance  string `json:"stance,omitempty"`
	// Docs and Tokens are the weighted documents and tokens, pseudo-documents
	// included.
	Docs   float64        `json:"docs"`
	Tokens float64        `json:"tokens"`
	Top    []classify.Cue `json:"top_tokens,omitempty"`
}

// Describe returns the description of m with the top k tokens per class
// (none when k <= 0).
func Describe(m *classify.Model, k int) *ModelInfo {
	info := &ModelInfo{
		ID:         m.ID(),
		Name:       m.Name,
		Hash:       m.Hash(),
		Options:    m.Options,
		OptionText: m.Options.String(),
		Source:     m.Training.Source,
		DataHash:   m.Training.DataHash,
		Documents:  m.Training.Documents,
		Vocabulary: m.Vocabulary(),
		Taxonomy:   m.Taxonomy,
		Adjustable: m.Adjustable(),
		Heldout:    m.Heldout(),
	}
	args := map[string]classify.Argument{}
	if t := m.Taxonomy; t != nil {
		info.Subject, info.Stances, info.Fallback = t.Subject, t.Stances, t.Fallback
		for _, a := range t.Arguments {
			args[a.ID] = a
		}
	}
	for _, c := range m.Classes() {
		ci := ClassInfo{ID: c, Name: args[c].Name, Stance: args[c].Stance, Docs: m.Docs(c), Tokens: m.Tokens(c)}
		if k > 0 {
			ci.Top = m.TopTokens(c, k)
		}
		info.Classes = append(info.Classes, ci)
	}
	return info
}

// SetLabeled records the labeled documents the model was trained on, for
// the summary's per-class counts of primary labels.
func (info *ModelInfo) SetLabeled(docs []Doc) {
	info.Labeled = len(docs)
	n := map[string]int{}
	for _, d := range docs {
		n[d.Label()]++
	}
	for i := range info.Classes {
		info.Classes[i].Labeled = n[info.Classes[i].ID]
	}
}

// WriteJSON writes the description as indented JSON.
func (info *ModelInfo) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(info)
}

func fmtCount(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteSummary writes the training summary table: per class the labeled
// documents (primary label), the weighted documents and tokens learned
// (pseudo-documents and secondary labels included), then the vocabulary
// size and the model's identity.
func (info *ModelInfo) WriteSummary(w io.Writer) error {
	var rows [][]string
	var docs, toks float64
	labeled := 0
	for _, c := range info.Classes {
		rows = append(rows, []string{c.ID, strconv.Itoa(c.Labeled), fmtCount(round(c.Docs)), fmtCount(round(c.Tokens))})
		docs += c.Docs
		toks += c.Tokens
		labeled += c.Labeled
	}
	rows = append(rows, []string{"total", strconv.Itoa(labeled), fmtCount(round(docs)), fmtCount(round(toks))})
	if err := renderTable(w, []string{"Class", "Labeled", "Weighted docs", "Weighted tokens"}, rows, 1); err != nil {
		return err
	}
	fmt.Fprintln(w)
	head := [][]string{
		{"model", info.ID},
		{"hash", info.Hash},
		{"options", info.OptionText},
		{"documents", fmt.Sprintf("%d learned (%d labeled)", info.Documents, info.Labeled)},
		{"vocabulary", strconv.Itoa(info.Vocabulary)},
	}
	if info.Source != "" {
		head = append(head, []string{"source", info.Source})
	}
	if info.DataHash != "" {
		head = append(head, []string{"data hash", info.DataHash})
	}
	return renderTable(w, nil, head, 0)
}

// WriteTable writes the full description: identity and summary, the
// taxonomy, and per class its documents, tokens and top tokens.
func (info *ModelInfo) WriteTable(w io.Writer) error {
	head := [][]string{
		{"model", info.ID},
		{"hash", info.Hash},
		{"options", info.OptionText},
	}
	if info.Subject != "" {
		head = append(head, []string{"subject", info.Subject})
	}
	if len(info.Stances) > 0 {
		head = append(head, []string{"stances", strings.Join(info.Stances, ", ")})
	}
	if info.Fallback != "" {
		head = append(head, []string{"fallback", info.Fallback})
	}
	if info.Source != "" {
		head = append(head, []string{"source", info.Source})
	}
	if info.DataHash != "" {
		head = append(head, []string{"data hash", info.DataHash})
	}
	head = append(head,
		[]string{"documents", strconv.FormatInt(info.Documents, 10)},
		[]string{"vocabulary", strconv.Itoa(info.Vocabulary)})
	if err := renderTable(w, nil, head, 0); err != nil {
		return err
	}
	var rows [][]string
	for _, c := range info.Classes {
		top := make([]string, len(c.Top))
		for i, t := range c.Top {
			top[i] = t.Token
		}
		rows = append(rows, []string{c.ID, c.Name, c.Stance, fmtCount(round(c.Docs)), fmtCount(round(c.Tokens)), strings.Join(top, " ")})
	}
	fmt.Fprintln(w)
	if err := renderTable(w, []string{"Class", "Name", "Stance", "Docs", "Tokens", "Top tokens"}, rows, 0); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return info.writeHeldout(w)
}

// writeHeldout writes the held-out statistics: the summary, per class the
// held-out documents, predictions, precision and top probabilities, and
// the confusion counts.
func (info *ModelInfo) writeHeldout(w io.Writer) error {
	h := info.Heldout
	if h == nil {
		_, err := fmt.Fprintln(w, "Held-out statistics: none (a version 1 model file, or trained without --calibrate): its shares cannot be adjusted for its errors.")
		return err
	}
	method := fmt.Sprintf("%d-fold cross-validation", h.Folds)
	if h.Folds == h.Documents {
		method = "leave-one-out"
	}
	placed, right := 0, 0
	for t, row := range h.Placed {
		for p, n := range row {
			placed += n
			if p == t {
				right += n
			}
		}
	}
	head := [][]string{
		{"held-out", fmt.Sprintf("%d documents, %s", h.Documents, method)},
		{"unclear below", fmt.Sprintf("top P %s (%d of %d held-out documents placed, %d right)", f3(h.Unclear), placed, h.Documents, right)},
		{"mean top P", f3(h.MeanTopP)},
		{"OOV rate", fmt.Sprintf("mean %s, 90th percentile %s", f3(h.MeanOOV), f3(h.OOV90))},
	}
	if err := renderTable(w, nil, head, 0); err != nil {
		return err
	}
	n := len(info.Classes)
	hdr := []string{"Held-out", "Support", "Predicted", "Precision", "Mean top P", "Top P by tenths"}
	for i := range n {
		hdr = append(hdr, strconv.Itoa(i+1))
	}
	var rows [][]string
	for i, c := range info.Classes {
		if i >= len(h.Classes) {
			break
		}
		ch := h.Classes[i]
		support := 0
		for _, v := range h.Confusion[i] {
			support += v
		}
		hist := make([]string, len(ch.TopPHist))
		for b, v := range ch.TopPHist {
			hist[b] = strconv.Itoa(v)
		}
		row := []string{fmt.Sprintf("%d %s", i+1, c.ID), strconv.Itoa(support), strconv.Itoa(ch.Predicted), f3(ch.Precision), f3(ch.MeanTopP), strings.Join(hist, " ")}
		for _, v := range h.Confusion[i] {
			row = append(row, strconv.Itoa(v))
		}
		rows = append(rows, row)
	}
	fmt.Fprintln(w)
	if err := renderTable(w, hdr, rows, 1); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "Columns 1..: held-out confusion counts, rows the true class, columns the predicted one.")
	return err
}
