package comments

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fields lists the comment fields a record's keys or columns can map to,
// each with its accepted aliases, in order of preference. Keys are matched
// exactly first, then ignoring case. Options.Columns (and the CSV/JSONL
// readers' Columns) override them: field name to the input's key.
var Fields = []struct {
	Name    string
	Aliases []string
}{
	{"text", []string{"text", "body", "comment", "commentBody"}},
	{"author", []string{"author", "user", "userName", "userDisplayName"}},
	{"location", []string{"location", "userLocation"}},
	{"id", []string{"id", "commentID"}},
	{"parent", []string{"parent", "parentID", "parent_id", "inReplyTo"}},
	{"recommendations", []string{"recommendations", "n_recommend", "score"}},
	{"created", []string{"created", "createDate", "created_utc"}},
	{"editors_pick", []string{"editors_pick", "editorsSelection"}},
	{"thread", []string{"thread", "articleID", "link_id"}},
	{"depth", []string{"depth"}},
	// reply_to and source are stance's own output; both are recomputed.
	{"reply_to", []string{"reply_to"}},
	{"source", []string{"source"}},
	{"extra", []string{"extra"}},
}

type fieldRef struct {
	field string
	rank  int
}

// resolver maps an input's keys to comment fields.
type resolver struct {
	exact map[string]fieldRef
	fold  map[string]fieldRef
}

// newResolver builds the key mapping, with cols (field -> key) overriding
// the aliases of their fields.
func newResolver(cols map[string]string) (*resolver, error) {
	r := &resolver{exact: map[string]fieldRef{}, fold: map[string]fieldRef{}}
	var names []string
	for _, f := range Fields {
		names = append(names, f.Name)
	}
	for f, key := range cols {
		if !slices.Contains(names, f) {
			return nil, fmt.Errorf("unknown comment field %q in column mapping: valid fields are {%s}", f, strings.Join(names, "|"))
		}
		if key == "" {
			return nil, fmt.Errorf("empty column name for field %q", f)
		}
		r.exact[key] = fieldRef{f, -1}
	}
	for _, f := range Fields {
		if _, over := cols[f.Name]; over {
			continue
		}
		for i, a := range f.Aliases {
			if _, ok := r.exact[a]; !ok {
				r.exact[a] = fieldRef{f.Name, i}
			}
			if _, ok := r.fold[strings.ToLower(a)]; !ok {
				r.fold[strings.ToLower(a)] = fieldRef{f.Name, i + 100}
			}
		}
	}
	return r, nil
}

func (r *resolver) lookup(key string) (fieldRef, bool) {
	if f, ok := r.exact[key]; ok {
		return f, true
	}
	f, ok := r.fold[strings.ToLower(key)]
	return f, ok
}

// record is one input record on its way to a Comment: its values by
// comment field, and the keys they came from.
type record struct {
	vals  map[string]any
	keys  map[string]string
	ranks map[string]int
	extra map[string]any
}

func newRecord() *record {
	return &record{vals: map[string]any{}, keys: map[string]string{}, ranks: map[string]int{}}
}

// set files key's value under its field, or under extra.
func (rec *record) set(r *resolver, key string, v any) {
	f, ok := r.lookup(key)
	if !ok {
		if rec.extra == nil {
			rec.extra = map[string]any{}
		}
		rec.extra[key] = v
		return
	}
	if old, seen := rec.ranks[f.field]; seen && old <= f.rank {
		if rec.extra == nil {
			rec.extra = map[string]any{}
		}
		rec.extra[key] = v
		return
	}
	if old, seen := rec.keys[f.field]; seen {
		// a better alias displaces a worse one into extra
		if rec.extra == nil {
			rec.extra = map[string]any{}
		}
		rec.extra[old] = rec.vals[f.field]
	}
	rec.vals[f.field] = v
	rec.keys[f.field] = key
	rec.ranks[f.field] = f.rank
}

