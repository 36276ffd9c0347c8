package label

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/training"
)

// Item is one comment of the pool to label.
type Item struct {
	// ID identifies the comment in the labels file; unique in the pool.
	ID string
	// Author and Location are the commenter's.
	Author, Location string
	// Text is the comment's body: what the model sees and the file keeps.
	Text string
	// Parent is the index in the pool of the comment this one answers, -1
	// for a top-level comment.
	Parent int
	// Thread is the title of the comment's article, when the input has one.
	Thread string
}

// Config says how to open a [Session].
type Config struct {
	// Model is the starting model (see [SeedModel]); the session trains it
	// further and owns it.
	Model *classify.Model
	// Strategy picks the next comment; nil means sequential.
	Strategy Strategy
	// Now gives the time of a record; nil means time.Now.
	Now func() time.Time
}

// Session is a labeling session: a pool of comments, the labels file, the
// model trained on the labels in force, and the strategy that picks the
// next comment. It is not safe for concurrent use.
type Session struct {
	log      *Log
	model    *classify.Model
	strategy Strategy
	now      func() time.Time
	items    []Item
	byID     map[string]int
	// labels are the labels in force, in the order given (the undo stack).
	labels []Record
	pos    map[string]int // index in labels by ID
	// skipped are the pool indices skipped in this session.
	skipped map[int]bool
	// front is a pool index to offer before the strategy's pick (after an
	// undo); -1 when none.
	front    int
	counts   map[string]int
	warnings []string
}

// Open opens the labels file at path (see [OpenLog]), replays it onto the
// model (every label in force is learned, including those of comments not
// in items, which count and train but are never offered), and returns the
// session over items. IDs must be unique in items.
func Open(path string, items []Item, cfg Config) (*Session, error) {
	if cfg.Model == nil {
		return nil, errors.New("label: no model")
	}
	s := &Session{
		model:    cfg.Model,
		strategy: cfg.Strategy,
		now:      cfg.Now,
		items:    items,
		byID:     make(map[string]int, len(items)),
		pos:      map[string]int{},
		skipped:  map[int]bool{},
		front:    -1,
		counts:   map[string]int{},
	}
	if s.strategy == nil {
		s.strategy = &Sequential{n: len(items)}
	}
	if s.now == nil {
		s.now = time.Now
	}
	for i, it := range items {
		if _, dup := s.byID[it.ID]; dup {
			return nil, fmt.Errorf("label: duplicate comment id %q in the input", it.ID)
		}
		s.byID[it.ID] = i
	}
	log, recs, warnings, err := OpenLog(path)
	if err != nil {
		return nil, err
	}
	s.log, s.warnings = log, warnings
	known := map[string]bool{}
	if tax := s.model.Taxonomy; tax != nil {
		for _, a := range tax.Arguments {
			known[a.ID] = true
		}
	}
	for _, r := range Resolve(recs) {
		if len(known) > 0 {
			for _, l := range r.Labels {
				if !known[l] {
					log.Close()
					return nil, &FileError{File: path, Line: r.Line, Err: fmt.Errorf("label %q is not an argument of the taxonomy", l)}
				}
			}
		}
		s.add(r)
	}
	return s, nil
}

// add puts r in force and teaches it to the model.
func (s *Session) add(r Record) {
	s.pos[r.ID] = len(s.labels)
	s.labels = append(s.labels, r)
	s.model.Learn(r.Text, r.Labels, 1)
	s.counts[r.Label]++
	if i, ok := s.byID[r.ID]; ok {
		s.strategy.Labeled(i)
	}
}

// Warnings returns what opening the labels file repaired.
func (s *Session) Warnings() []string { return slices.Clone(s.warnings) }

// Model returns the session's model, trained on the labels in force. It
// must not be trained by the caller.
func (s *Session) Model() *classify.Model { return s.model }

// Items returns the pool.
func (s *Session) Items() []Item { return s.items }

// Strategy returns the selection strategy.
func (s *Session) Strategy() Strategy { return s.strategy }

