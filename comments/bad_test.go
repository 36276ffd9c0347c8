package comments

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestBadInput(t *testing.T) {
	tests := []struct {
		name      string
		opt       Options
		in        string
		is        error  // sentinel, if any
		msg       string // in the message
		line      int
		field     string
		skippable bool
		before    int // comments read before the error
	}{
		{"empty file", Options{}, "", ErrEmpty, "in: no comments: empty input", 0, "", false, 0},
		{"blank file", Options{}, "\n\n  \n", ErrEmpty, "no comments", 0, "", false, 0},
		{"title only", Options{}, "Blocked in U.S., Huawei Touts ‘Shared Values’\n\nDec 27, 2019 · 50 comments\n", ErrEmpty, "only a title", 3, "", false, 0},
		{"title only, nyt forced", Options{Format: "nyt"}, "Blocked in U.S.\n", ErrEmpty, "only a title", 1, "", false, 0},
		{"NUL bytes", Options{}, "Ann (Oslo)\nhello\x00\x01\x02\x00", ErrNotText, "in:2: not a text file", 2, "", false, 0},
		// past the first block, a NUL byte makes a bad record, not a binary file
		{"NUL bytes far in", Options{}, strings.Repeat("a line of text\n", 10000) + "\x00junk", ErrNUL, "in:10001:1: NUL byte in the record", 10001, "", true, 10000},
		{"mostly invalid UTF-8", Options{}, string(bytes.Repeat([]byte{0xff, 0xfe, 0x80, 'a'}, 100)), ErrNotText, "not a text file", 1, "", false, 0},
		{"truncated JSON line", Options{}, `{"text": "ok", "author": "Ann"}` + "\n" + `{"text": "cut he`, nil, `in:2:17: truncated JSON`, 2, "", true, 1},
		{"invalid JSON line", Options{}, `{"text": "ok"}` + "\n" + `{"text" "x"}` + "\n", nil, "in:2:9: invalid JSON", 2, "", true, 1},
		{"JSON text of wrong type", Options{}, `{"text": 12, "author": "Ann"}` + "\n", ErrBadType, "in:1: field text: wrong type: want string, got number", 1, "text", true, 0},
		{"JSON author of wrong type", Options{}, `{"commentBody": "x", "userDisplayName": ["Ann"]}` + "\n", ErrBadType, "field userDisplayName: wrong type: want string, got array", 1, "userDisplayName", true, 0},
		{"JSON recommendations not a number", Options{}, `{"text": "x", "recommendations": "many"}` + "\n", ErrBadType, `field recommendations: wrong type: want an integer, got "many"`, 1, "recommendations", true, 0},
		{"JSON line not an object", Options{}, `{"text": "x"}` + "\n[1,2]\n", ErrBadType, "in:2:1: wrong type: want a JSON object, got array", 2, "", true, 1},
		{"JSON record without text", Options{}, `{"text": "x"}` + "\n" + `{"author": "Ann"}` + "\n", ErrNoText, "in:2: field text: record has no text", 2, "text", true, 1},
		{"JSON blank text", Options{}, `{"body": "  "}` + "\n", ErrNoText, "in:1: field body: record has no text", 1, "body", true, 0},
		{"CSV wrong field count", Options{}, "text,author\nhello,Ann\nhi,Bo,extra\n", nil, "in:3:1: wrong number of fields: the header has 2", 3, "", true, 1},
		{"CSV no text column", Options{}, "author,location\nAnn,Oslo\n", ErrNoText, "in:1: field text", 1, "text", false, 0},
		{"CSV no text column, csv forced", Options{Format: "csv"}, "author,location\nAnn,Oslo\n", ErrNoText, "looked for text, body, comment or commentBody", 1, "text", false, 0},
		{"CSV row without text", Options{}, "text,author\n,Ann\n", ErrNoText, "in:2: field text", 2, "text", true, 0},
		{"NYT API truncated", Options{}, `{"results":{"comments":[{"commentBody":"a"},{"commentBody":"b`, nil, "truncated JSON", 1, "", false, 1},
		{"NYT API wrong type", Options{}, `{"results":{"comments":[{"commentBody":"a"},{"commentBody":true}]}}`, ErrBadType, "field commentBody: wrong type: want string, got boolean", 1, "commentBody", true, 1},
		{"NYT API no comments", Options{}, `{"status":"OK","results":{"totalCommentsFound":0}}`, ErrEmpty, "no comments array", 1, "comments", false, 0},
		{"NYT layout text before any header", Options{Format: "nyt"}, "Title\n\nDec 27, 2019 · 1 comments\nstray words here\nAnn (Oslo)\nHello.\n", nil, "in:4: field author: text outside any comment", 4, "author", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := readAllStream(t, "in", []byte(tt.in), tt.opt)
			if err == nil {
				t.Fatalf("no error, got %d comments", len(got))
			}
			if len(got) != tt.before {
				t.Errorf("%d comments before the error, want %d", len(got), tt.before)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Field != tt.field || pe.Skippable != tt.skippable || pe.File != "in" {
				t.Errorf("got line %d field %q skippable %v file %q; want %d %q %v", pe.Line, pe.Field, pe.Skippable, pe.File, tt.line, tt.field, tt.skippable)
			}
		})
	}
}

