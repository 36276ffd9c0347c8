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
// readers' Columns) override them: field name to the input's key. Of two
// keys of a record that map to the same field, the preferred one is used
// and the other is kept in Extra.
//
// The thread key (Comment.ThreadID, which replies are linked within) is,
// in order of preference: thread; articleID (the NYT comments dataset);
// link_id (Reddit, "t3_" stripped); assetID (the NYT community API);
// articleURL (the NYT community API); url (the NYT comments dataset's
// article URL). IDs come before URLs, which vary more for one article. A
// URL (a value beginning with http:// or https://) loses its "#fragment".
// A source whose "url" is each comment's own link (not its article's)
// would make every comment a thread of its own: map the thread to another
// column, or to one it does not have, with Columns (--thread-col).
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
	{"thread", []string{"thread", "articleID", "link_id", "assetID", "articleURL", "url"}},
	{"depth", []string{"depth"}},
	// reply_to and source are stance's own output; both are recomputed.
	{"reply_to", []string{"reply_to"}},
	{"source", []string{"source"}},
	{"extra", []string{"extra"}},
}

// Field numbers: the index of each field in [Fields].
const (
	fText = iota
	fAuthor
	fLocation
	fID
	fParent
	fRecommendations
	fCreated
	fEditorsPick
	fThread
	fDepth
	fReplyTo
	fSource
	fExtra
	nFields
)

