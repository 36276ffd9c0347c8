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
	// ErrTooLong marks a record longer than the limit (Options.MaxRecord).
	ErrTooLong = errors.New("record too long")
	// ErrNUL marks a record with a NUL byte, past the first block of the
	// input (a NUL byte there makes the whole input binary: ErrNotText).
	ErrNUL = errors.New("NUL byte in the record")
	// ErrDeleted marks a Reddit comment whose body is "[deleted]" or
	// "[removed]". [Stream] skips such records and counts them
	// ([Stream.Deleted]); readers used on their own return them as a
	// skippable *ParseError.
	ErrDeleted = errors.New("deleted comment")
	// ErrTruncated marks compressed input that ends early or is corrupt.
	ErrTruncated = errors.New("truncated input")
)

// DefaultMaxRecord is the default of Options.MaxRecord: 16 MiB.
const DefaultMaxRecord = 16 << 20

// tooLongErr is the skippable error of a record of size bytes (at least)
// at file:line, longer than max.
func tooLongErr(file string, line int, size int64, max int) *ParseError {
	return &ParseError{File: file, Line: line, Skippable: true,
		Err: fmt.Errorf("%w: %d bytes, over the limit of %s (MaxRecord; raise it with --max-record)", ErrTooLong, size, FormatSize(int64(max)))}
}

// nulErr is the skippable error of a record at file:line with a NUL byte at
// column col (1-based; 0 when unknown).
func nulErr(file string, line, col int) *ParseError {
	return &ParseError{File: file, Line: line, Column: col, Skippable: true, Err: ErrNUL}
}

// FormatSize writes a size in bytes as "16 MiB", "512 KiB" or "1000 bytes",
// exactly (it uses the larger unit only for whole multiples).
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ParseSize reads a size for MaxRecord (--max-record): a number of bytes,
// optionally followed by a unit: k or KiB, M or MiB, G or GiB (powers of
// 1024; case and a space before the unit do not matter), e.g. "16MiB",
// "512k", "1048576".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil || i == 0 {
		return 0, fmt.Errorf("invalid size %q: want a number of bytes, optionally with a unit (k, M, G), e.g. 16M", s)
	}
	shift := 0
	switch strings.ToLower(strings.TrimSpace(t[i:])) {
	case "", "b":
	case "k", "kb", "kib":
		shift = 10
	case "m", "mb", "mib":
		shift = 20
	case "g", "gb", "gib":
		shift = 30
	default:
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (valid units are k, M, G)", s, strings.TrimSpace(t[i:]))
	}
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return n << shift, nil
}

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
