package comments

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors for errors.Is. A [ParseError] wraps one of these, or a more
// specific cause.
var (
	// ErrNoText marks a record without a comment body.
	ErrNoText = errors.New("record has no text")
	// ErrNotText marks binary input: NUL bytes or mostly invalid UTF-8.
	ErrNotText = errors.New("not a text file")
	// ErrEmpty marks an input without any comment: an empty file, or one
	// holding only a title.
	ErrEmpty = errors.New("no comments")
	// ErrBadType marks a JSON value of the wrong type for its field.
	ErrBadType = errors.New("wrong type")
)

// ParseError is the error of every reader. Error reads
// "FILE:LINE: field F: msg", leaving out what is unknown.
type ParseError struct {
	// File is the input's name ("-" or "stdin" for standard input).
	File string
	// Line is the 1-based line of the bad record; 0 when unknown.
	Line int
	// Column is the 1-based column, where known; 0 otherwise.
	Column int
	// Field names the comment field at fault ("text", "author"...), if any.
	Field string
	// Err is the cause; errors.Is sees through to it.
	Err error
	// Skippable is true when the reader has resynchronised: the next Read
	// continues with the next record. False means the input cannot be read on.
	Skippable bool
}

// Error formats the error as "FILE:LINE:COL: field F: msg".
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Location returns "FILE:LINE" (or just FILE when the line is unknown).
func (e *ParseError) Location() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line)
	}
	return e.File
}

func typeErr(want string, v any) error {
	return fmt.Errorf("%w: want %s, got %s", ErrBadType, want, jsonKind(v))
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	default:
		return "number"
	}
}