type fieldRef struct {
	field int // index in Fields
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
		i := slices.Index(names, f)
		if i < 0 {
			return nil, fmt.Errorf("unknown comment field %q in column mapping: valid fields are {%s}", f, strings.Join(names, "|"))
		}
		if key == "" {
			return nil, fmt.Errorf("empty column name for field %q", f)
		}
		r.exact[key] = fieldRef{i, -1}
	}
	for fi, f := range Fields {
		if _, over := cols[f.Name]; over {
			continue
		}
		for i, a := range f.Aliases {
			if _, ok := r.exact[a]; !ok {
				r.exact[a] = fieldRef{fi, i}
			}
			if _, ok := r.fold[strings.ToLower(a)]; !ok {
				r.fold[strings.ToLower(a)] = fieldRef{fi, i + 100}
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
// comment field, the keys they came from, and the values of other keys.
//
// A key goes to the field of its best-ranked alias: an override from
// Columns first, then exact aliases in order of preference, then aliases
// matched ignoring case. The other keys of the field go to extra.
type record struct {
	// json marks a JSON object's keys: a key seen again replaces its
	// earlier value (as encoding/json does), and between two keys of the
	// same rank the lesser (in byte order) wins, whatever the order of the
	// keys. Otherwise (CSV columns) the first of two equal keys or ranks
	// wins and the other goes to extra.
	json  bool
	has   uint32 // bit i: field i is set
	vals  [nFields]any
	keys  [nFields]string
	ranks [nFields]int
	// extra lists the keys kept in Extra and their values in the order they
	// were filed; a later value of a key replaces an earlier one.
	extra []extraKV
}

type extraKV struct {
	key string
	val any
}

func (rec *record) addExtra(key string, v any) {
	rec.extra = append(rec.extra, extraKV{key, v})
}

// set files key's value under its field, or under extra.
func (rec *record) set(r *resolver, key string, v any) {
	f, ok := r.lookup(key)
	rec.setRef(f, ok, key, v)
}

// setRef is set for a key already looked up: known tells whether it maps
// to field f.
func (rec *record) setRef(f fieldRef, known bool, key string, v any) {
	if !known {
		rec.addExtra(key, v)
		return
	}
	i := f.field
	if rec.has&(1<<i) != 0 {
		old := rec.keys[i]
		switch {
		case rec.json && old == key:
			rec.vals[i] = v // a repeated key: the last value wins
			return
		case rec.ranks[i] < f.rank,
			rec.ranks[i] == f.rank && !(rec.json && key < old):
			rec.addExtra(key, v)
			return
		}
		// a better alias displaces a worse one into extra
		rec.addExtra(old, rec.vals[i])
	}
	rec.has |= 1 << i
	rec.vals[i] = v
	rec.keys[i] = key
	rec.ranks[i] = f.rank
}

// comment converts the record. Errors name the input's key.
func (rec *record) comment(file string, line int) (*Comment, error) {
	c, err := rec.build(file, line)
	if c != nil {
		c.Source = file + ":" + strconv.Itoa(line)
	}
	return c, err
}

// build is comment without Source.
func (rec *record) build(file string, line int) (*Comment, error) {
	c := &Comment{}
	fail := func(field int, err error) error {
		return &ParseError{File: file, Line: line, Field: rec.keys[field], Err: err, Skippable: true}
	}
	var err error
	if c.Text, err = strField(rec.vals[fText]); err != nil {
		return nil, fail(fText, err)
	}
	if t := strings.TrimSpace(c.Text); t == "[deleted]" || t == "[removed]" {
		return nil, &ParseError{File: file, Line: line, Field: rec.keys[fText], Err: ErrDeleted, Skippable: true}
	}
	if strings.TrimSpace(c.Text) == "" {
		key := rec.keys[fText]
		if key == "" {
			key = "text"
		}
		return nil, &ParseError{File: file, Line: line, Field: key, Err: ErrNoText, Skippable: true}
	}
	if c.Author, err = strField(rec.vals[fAuthor]); err != nil {
		return nil, fail(fAuthor, err)
	}
	if c.Location, err = strField(rec.vals[fLocation]); err != nil {
		return nil, fail(fLocation, err)
	}
	if c.ID, err = idField(rec.vals[fID]); err != nil {
		return nil, fail(fID, err)
	}
	if c.ThreadID, err = idField(rec.vals[fThread]); err != nil {
		return nil, fail(fThread, err)
	}
	c.ThreadID = threadKey(c.ThreadID)
	parent, err := idField(rec.vals[fParent])
	if err != nil {
		return nil, fail(fParent, err)
	}
	if parent == "0" {
		parent = ""
	}
	// Pushshift (Reddit) records: "t1_" comment and "t3_" submission IDs
	if rec.keys[fParent] == "parent_id" || rec.keys[fThread] == "link_id" {
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
	if c.Recommendations, err = intField(rec.vals[fRecommendations]); err != nil {
		return nil, fail(fRecommendations, err)
	}
	if c.Depth, err = intField(rec.vals[fDepth]); err != nil {
		return nil, fail(fDepth, err)
	}
	if c.EditorsPick, err = boolField(rec.vals[fEditorsPick]); err != nil {
		return nil, fail(fEditorsPick, err)
	}
	if c.Created, err = timeField(rec.vals[fCreated]); err != nil {
		return nil, fail(fCreated, err)
	}
	if _, err := strField(rec.vals[fReplyTo]); err != nil {
		return nil, fail(fReplyTo, err)
	}
	var more map[string]any // the fields of an "extra" object
	switch x := rec.vals[fExtra].(type) {
	case nil:
	case map[string]any:
		more = x
	case string:
		if strings.TrimSpace(x) != "" {
			var m map[string]any
			d := json.NewDecoder(strings.NewReader(x))
			d.UseNumber()
			if err := d.Decode(&m); err != nil {
				return nil, fail(fExtra, fmt.Errorf("want a JSON object: %v", err))
			}
			more = m
		}
	default:
		return nil, fail(fExtra, typeErr("object", x))
	}
	if len(rec.extra) > 0 || len(more) > 0 {
		c.Extra = make(map[string]any, len(rec.extra)+len(more))
		for _, kv := range rec.extra {
			c.Extra[kv.key] = kv.val
		}
		for k, v := range more {
			if _, dup := c.Extra[k]; !dup {
				c.Extra[k] = v
			}
		}
	}
	return c, nil
}

// threadKey normalises a thread key: a URL loses its fragment.
func threadKey(s string) string {
	if len(s) > 8 && (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) {
		if i := strings.IndexByte(s, '#'); i >= 0 {
			return s[:i]
		}
	}
	return s
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