// TestSkipOn checks that after a skippable error the next Read continues
// with the next record.
func TestSkipOn(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		texts []string
		bad   int
	}{
		{"jsonl", `{"text":"a"}` + "\n" + `{"text":` + "\n" + `{"text":5}` + "\n" + `{"text":"d"}` + "\n", []string{"a", "d"}, 2},
		{"csv", "text,n\na,1\nb\nc,3\n,4\n", []string{"a", "c"}, 2},
		{"nytapi", `[{"commentBody":"a"},{"commentBody":5},"x",{"commentBody":"d"}]`, []string{"a", "d"}, 2},
		{"nyt", "Ann (Oslo)\nA.\nBo (Rome)\nCy (Nice)\nC.\n", []string{"A.\nBo (Rome)", "C."}, 0}, // of two header-like lines, the first ends a body
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open("in", strings.NewReader(tt.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			bad := 0
			for {
				c, err := s.Read()
				if err != nil {
					var pe *ParseError
					if errors.As(err, &pe) && pe.Skippable {
						bad++
						continue
					}
					if err != io.EOF {
						t.Fatal(err)
					}
					break
				}
				texts = append(texts, c.Text)
			}
			if strings.Join(texts, "|") != strings.Join(tt.texts, "|") || bad != tt.bad {
				t.Errorf("got %q with %d bad, want %q with %d", texts, bad, tt.texts, tt.bad)
			}
		})
	}
}

func TestTolerated(t *testing.T) {
	big := strings.Repeat("Huawei is a risk. ", 70000) + "End." // 1.2 MiB on one line
	tests := []struct {
		name  string
		in    string
		texts []string
		warn  string
	}{
		{"stray invalid UTF-8", "Ann (Oslo)\nK\xf6ln is nice\xff.\nBo (Rome)\nFine.\n", []string{"K\ufffdln is nice\ufffd.", "Fine."},
			"in: replaced 2 invalid UTF-8 bytes with U+FFFD (first on line 2)"},
		{"BOM, nyt", "\ufeffAnn (Oslo)\nHello.\n", []string{"Hello."}, ""},
		{"BOM, csv", "\ufefftext,author\nHello,Ann\n", []string{"Hello"}, ""},
		{"BOM, jsonl", "\ufeff" + `{"text":"Hello"}` + "\n", []string{"Hello"}, ""},
		{"CRLF nyt", "Title\r\n\r\nDec 27, 2019 · 2 comments\r\nAnn (Oslo)\r\nHello.\r\nBo (Rome)\r\n@Ann Hi.\r\n", []string{"Hello.", "@Ann Hi."}, ""},
		{"CRLF jsonl", `{"text":"a"}` + "\r\n" + `{"text":"b"}` + "\r\n", []string{"a", "b"}, ""},
		{"CRLF csv", "text\r\na\r\nb\r\n", []string{"a", "b"}, ""},
		{"CRLF lines", "a\r\nb\r\n", []string{"a", "b"}, ""},
		{"line over 1 MiB, nyt", "Ann (Oslo)\n" + big + "\nBo (Rome)\nShort.\n", []string{big, "Short."}, ""},
		{"line over 1 MiB, jsonl", `{"text":"` + big + `"}` + "\n" + `{"text":"b"}`, []string{big, "b"}, ""},
		{"line over 1 MiB, lines", big + "\nb", []string{big, "b"}, ""},
		{"line over 1 MiB, csv", "text,n\n" + big + ",1\nb,2\n", []string{big, "b"}, ""},
		{"no final newline", "Ann (Oslo)\nHello.", []string{"Hello."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := readAllStream(t, "in", []byte(tt.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, c := range got {
				texts = append(texts, c.Text)
			}
			if len(texts) != len(tt.texts) {
				t.Fatalf("got %d comments, want %d", len(texts), len(tt.texts))
			}
			for i := range texts {
				if texts[i] != tt.texts[i] {
					t.Errorf("comment %d: %.60q, want %.60q", i+1, texts[i], tt.texts[i])
				}
			}
			if w := strings.Join(warns, "; "); w != tt.warn {
				t.Errorf("warnings %q, want %q", w, tt.warn)
			}
		})
	}
}