// comment converts the record. Errors name the input's key.
func (rec *record) comment(file string, line int) (*Comment, error) {
	c := &Comment{Source: file + ":" + strconv.Itoa(line)}
	fail := func(field string, err error) error {
		return &ParseError{File: file, Line: line, Field: rec.keys[field], Err: err, Skippable: true}
	}
	var err error
	if c.Text, err = strField(rec.vals["text"]); err != nil {
		return nil, fail("text", err)
	}
	if strings.TrimSpace(c.Text) == "" {
		key := rec.keys["text"]
		if key == "" {
			key = "text"
		}
		return nil, &ParseError{File: file, Line: line, Field: key, Err: ErrNoText, Skippable: true}
	}
	if c.Author, err = strField(rec.vals["author"]); err != nil {
		return nil, fail("author", err)
	}
	if c.Location, err = strField(rec.vals["location"]); err != nil {
		return nil, fail("location", err)
	}
	if c.ID, err = idField(rec.vals["id"]); err != nil {
		return nil, fail("id", err)
	}
	if c.ThreadID, err = idField(rec.vals["thread"]); err != nil {
		return nil, fail("thread", err)
	}
	parent, err := idField(rec.vals["parent"])
	if err != nil {
		return nil, fail("parent", err)
	}
	if parent == "0" {
		parent = ""
	}
	// Pushshift (Reddit) records: "t1_" comment and "t3_" submission IDs
	if rec.keys["parent"] == "parent_id" || rec.keys["thread"] == "link_id" {
		c.ID = strings.TrimSpace(strings.TrimPrefix(c.ID, "t1_"))
		c.ThreadID = strings.TrimSpace(strings.TrimPrefix(c.ThreadID, "t3_"))
		switch {
		case strings.HasPrefix(parent, "t3_"):
			// a reply to the submission: top level of that thread
			if c.ThreadID == "" {
				c.ThreadID = strings.TrimSpace(parent[3:])
			}
			parent = ""
		case strings.HasPrefix(parent, "t1_"):
			parent = strings.TrimSpace(parent[3:])
			if parent == "0" {
				parent = ""
			}
		}
	}
	c.ParentID = parent
	if c.Recommendations, err = intField(rec.vals["recommendations"]); err != nil {
		return nil, fail("recommendations", err)
	}
	if c.Depth, err = intField(rec.vals["depth"]); err != nil {
		return nil, fail("depth", err)
	}
	if c.EditorsPick, err = boolField(rec.vals["editors_pick"]); err != nil {
		return nil, fail("editors_pick", err)
	}
	if c.Created, err = timeField(rec.vals["created"]); err != nil {
		return nil, fail("created", err)
	}
	if _, err := strField(rec.vals["reply_to"]); err != nil {
		return nil, fail("reply_to", err)
	}
	switch x := rec.vals["extra"].(type) {
	case nil:
	case map[string]any:
		for k, v := range x {
			if rec.extra == nil {
				rec.extra = map[string]any{}
			}
			if _, dup := rec.extra[k]; !dup {
				rec.extra[k] = v
			}
		}
	case string:
		if strings.TrimSpace(x) != "" {
			var m map[string]any
			d := json.NewDecoder(strings.NewReader(x))
			d.UseNumber()
			if err := d.Decode(&m); err != nil {
				return nil, fail("extra", fmt.Errorf("want a JSON object: %v", err))
			}
			for k, v := range m {
				if rec.extra == nil {
					rec.extra = map[string]any{}
				}
				if _, dup := rec.extra[k]; !dup {
					rec.extra[k] = v
				}
			}
		}
	default:
		return nil, fail("extra", typeErr("object", x))
	}
	c.Extra = rec.extra
	return c, nil
}

func strField(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	}
	return "", typeErr("string", v)
}

func idField(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(x), nil
	case json.Number:
		return x.String(), nil
	}
	return "", typeErr("string or number", v)
}

func intField(v any) (int, error) {
	var s string
	switch x := v.(type) {
	case nil:
		return 0, nil
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
		if s == "" {
			return 0, nil
		}
	default:
		return 0, typeErr("integer", v)
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
		return 0, fmt.Errorf("%w: want an integer, got %q", ErrBadType, s)
	}
	return int(f), nil
}

func boolField(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case json.Number:
		return x.String() != "0", nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "", "0", "false", "no", "f":
			return false, nil
		case "1", "true", "yes", "t":
			return true, nil
		}
		return false, fmt.Errorf("%w: want a boolean, got %q", ErrBadType, x)
	}
	return false, typeErr("boolean", v)
}

// timeFormats are the layouts accepted for created, besides Unix seconds.
var timeFormats = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

// The range of times JSON can write: years 0001 to 9999.
const (
	minUnix = -62135596800
	maxUnix = 253402300799
)

func timeField(v any) (time.Time, error) {
	var s string
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
		if s == "" {
			return time.Time{}, nil
		}
	default:
		return time.Time{}, typeErr("time (Unix seconds or RFC 3339)", v)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(f) || f < minUnix || f > maxUnix {
			return time.Time{}, fmt.Errorf("%w: time %q out of range", ErrBadType, s)
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	for _, l := range timeFormats {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("want a time (Unix seconds or RFC 3339), got " + strconv.Quote(s))
}
