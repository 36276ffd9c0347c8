package classify

// The reference tokenizer of the differential tests (tokenize_diff_test.go):
// the rules of the [Tokenizer] doc comment written out plainly, one
// character at a time, with strings and unicode only. It shares no code
// with the tokenizer (no arena, no word-wide arithmetic, no hashed sets,
// no production helper): a bug in those shows up as a difference. It is
// slow and allocates; that is the point.
//
// Where the doc comment is silent, the reference spells out what stance
// does and says so: the clause marks 。 ¿ ¡, the named entities decoded,
// the 1024-byte limit on a tag, the chunk ends of a URL.

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// refToken is a token of the reference: its text and, for a bigram, the
// index of the token of its first word (its second word is the token just
// before it); -1 for a word.
type refToken struct {
	text  string
	first int
}

// refTokenize returns the tokens of text with the token options of opt.
func refTokenize(text string, opt Options) []refToken {
	if len(text) > MaxTokenizeBytes {
		text = text[:max(strings.LastIndexAny(text[:MaxTokenizeBytes], " \t\n"), 0)]
	}
	return refApplyOptions(refWords(text), opt)
}

// refWords splits text into lower-case words, with "" for the end of a
// clause, dropping URLs, e-mail addresses, mentions, tags and entities.
func refWords(text string) []string {
	var items []string
	chunk := 0 // len(items) where the current space-delimited chunk began
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case refIsSpace(r):
			if refIsLineBreak(r) {
				items = append(items, "")
			}
			i += size
			chunk = len(items)
		case refEndsClause(r):
			items = append(items, "")
			i += size
		case r == '<' && refTagEnd(text, i) > i:
			i = refTagEnd(text, i)
		case r == '@': // a mention, or a lone @
			i += size
			for i < len(text) {
				r, size := utf8.DecodeRuneInString(text[i:])
				if !refIsWordRune(r) && r != '_' {
					break
				}
				i += size
			}
		case refIsWordRune(r) || r == '&' && refIsWordRune(refEntityAt(text, i)):
			word, end, url := refWord(text, i)
			if url {
				items = items[:chunk] // the whole chunk is a URL or address
			} else if word != "" {
				items = append(items, word)
			}
			i = end
		case r == '&' && refEntityEnd(text, i) > i:
			if refEntityAt(text, i) == '…' {
				items = append(items, "")
			}
			i = refEntityEnd(text, i)
		default: // punctuation, symbols, emoji, a bad byte: a separator
			i += size
		}
	}
	return items
}

// refWord reads the word at text[i] and returns it lower-cased, the index
// after it, and whether it turned out to be part of a URL or an e-mail
// address (then the index is the end of the chunk).
func refWord(text string, i int) (string, int, bool) {
	if strings.EqualFold(text[i:min(i+4, len(text))], "www.") {
		return "", refChunkEnd(text, i), false
	}
	var w strings.Builder
	for i < len(text) {
		r, end := refCharAt(text, i)
		next, _ := utf8.DecodeRuneInString(text[end:])
		switch {
		case refIsWordRune(r):
			w.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’' || r == '‘':
			// An apostrophe stays between a letter and a letter.
			if !strings.ContainsFunc(w.String(), unicode.IsLetter) || !unicode.IsLetter(next) {
				return w.String(), i, false
			}
			w.WriteByte('\'')
		case text[i] == '@' && refIsWordRune(next), text[i] == ':' && strings.HasPrefix(text[end:], "//"):
			return "", refChunkEnd(text, i), true
		default:
			return w.String(), i, false
		}
		i = end
	}
	return w.String(), i, false
}

