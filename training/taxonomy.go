package training

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

// Error is a problem at a place in an input file: a taxonomy or labeled
// data. Error() reads "FILE:LINE: field F: problem", without the parts that
// are unknown.
type Error struct {
	// File is the file name as given ("-" or "" for stdin).
	File string
	// Line is the 1-based line number, 0 when unknown.
	Line int
	// Field names the key or column at fault, when there is one.
	Field string
	// Err is the problem.
	Err error
}

// Error implements error, in the words of the comment readers'
// [comments.ParseError].
func (e *Error) Error() string {
	return (&comments.ParseError{File: e.File, Line: e.Line, Field: e.Field, Err: e.Err}).Error()
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

func errAt(file string, line int, field, format string, a ...any) *Error {
	return &Error{File: file, Line: line, Field: field, Err: fmt.Errorf(format, a...)}
}

// tomlLineErr matches the decoder's type errors, which are not typed.
var tomlLineErr = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// taxonomyFile mirrors the TOML layout of a taxonomy.
type taxonomyFile struct {
	Subject   string         `toml:"subject"`
	Stances   []string       `toml:"stances"`
	Fallback  string         `toml:"fallback"`
	Arguments []argumentFile `toml:"arguments"`
}

type argumentFile struct {
	ID          string   `toml:"id"`
	Name        string   `toml:"name"`
	Description string   `toml:"description"`
	Stance      string   `toml:"stance"`
	Cues        []string `toml:"cues"`
}

var (
	topKeys      = []string{"subject", "stances", "fallback", "arguments"}
	argumentKeys = []string{"id", "name", "description", "stance", "cues"}
)

// ReadTaxonomy reads and validates a TOML taxonomy file; name is used in
// error messages. Errors are [*Error] values naming the file and the line.
func ReadTaxonomy(name string, r io.Reader) (*classify.Taxonomy, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read taxonomy %s: %w", name, err)
	}
	return ParseTaxonomy(name, src)
}

// ParseTaxonomy parses and validates a TOML taxonomy held in src.
func ParseTaxonomy(name string, src []byte) (*classify.Taxonomy, error) {
	var f taxonomyFile
	md, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&f)
	if err != nil {
		return nil, tomlError(name, err)
	}
	at, err := keyLines(name, src, md)
	if err != nil {
		return nil, err
	}
	t := &classify.Taxonomy{Subject: strings.TrimSpace(f.Subject), Fallback: strings.TrimSpace(f.Fallback)}
	for _, s := range f.Stances {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, errAt(name, at.top["stances"], "stances", "empty stance")
		}
		if slices.Contains(t.Stances, s) {
			return nil, errAt(name, at.top["stances"], "stances", "duplicate stance %q", s)
		}
		t.Stances = append(t.Stances, s)
	}
	if len(f.Arguments) == 0 {
		return nil, errAt(name, 0, "", "no [[arguments]]: a taxonomy needs at least one argument")
	}
	firstID := map[string]int{}
	for i, a := range f.Arguments {
		arg, err := parseArgument(name, i, a, t.Stances, at)
		if err != nil {
			return nil, err
		}
		if prev, dup := firstID[arg.ID]; dup {
			return nil, errAt(name, at.field(i, "id"), "id", "duplicate argument id %q (first at line %d)", arg.ID, at.field(prev, "id"))
		}
		firstID[arg.ID] = i
		t.Arguments = append(t.Arguments, arg)
	}
	if t.Fallback != "" {
		if _, ok := firstID[t.Fallback]; !ok {
			return nil, errAt(name, at.top["fallback"], "fallback", "fallback %q is not an argument id", t.Fallback)
		}
	}
	return t, nil
}

// tomlError turns a TOML decoding error into an *Error with its line.
func tomlError(name string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return errAt(name, pe.Position.Line, "", "%s", pe.Message)
	}
	if m := tomlLineErr.FindStringSubmatch(err.Error()); m != nil {
		ln, _ := strconv.Atoi(m[1])
		return errAt(name, ln, m[2], "%s", m[3])
	}
	return &Error{File: name, Err: err}
}

// taxonomyLines says where the keys of a taxonomy file are, for errors.
type taxonomyLines struct {
	// top maps a top-level key to its first line.
	top map[string]int
	// args[i] is the line of the i-th [[arguments]] table; fields maps
	// "i.key" to the line of that key.
	args   []int
	fields map[string]int
}

// field returns the line of key in the i-th argument, else of that
// argument's table, else 0.
func (l taxonomyLines) field(i int, key string) int {
	if ln, ok := l.fields[fmt.Sprintf("%d.%s", i, key)]; ok {
		return ln
	}
	if i >= 0 && i < len(l.args) {
		return l.args[i]
	}
	return 0
}

