package training

import (
	"encoding/json"
	"io"

	"github.com/stance-dev/stance/classify"
)

// ModelCard describes a model for people: identity, options, taxonomy,
// training summary and the most distinctive tokens of each class.
// report.ModelDocument and report.TrainingDocument make its tables (stance
// model show, stance train); its JSON form is the output of `stance model
// show -f json`.
type ModelCard struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Hash       string           `json:"hash"`
	Options    classify.Options `json:"options"`
	OptionText string           `json:"options_text"`
	// Refined is true when the model scores with a fitted weight table
	// (classify.Model.Refine). A model whose options ask for one
	// (Options.Refine) but whose counts changed since it was fitted
	// scores as naive Bayes, and OptionText says so.
	Refined    bool        `json:"refined,omitempty"`
	Subject    string      `json:"subject,omitempty"`
	Stances    []string    `json:"stances,omitempty"`
	Fallback   string      `json:"fallback,omitempty"`
	Source     string      `json:"source,omitempty"`
	DataHash   string      `json:"data_hash,omitempty"`
	Documents  int64       `json:"documents"`
	Vocabulary int         `json:"vocabulary"`
	Classes    []ClassInfo `json:"classes"`
	// Labeled is the number of labeled documents read, when known (set by
	// [ModelCard.SetLabeled]); Documents counts pseudo-documents too.
	Labeled  int                `json:"labeled,omitempty"`
	Taxonomy *classify.Taxonomy `json:"-"`
	// Targets are, for a per-target model (classify.Options.PerTarget),
	// the top tokens of each class in the texts about each target.
	Targets []TargetTop `json:"targets,omitempty"`
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

// TargetTop is the top tokens of each class of a per-target model in the
// texts about one target (classify.Model.TopTokensForTarget).
type TargetTop struct {
	Target string `json:"target"`
	// Top holds each class's top tokens, in the order of Classes.
	Top [][]classify.Cue `json:"top_tokens"`
}

// optionText describes m's options, and says when its options ask for a
// fitted weight table it does not have.
func optionText(m *classify.Model) string {
	if m.Options.Refine && !m.Refined() {
		return m.Options.String() + " (refine not fitted: the counts changed since; scores as naive Bayes)"
	}
	return m.Options.String()
}

// NewModelCard returns the description of m with the top k tokens per class
// (none when k <= 0).
func NewModelCard(m *classify.Model, k int) *ModelCard {
	info := &ModelCard{
		ID:         m.ID(),
		Name:       m.Name,
		Hash:       m.Hash(),
		Options:    m.Options,
		OptionText: optionText(m),
		Refined:    m.Refined(),
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
	top := m.TopTokensByClass(k)
	for i, c := range m.Classes() {
		ci := ClassInfo{ID: c, Name: args[c].Name, Stance: args[c].Stance, Docs: m.Docs(c), Tokens: m.Tokens(c)}
		if k > 0 {
			ci.Top = top[i]
		}
		info.Classes = append(info.Classes, ci)
	}
	if k > 0 {
		for _, t := range m.Targets() {
			info.Targets = append(info.Targets, TargetTop{Target: t, Top: m.TopTokensForTarget(t, k)})
		}
	}
	return info
}

// SetLabeled records the labeled documents the model was trained on, for
// the summary's per-class counts of primary labels.
func (info *ModelCard) SetLabeled(docs []Doc) {
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
func (info *ModelCard) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(info)
}
