package classify

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokenize(t *testing.T) {
	neg := Options{Negation: true}
	tests := []struct {
		name string
		text string
		opt  Options
		want []string
	}{
		{"case folded", "Huawei BUILDS 5G Networks", Options{}, []string{"huawei", "builds", "5g", "networks"}},
		{"accents", "Café déjà-vu Ångström naïve SCHÖN Ελλάδα", Options{}, []string{"café", "déjà", "vu", "ångström", "naïve", "schön", "ελλάδα"}},
		{"combining mark stays in word", "cafe\u0301 ok", Options{}, []string{"cafe\u0301", "ok"}},
		{"digits", "In 2019, 5G cost $3.5bn", Options{}, []string{"in", "2019", "5g", "cost", "3", "5bn"}},
		{"contractions", "Don't you think it's the EU's problem? They'd say 'no'.", Options{}, []string{"don't", "you", "think", "it's", "the", "eu's", "problem", "they'd", "say", "no"}},
		{"curly apostrophe", "That’s their problem, isn‘t it", Options{}, []string{"that's", "their", "problem", "isn't", "it"}},
		{"trailing apostrophe dropped", "the students' view", Options{}, []string{"the", "students", "view"}},
		{"urls", "See https://www.nytimes.com/2019/12/27/huawei.html?x=1 and www.example.org/a or ftp://x.y now", Options{}, []string{"see", "and", "or", "now"}},
		{"email", "Mail john.doe@example.com or me@x.org.", Options{}, []string{"mail", "or"}},
		{"mentions", "@Jane Doe you are right, @bob_2 too", Options{}, []string{"doe", "you", "are", "right", "too"}},
		{"lone at", "meet @ noon", Options{}, []string{"meet", "noon"}},
		{"html tags", "One<br/>two <a href=\"http://x.com\">link</a> <p>three</p>", Options{}, []string{"one", "two", "link", "three"}},
		{"html entities", "AT&amp;T &quot;spies&quot; don&#39;t isn&#x27;t we&rsquo;re caf&eacute; &#233;t&#233; &nbsp;x &bogus; a&b", Options{}, []string{"at", "t", "spies", "don't", "isn't", "we're", "café", "été", "x", "a", "b"}},
		{"less than is not a tag", "a < b and 3<4", Options{}, []string{"a", "b", "and", "3", "4"}},
		{"emoji and symbols separate", "good👍bad — ok…fine", Options{}, []string{"good", "bad", "ok", "fine"}},
		{"negation scope", "I do not trust China, but Huawei is fine. Never again!", neg, []string{"i", "do", "not", "not_trust", "not_china", "but", "huawei", "is", "fine", "never", "not_again"}},
		{"negation n't", "They don't spy on us; we can't know", neg, []string{"they", "don't", "not_spy", "not_on", "not_us", "we", "can't", "not_know"}},
		{"negation ends at line break", "no proof\nat all", neg, []string{"no", "not_proof", "at", "all"}},
		{"negation without apostrophe", "dont trust them", neg, []string{"dont", "not_trust", "not_them"}},
		{"negation ends at carriage return", "no proof\rat all", neg, []string{"no", "not_proof", "at", "all"}},
		{"standalone n't negates", "they do n't spy", neg, []string{"they", "do", "n't", "not_spy"}},
		{"spacing combining marks stay in word", "हिन्दी भाषा", Options{}, []string{"हिन्दी", "भाषा"}},
		{"stopwords", "The EU is not a fool, and it will be fine", Options{Stopwords: true}, []string{"eu", "not", "fool", "fine"}},
		{"stopwords with negation", "not the best", Options{Stopwords: true, Negation: true}, []string{"not", "not_best"}},
		{"bigrams", "Huawei is cheap. Really cheap", Options{Bigrams: true}, []string{"huawei", "is", "huawei is", "cheap", "is cheap", "really", "cheap", "really cheap"}},
		{"bigrams with negation", "not good", Options{Bigrams: true, Negation: true}, []string{"not", "not_good", "not not_good"}},
		{"empty", "", Options{}, nil},
		{"only punctuation", "... !!! ???", Options{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokenize(tt.text, tt.opt)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokenize(%q) =\n%q\nwant\n%q", tt.text, got, tt.want)
			}
		})
	}
}

func TestStopwordsKeepOpinionWords(t *testing.T) {
	sw := Stopwords()
	for _, w := range []string{"not", "no", "never", "but", "against", "for", "should", "very"} {
		if slices.Contains(sw, w) {
			t.Errorf("stopword list contains opinion word %q", w)
		}
	}
	if !slices.IsSorted(sw) {
		t.Error("stopword list is not sorted")
	}
	sw[0] = "changed"
	if Stopwords()[0] == "changed" {
		t.Error("Stopwords returns the package's own slice")
	}
}

// TestTokenizerReuse checks that a reused tokenizer gives the same tokens as
// a fresh one on every seed comment, and that no token is empty or
// contains upper case or spaces (outside bigrams).
func TestTokenizerReuse(t *testing.T) {
	opt := Options{Negation: true}
	tk := NewTokenizer(opt)
	for _, body := range seedBodies(t) {
		tk.Tokenize(body)
		got := tk.Tokens()
		if want := Tokenize(body, opt); !slices.Equal(got, want) {
			t.Fatalf("reused tokenizer differs on %q", body)
		}
		if len(got) < 10 {
			t.Errorf("only %d tokens in %q", len(got), body)
		}
		for _, tok := range got {
			if tok == "" || strings.ContainsAny(tok, " \t\n") || strings.ToLower(tok) != tok || !utf8.ValidString(tok) {
				t.Errorf("bad token %q in %q", tok, body)
			}
		}
	}
}

// TestTokenizeAllocs proves that tokenizing allocates nothing per token
// once the arena has grown, for a short and a 50 times longer text.
func TestTokenizeAllocs(t *testing.T) {
	bodies := seedBodies(t)
	long := strings.Repeat(bodies[0]+" ", 50)
	for _, opt := range []Options{{}, {Negation: true, Bigrams: true, Stopwords: true}} {
		tk := NewTokenizer(opt)
		tk.Tokenize(long)
		for _, text := range []string{bodies[0], long} {
			if a := testing.AllocsPerRun(20, func() { tk.Tokenize(text) }); a != 0 {
				t.Errorf("%v: %.1f allocations tokenizing %d bytes", opt, a, len(text))
			}
		}
	}
}