// keyLines locates the decoded keys in src, and refuses unknown ones.
func keyLines(name string, src []byte, md toml.MetaData) (taxonomyLines, error) {
	at := taxonomyLines{top: map[string]int{}, fields: map[string]int{}}
	lines := locateKeys(src, md.Keys())
	for i, k := range md.Keys() {
		ln := lines[i]
		switch {
		case len(k) == 1:
			if k[0] == "arguments" && md.Type(k...) == "ArrayHash" {
				at.args = append(at.args, ln)
			}
			if _, seen := at.top[k[0]]; !seen {
				at.top[k[0]] = ln
			}
			if !slices.Contains(topKeys, k[0]) {
				return at, errAt(name, ln, "", "unknown key %q (valid keys: %s)", k[0], strings.Join(topKeys, ", "))
			}
		case k[0] == "arguments" && len(k) == 2:
			if !slices.Contains(argumentKeys, k[1]) {
				return at, errAt(name, ln, "", "unknown key %q in [[arguments]] (valid keys: %s)", k[1], strings.Join(argumentKeys, ", "))
			}
			at.fields[fmt.Sprintf("%d.%s", len(at.args)-1, k[1])] = ln
		default:
			return at, errAt(name, ln, "", "unknown key %q", k.String())
		}
	}
	return at, nil
}

// parseArgument checks and trims the i-th argument of a taxonomy whose
// stances are given.
func parseArgument(name string, i int, a argumentFile, stances []string, at taxonomyLines) (classify.Argument, error) {
	arg := classify.Argument{
		ID:          strings.TrimSpace(a.ID),
		Name:        strings.TrimSpace(a.Name),
		Description: strings.TrimSpace(a.Description),
		Stance:      strings.TrimSpace(a.Stance),
	}
	switch {
	case arg.ID == "":
		return arg, errAt(name, at.field(i, "id"), "id", "argument %d has an empty id", i+1)
	case strings.IndexFunc(arg.ID, unicode.IsSpace) >= 0 || strings.ContainsAny(arg.ID, ",\""):
		return arg, errAt(name, at.field(i, "id"), "id", "argument id %q contains a space, comma or quote", arg.ID)
	case arg.Name == "":
		return arg, errAt(name, at.field(i, "name"), "name", "argument %q has an empty name", arg.ID)
	}
	if arg.Stance != "" && !slices.Contains(stances, arg.Stance) {
		if len(stances) == 0 {
			return arg, errAt(name, at.field(i, "stance"), "stance", "argument %q has stance %q but the taxonomy declares no stances", arg.ID, arg.Stance)
		}
		return arg, errAt(name, at.field(i, "stance"), "stance", "argument %q has unknown stance %q (stances: %s)", arg.ID, arg.Stance, strings.Join(stances, ", "))
	}
	for _, c := range a.Cues {
		c = strings.TrimSpace(c)
		if c == "" {
			return arg, errAt(name, at.field(i, "cues"), "cues", "argument %q has an empty cue phrase", arg.ID)
		}
		arg.Cues = append(arg.Cues, c)
	}
	return arg, nil
}

// locateKeys returns, for each key in document order, the line where it is
// defined: the keys are matched in order against the lines that define a
// key of that name, so a key is always found at or after its predecessor.
// A key that cannot be found gets the line of its predecessor.
func locateKeys(src []byte, keys []toml.Key) []int {
	lines := strings.Split(string(src), "\n")
	out := make([]int, len(keys))
	cur := 0
	for i, k := range keys {
		last := k[len(k)-1]
		for j := cur; j < len(lines); j++ {
			if definesKey(lines[j], last) {
				cur = j
				break
			}
		}
		out[i] = cur + 1
	}
	return out
}

// definesKey reports whether a line plausibly defines key: "key =", a quoted
// "key" =, a [key] or [[key]] header, or an inline {key = ...}.
func definesKey(line, key string) bool {
	for _, form := range []string{key, `"` + key + `"`, `'` + key + `'`} {
		for off := 0; ; {
			i := strings.Index(line[off:], form)
			if i < 0 {
				break
			}
			i += off
			before := strings.TrimRight(line[:i], " \t")
			rest := strings.TrimLeft(line[i+len(form):], " \t")
			okBefore := before == "" || strings.HasSuffix(before, "[") || strings.HasSuffix(before, "{") ||
				strings.HasSuffix(before, ",") || strings.HasSuffix(before, ".")
			okAfter := strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "]") || strings.HasPrefix(rest, ".")
			if okBefore && okAfter {
				return true
			}
			off = i + len(form)
		}
	}
	return false
}
