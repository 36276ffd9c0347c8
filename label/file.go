package label

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/stance-dev/stance/training"
)

// Record is one line of a labels file: a label given to a comment, or, with
// Retract, the withdrawal of the comment's label in force.
type Record struct {
	// ID is the comment's ID in its input.
	ID string `json:"id"`
	// Author is the comment's author, for the reader of the file.
	Author string `json:"author,omitempty"`
	// Text is the comment's body, as the model saw it.
	Text string `json:"text,omitempty"`
	// Label is the primary label (the argument id); empty in a retraction.
	Label string `json:"label,omitempty"`
	// Labels are all the labels, primary first.
	Labels []string `json:"labels,omitempty"`
	// Stance is the comment's stance, when the taxonomy has stances.
	Stance string `json:"stance,omitempty"`
	// Time is when the label was given or retracted.
	Time time.Time `json:"timestamp"`
	// Retract marks a retraction record (an undo).
	Retract bool `json:"retract,omitempty"`
	// Line is the record's 1-based line in the file; 0 for a new record.
	Line int `json:"-"`
}

// Doc returns the record as a training document.
func (r Record) Doc() training.Doc {
	labels := r.Labels
	if len(labels) == 0 {
		labels = []string{r.Label}
	}
	return training.Doc{Text: r.Text, Labels: slices.Clone(labels), Stance: r.Stance, Line: r.Line}
}

// FileError is a bad record in a labels file.
type FileError struct {
	// File is the labels file's name.
	File string
	// Line is the 1-based line of the record.
	Line int
	// Err is what is wrong.
	Err error
}

// Error reads "FILE:LINE: problem".
func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the problem.
func (e *FileError) Unwrap() error { return e.Err }

// Log is an open labels file: records are appended and synced one at a
// time, and nothing already written is ever changed (except a torn last
// line, see [OpenLog]).
type Log struct {
	f    *os.File
	name string
	line int // lines in the file
}

// OpenLog opens (creating it if needed) the labels file at path for
// appending, and returns the records it holds. A last line without a
// newline that is not valid JSON is the remains of a write cut short by a
// crash: it is cut off the file (so the next record starts on a line of
// its own) and described in the returned warnings. A last line without a
// newline that is valid JSON gets its newline. Any other bad line is a
// *FileError.
func OpenLog(path string) (*Log, []Record, []string, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open labels file: %w", err)
	}
	l := &Log{f: f, name: path}
	src, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("read labels file %s: %w", path, err)
	}
	var warnings []string
	if n := len(src); n > 0 && src[n-1] != '\n' {
		start := bytes.LastIndexByte(src, '\n') + 1
		tail := bytes.TrimSpace(src[start:])
		line := bytes.Count(src[:start], []byte{'\n'}) + 1
		switch {
		case len(tail) == 0 || json.Valid(tail):
			if _, err := f.Write([]byte{'\n'}); err != nil {
				f.Close()
				return nil, nil, nil, fmt.Errorf("repair labels file %s: %w", path, err)
			}
			src = append(src, '\n')
		default:
			if err := f.Truncate(int64(start)); err != nil {
				f.Close()
				return nil, nil, nil, fmt.Errorf("repair labels file %s: %w", path, err)
			}
			warnings = append(warnings, fmt.Sprintf("%s:%d: dropped a truncated last record (%d bytes, cut short by a crash): %s",
				path, line, n-start, shorten(string(tail), 60)))
			src = src[:start]
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, nil, nil, fmt.Errorf("sync labels file %s: %w", path, err)
		}
	}
	recs, err := parseRecords(path, src)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	l.line = bytes.Count(src, []byte{'\n'})
	return l, recs, warnings, nil
}

// parseRecords reads the records of a labels file; blank lines are skipped.
func parseRecords(name string, src []byte) ([]Record, error) {
	var recs []Record
	for ln := 1; len(src) > 0; ln++ {
		line, rest, _ := bytes.Cut(src, []byte{'\n'})
		src = rest
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, &FileError{File: name, Line: ln, Err: fmt.Errorf("not a label record: %v", err)}
		}
		r.Line = ln
		if err := r.check(); err != nil {
			return nil, &FileError{File: name, Line: ln, Err: err}
		}
		recs = append(recs, r)
	}
	return recs, nil
}

func (r *Record) check() error {
	switch {
	case r.ID == "":
		return errors.New("record has no id")
	case r.Retract:
		return nil
	case r.Label == "" && len(r.Labels) == 0:
		return errors.New("record has no label")
	case r.Label != "" && len(r.Labels) > 0 && r.Labels[0] != r.Label:
		return fmt.Errorf("first label %q differs from label %q", r.Labels[0], r.Label)
	}
	if r.Label == "" {
		r.Label = r.Labels[0]
	}
	if len(r.Labels) == 0 {
		r.Labels = []string{r.Label}
	}
	return nil
}

// Append writes r as one line with a single write and syncs the file to
// disk before returning, so that a record acknowledged is a record kept.
func (l *Log) Append(r Record) error {
	r.Line = 0
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode label record: %w", err)
	}
	b = append(b, '\n')
	if _, err := l.f.Write(b); err != nil {
		return fmt.Errorf("append to labels file %s: %w", l.name, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("sync labels file %s: %w", l.name, err)
	}
	l.line++
	return nil
}

// Name returns the labels file's path.
func (l *Log) Name() string { return l.name }

// Close closes the file.
func (l *Log) Close() error {
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	if err != nil {
		return fmt.Errorf("close labels file %s: %w", l.name, err)
	}
	return nil
}

// Resolve replays records in order and returns the labels in force, in the
// order they were given: a retraction cancels the comment's label in
// force, a later label of the same comment replaces an earlier one.
func Resolve(recs []Record) []Record {
	pos := map[string]int{}
	var out []Record
	for _, r := range recs {
		if i, ok := pos[r.ID]; ok {
			out = slices.Delete(out, i, i+1)
			delete(pos, r.ID)
			for id, j := range pos {
				if j > i {
					pos[id] = j - 1
				}
			}
		}
		if r.Retract {
			continue
		}
		pos[r.ID] = len(out)
		out = append(out, r)
	}
	return out
}

// ReadRecords reads the records of a labels file held in src without
// changing anything: a torn last line (see [OpenLog]) is left out and
// described in the warnings.
func ReadRecords(name string, src []byte) ([]Record, []string, error) {
	var warnings []string
	if n := len(src); n > 0 && src[n-1] != '\n' {
		start := bytes.LastIndexByte(src, '\n') + 1
		if tail := bytes.TrimSpace(src[start:]); len(tail) > 0 && !json.Valid(tail) {
			line := bytes.Count(src[:start], []byte{'\n'}) + 1
			warnings = append(warnings, fmt.Sprintf("%s:%d: left out a truncated last record (%d bytes, cut short by a crash): %s",
				name, line, n-start, shorten(string(tail), 60)))
			src = src[:start]
		}
	}
	recs, err := parseRecords(name, src)
	return recs, warnings, err
}

// WriteDocs writes the labels in force of recs as a plain training file
// (JSON Lines without retractions) to w.
func WriteDocs(w io.Writer, recs []Record) error {
	for _, r := range Resolve(recs) {
		r.Line = 0
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode label record: %w", err)
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("write labels: %w", err)
		}
	}
	return nil
}

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