// open reports whether pool item i may be offered.
func (s *Session) open(i int) bool {
	if s.skipped[i] {
		return false
	}
	_, done := s.pos[s.items[i].ID]
	return !done
}

// Next returns the index in the pool of the next comment to label, or -1
// when every comment is labeled or skipped. After an [Session.Undo] it is
// the comment whose label was withdrawn.
func (s *Session) Next() int {
	if s.front >= 0 {
		i := s.front
		s.front = -1
		if s.open(i) {
			return i
		}
	}
	return s.strategy.Next(s.model, s.open)
}

// Label records the labels (primary first) and stance of pool item i: the
// record is appended to the file and synced, then the model learns it.
func (s *Session) Label(i int, labels []string, stance string) error {
	if i < 0 || i >= len(s.items) {
		return fmt.Errorf("label: no comment %d", i)
	}
	if len(labels) == 0 {
		return errors.New("label: no label")
	}
	it := s.items[i]
	if _, done := s.pos[it.ID]; done {
		return fmt.Errorf("label: comment %s is already labeled", it.ID)
	}
	r := Record{ID: it.ID, Author: it.Author, Text: it.Text, Label: labels[0], Labels: slices.Clone(labels),
		Stance: stance, Time: s.now().UTC()}
	if err := s.log.Append(r); err != nil {
		return err
	}
	s.add(r)
	return nil
}

// Skip sets pool item i aside for the rest of the session (skips are not
// written: a resumed session offers the comment again).
func (s *Session) Skip(i int) {
	if i >= 0 && i < len(s.items) {
		s.skipped[i] = true
	}
}

// Undo withdraws the last label in force: a retraction record is appended
// and synced, the model unlearns the comment, and, when the comment is in
// the pool, [Session.Next] offers it again. It returns the withdrawn
// record, and false when there is nothing to undo.
func (s *Session) Undo() (Record, bool, error) {
	if len(s.labels) == 0 {
		return Record{}, false, nil
	}
	r := s.labels[len(s.labels)-1]
	if err := s.log.Append(Record{ID: r.ID, Retract: true, Time: s.now().UTC()}); err != nil {
		return Record{}, false, err
	}
	s.labels = s.labels[:len(s.labels)-1]
	delete(s.pos, r.ID)
	s.model.Unlearn(r.Text, r.Labels, 1)
	if s.counts[r.Label]--; s.counts[r.Label] <= 0 {
		delete(s.counts, r.Label)
	}
	if i, ok := s.byID[r.ID]; ok {
		delete(s.skipped, i)
		s.front = i
	}
	return r, true, nil
}

// Labeled returns the number of labels in force.
func (s *Session) Labeled() int { return len(s.labels) }

// Counts returns the number of labels in force per primary label.
func (s *Session) Counts() map[string]int {
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Remaining returns the number of pool comments neither labeled nor
// skipped.
func (s *Session) Remaining() int {
	n := 0
	for i := range s.items {
		if s.open(i) {
			n++
		}
	}
	return n
}

// Docs returns the labels in force as training documents, in the order
// given.
func (s *Session) Docs() []training.Doc {
	out := make([]training.Doc, len(s.labels))
	for i, r := range s.labels {
		out[i] = r.Doc()
	}
	return out
}

// Records returns the labels in force, in the order given.
func (s *Session) Records() []Record { return slices.Clone(s.labels) }

// Estimate returns the leave-one-out accuracy on the last max labels in
// force (all with max <= 0), computed on a clone of the model so that the
// session's model is untouched.
func (s *Session) Estimate(max int) Estimate {
	return LeaveOneOut(s.model.Clone(), s.Docs(), max)
}

// EstimateLater returns a function that computes [Session.Estimate] on a
// snapshot taken now: it may run on another goroutine while the session
// goes on.
func (s *Session) EstimateLater(max int) func() Estimate {
	m, docs := s.model.Clone(), s.Docs()
	return func() Estimate { return LeaveOneOut(m, docs, max) }
}

// Close closes the labels file. Every record is already on disk.
func (s *Session) Close() error { return s.log.Close() }