// refCharAt returns the character at text[i], an HTML entity decoded, and
// the index after it.
func refCharAt(text string, i int) (rune, int) {
	if end := refEntityEnd(text, i); end > i {
		return refEntityAt(text, i), end
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	return r, i + size
}

// refEntityEnd returns the index after the HTML entity at text[i], or i
// when there is none: "&#" and 1 to 8 decimal digits, "&#x" or "&#X" and
// 1 to 8 hex digits, or "&" and 1 to 10 ASCII letters and digits, then ";".
func refEntityEnd(text string, i int) int {
	if !strings.HasPrefix(text[i:], "&") {
		return i
	}
	// The longest body, "#x" and 8 digits or a name of 10, fits in 11 bytes.
	body, _, ok := strings.Cut(text[i+1:min(len(text), i+12)], ";")
	if !ok {
		return i
	}
	name, digits, most := body, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 10
	switch {
	case strings.HasPrefix(body, "#x") || strings.HasPrefix(body, "#X"):
		name, digits, most = body[2:], "0123456789abcdefABCDEF", 8
	case strings.HasPrefix(body, "#"):
		name, digits, most = body[1:], "0123456789", 8
	}
	if name == "" || len(name) > most || strings.Trim(name, digits) != "" {
		return i
	}
	return i + 1 + len(body) + 1
}

// refEntityAt returns the character of the HTML entity at text[i]: the
// letters and apostrophes it stands for (’ and ‘ as '), '…', and -1 for
// any other (dropped), or for none.
func refEntityAt(text string, i int) rune {
	end := refEntityEnd(text, i)
	if end == i {
		return -1
	}
	body := text[i+1 : end-1]
	var r rune = -1
	if body[0] == '#' {
		base, digits := 10, body[1:]
		if digits[0] == 'x' || digits[0] == 'X' {
			base, digits = 16, digits[1:]
		}
		v := 0
		for _, c := range strings.ToLower(digits) {
			v = v*base + strings.IndexRune("0123456789abcdef", c)
		}
		if v <= unicode.MaxRune {
			r = rune(v)
		}
	} else if named, ok := map[string]rune{
		"apos": '\'', "rsquo": '\'', "lsquo": '\'', "hellip": '…',
		"eacute": 'é', "egrave": 'è', "aacute": 'á', "agrave": 'à', "iacute": 'í',
		"oacute": 'ó', "uacute": 'ú', "ntilde": 'ñ', "ccedil": 'ç', "uuml": 'ü',
		"ouml": 'ö', "auml": 'ä', "szlig": 'ß',
	}[strings.ToLower(body)]; ok {
		r = named
	}
	if r == '’' || r == '‘' {
		r = '\''
	}
	return r
}

// refTagEnd returns the index after the HTML tag at text[i] ('<' then '/',
// '!' or an ASCII letter, up to a '>' within 1024 bytes and before any
// other '<'), or i when there is none.
func refTagEnd(text string, i int) int {
	const opens = "/!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if i+1 >= len(text) || !strings.ContainsRune(opens, rune(text[i+1])) {
		return i
	}
	rest := text[i+1 : min(len(text), i+1024)]
	gt := strings.IndexByte(rest, '>')
	if gt < 0 || strings.Contains(rest[:gt], "<") {
		return i
	}
	return i + 1 + gt + 1
}

// refChunkEnd returns the index of the next space, quote or angle bracket
// from text[i], where a URL or an e-mail address ends.
func refChunkEnd(text string, i int) int {
	if j := strings.IndexAny(text[i:], " \t\r\n\v\f\"<>"); j >= 0 {
		return i + j
	}
	return len(text)
}

// refIsWordRune reports whether r belongs in a word: a letter, a digit
// or a combining mark.
func refIsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// refIsSpace reports whether r separates chunks (URLs, e-mail addresses).
func refIsSpace(r rune) bool { return strings.ContainsRune(" \t\r\n\v\f", r) }

func refIsLineBreak(r rune) bool { return strings.ContainsRune("\n\r\u2028\u2029", r) }

// refEndsClause reports whether r ends a negation scope and a bigram chain.
func refEndsClause(r rune) bool {
	return refIsLineBreak(r) || strings.ContainsRune(".,;:!?…。¿¡", r)
}

// refNegations are the words that open a negation scope, besides every
// word ending in "n't".
var refNegations = []string{
	"not", "no", "never", "cannot", "nothing", "nobody", "none", "nowhere",
	"neither", "nor", "without", "dont", "doesnt", "didnt", "isnt", "arent",
	"wasnt", "werent", "cant", "couldnt", "wont", "wouldnt", "shouldnt",
	"hasnt", "havent", "hadnt", "aint", "mustnt", "neednt",
}

// refApplyOptions turns the words (and clause ends, "") into tokens:
// negation marking, stopwords and bigrams.
func refApplyOptions(items []string, opt Options) []refToken {
	var out []refToken
	negated, prev := false, -1 // in this clause: after a negation word; index of the last word kept
	for _, w := range items {
		if w == "" {
			negated, prev = false, -1
			continue
		}
		isNeg := opt.Negation && (strings.HasSuffix(w, "n't") || slices.Contains(refNegations, w))
		if opt.Stopwords && !isNeg && slices.Contains(Stopwords(), w) {
			continue
		}
		if negated && !isNeg {
			w = NegationPrefix + w // a negation word in the scope stays as it is
		}
		out = append(out, refToken{w, -1})
		word := len(out) - 1
		if opt.Bigrams && prev >= 0 {
			out = append(out, refToken{out[prev].text + " " + w, prev})
		}
		prev = word
		negated = negated || isNeg
	}
	return out
}

// refHash is the token hash as documented: the bytes read as
// little-endian 8-byte words, the last one padded with zeros, each mixed
// in turn, then the length.
func refHash(s string) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < len(s); i += 8 {
		var w uint64
		for j := min(i+8, len(s)) - 1; j >= i; j-- {
			w = w<<8 | uint64(s[j])
		}
		h = (h ^ w) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	h = (h ^ uint64(len(s))) * 0x94d049bb133111eb
	return h ^ h>>32
}
