package comments

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// seedWant is the seed read by eye: for each comment, its author, location,
// the first and last words of its body and the line of its header.
var seedWant = []struct {
	n           int
	author, loc string
	first, last string
	line        int
}{
	{1, "Kai", "Oatey", `"Huawei,`, `them.`, 4},
	{2, "Bill", "Midwest US", `Mr`, `deployment.`, 6},
	{3, "Mike L", "NY", `The`, `yourselves.`, 8},
	{4, "Don Q", "NYC", `Seems`, `point.`, 10},
	{5, "NDV", "West Coast", `The`, `period.`, 12},
	{6, "Ken Wood", "Boulder, Co", `@NDV`, `house.`, 14},
	{7, "Susanna", "Edmonton AB", `No`, `Europe`, 16},
	{8, "David Gallagher", "Maywood NJ", `The`, `blame.`, 18},
	{9, "Xylo", "Edmonton", `The`, `government.`, 20},
	{10, "herne", "NZ", `@Xylo`, `China?`, 22},
	{11, "Susanna", "Edmonton AB", `The`, `monitor`, 24},
	{12, "Erich Richter", "San Francisco CA", `No`, `guaranteed.`, 26},
	{13, "fleetingthought", "canada", `Yes,`, `Merkel.`, 28},
	{14, "ws", "köln", `@fleetingthought`, `learned.`, 30},
	{15, "TK Sung", "SF", `"Mr.`, `that.`, 32},
	{16, "Sunsikei", "Canada", `@TK`, `evidence.`, 34},
	{17, "talesofgenji", "Asia", `Re`, `Commission`, 36},
	{18, "Alex Chih", "Taiwan", `Could`, `“NO”.`, 38},
	{19, "tedc", "dfw", `Huawei`, `6G.`, 40},
	{20, "Stephen", "NYC", `"China`, `stretch.`, 42},
	{21, "Ed", "Small-town Ontario", `The`, `ever.`, 44},
	{22, "Erich Richter", "San Francisco CA", `@Ed`, `concern.`, 46},
	{23, "Rick Gage", "Mt Dora", `By`, `partner.`, 48},
	{24, "Herry", "NY", `What`, `mind.`, 50},
	{25, "Damhnaid", "Yvr", `I`, `competition.`, 52},
	{26, "William Verick", "Eureka, California", `Astoundingly`, `5G.`, 54},
	{27, "William", "Tbilisi, Georgia", `Two`, `credit`, 56},
	{28, "GS", "Berlin", `Huawei`, `them.`, 58},
	{29, "Scott", "Scottsdale,AZ", `@GS`, `it.`, 60},
	{30, "Gordon", "Oregon", `Why`, `alternative?`, 62},
	{31, "Herry", "NY", `@Gordon`, `right?`, 64},
	{32, "fleetingthought", "canada", `That`, `bribery.`, 66},
	{33, "Bonku", "Madison", `Huawei`, `Trump.`, 68},
	{34, "ChesBay", "Maryland", `There`, `tyrant(s.)`, 70},
	{35, "Herry", "NY", `@ChesBay`, `well.`, 72},
	{36, "Shaun Narine", "Fredericton, Canada", `There`, `rules.`, 74},
	{37, "Brian", "NJ", `@Shaun`, `Bejing?`, 76},
	{38, "rajko", "slovenija", `@Brian`, `nice`, 78},
	{39, "Brian", "NJ", `What's`, `anything.`, 80},
	{40, "Greg", "Lyon, France", `The`, `wall.`, 82},
	{41, "Nicholas", "Portland,OR", `When`, `amok.`, 84},
	{42, "Herry", "NY", `@Nicholas`, `dollar`, 86},
	{43, "Publius", "Princeton", `Managing`, `turn.`, 88},
	{44, "Bruce1253", "San Diego", `There`, `China.`, 90},
	{45, "Shaun Narine", "Fredericton, Canada", `@Bruce1253`, `stones.`, 92},
	{46, "HTL", "NJ", `@Bruce1253`, `question.`, 94},
	{47, "Herry", "NY", `Tesla's`, `automaker.`, 96},
	{48, "heinryk wüste", "nyc", `Europe`, `US.`, 98},
	{49, "Bruce1253", "San Diego", `@heinryk`, `not."`, 100},
	{50, "Herry", "NY", `@Bruce1253`, `be.`, 102},
}

// seedReplies are the seed's 15 replies: comment -> (parent, @name, depth).
var seedReplies = map[int]struct {
	parent int
	name   string
	depth  int
}{
	6: {5, "NDV", 1}, 10: {9, "Xylo", 1}, 14: {13, "fleetingthought", 1}, 16: {15, "TK Sung", 1},
	22: {21, "Ed", 1}, 29: {28, "GS", 1}, 31: {30, "Gordon", 1}, 35: {34, "ChesBay", 1},
	37: {36, "Shaun Narine", 1}, 38: {37, "Brian", 2}, 42: {41, "Nicholas", 1}, 45: {44, "Bruce1253", 1},
	46: {44, "Bruce1253", 1}, 49: {48, "heinryk wüste", 1}, 50: {49, "Bruce1253", 2},
}

// checkSeed checks the 50 comments of the seed (or its page variant).
func checkSeed(t *testing.T, file string, got []*Comment, lines bool) {
	t.Helper()
	if len(got) != len(seedWant) {
		t.Fatalf("got %d comments, want %d", len(got), len(seedWant))
	}
	replies := 0
	for i, w := range seedWant {
		c := got[i]
		words := strings.Fields(c.Text)
		if c.ID != fmt.Sprintf("c%d", w.n) || c.Author != w.author || c.Location != w.loc ||
			len(words) == 0 || words[0] != w.first || words[len(words)-1] != w.last {
			t.Errorf("comment %d: got %s %q (%q) %q...%q, want %q (%q) %q...%q", w.n, c.ID, c.Author, c.Location,
				words[0], words[len(words)-1], w.author, w.loc, w.first, w.last)
		}
		if strings.Contains(c.Text, "\n") {
			t.Errorf("comment %d: body has a line break", w.n)
		}
		if lines && c.Source != fmt.Sprintf("%s:%d", file, w.line) {
			t.Errorf("comment %d: source %s, want line %d", w.n, c.Source, w.line)
		}
		r, isReply := seedReplies[w.n]
		switch {
		case isReply:
			replies++
			if c.ParentID != fmt.Sprintf("c%d", r.parent) || c.ReplyTo != r.name || c.Depth != r.depth {
				t.Errorf("comment %d: reply to %q parent %q depth %d, want %q c%d %d", w.n, c.ReplyTo, c.ParentID, c.Depth, r.name, r.parent, r.depth)
			}
			if strings.HasPrefix(c.Body(), "@") || !strings.HasSuffix(c.Body(), w.last) {
				t.Errorf("comment %d: Body() %q keeps the @name", w.n, c.Body())
			}
		default:
			if c.ParentID != "" || c.ReplyTo != "" || c.Depth != 0 {
				t.Errorf("comment %d: top level, got reply to %q parent %q depth %d", w.n, c.ReplyTo, c.ParentID, c.Depth)
			}
		}
	}
	if replies != 15 {
		t.Errorf("%d replies, want 15", replies)
	}
}

func TestNYTSeed(t *testing.T) {
	got, warns, err := readAllStream(t, seedPath, mustRead(t, seedPath), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	checkSeed(t, seedPath, got, true)
	// the thread header
	s, _ := Open(seedPath, strings.NewReader(string(mustRead(t, seedPath))), Options{})
	if s.Format() != "nyt" {
		t.Errorf("format %q, want nyt", s.Format())
	}
	s.Read()
	th := s.Thread()
	want := Thread{Title: "Blocked in U.S., Huawei Touts ‘Shared Values’ to Compete in Europe",
		Date: time.Date(2019, 12, 27, 0, 0, 0, 0, time.UTC), Declared: 50}
	if th != want {
		t.Errorf("thread %+v, want %+v", th, want)
	}
}

func TestNYTPageFurniture(t *testing.T) {
	got, warns, err := readAllStream(t, pagePath, mustRead(t, pagePath), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	checkSeed(t, pagePath, got, false)
	seed, _, _ := readAllStream(t, seedPath, mustRead(t, seedPath), Options{})
	picks := map[int]bool{1: true, 12: true, 26: true, 36: true}
	for i, c := range got {
		n := i + 1
		if c.Text != seed[i].Text {
			t.Errorf("comment %d: body differs from the seed's:\n%q\n%q", n, c.Text, seed[i].Text)
		}
		// the variant gives comment n (n*37)%97 recommendations, none for every fifth
		wantRecs := n * 37 % 97
		if n%5 == 0 {
			wantRecs = 0
		}
		if c.Recommendations != wantRecs || c.EditorsPick != picks[n] {
			t.Errorf("comment %d: %d recommendations, pick %v; want %d, %v", n, c.Recommendations, c.EditorsPick, wantRecs, picks[n])
		}
		if n%3 != 0 && !c.Created.Equal(time.Date(2019, 12, 27, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("comment %d: created %v, want the page's Dec. 27, 2019", n, c.Created)
		}
	}
}

func TestNYTLayout(t *testing.T) {
	const top = "Title\n\nJan 2, 2020 · %d comments\n"
	tests := []struct {
		name  string
		in    string
		want  []Comment // Author, Location, Text, ReplyTo, ParentID, Recommendations, EditorsPick
		warns int
	}{
		{"body line ending in parentheses",
			fmt.Sprintf(top, 2) + "Ann (Oslo)\nWe must get rid of our own tyrant(s.)\nAnd of theirs (all of them)\nBo (Rome)\nNo.\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "We must get rid of our own tyrant(s.)\nAnd of theirs (all of them)"},
				{Author: "Bo", Location: "Rome", Text: "No."}}, 0},
		{"header-like last line of a body",
			fmt.Sprintf(top, 2) + "Ann (Oslo)\nFirst line.\nAgreed (mostly)\nBo (Rome)\nSecond.\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "First line.\nAgreed (mostly)"},
				{Author: "Bo", Location: "Rome", Text: "Second."}}, 0},
		{"a body that is a sentence with a parenthesis",
			fmt.Sprintf(top, 1) + "Ann (Oslo)\nFirst.\nI think this is the end of it (really)\nMore.\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "First.\nI think this is the end of it (really)\nMore."}}, 0},
		{"paragraphs kept",
			fmt.Sprintf(top, 1) + "Ann (Oslo)\nOne.\n\n\nTwo.\n\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "One.\n\nTwo."}}, 0},
		{"no title",
			"Ann (Oslo)\nHello there.\nBo (Rome)\n@Ann hi\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "Hello there."},
				{Author: "Bo", Location: "Rome", Text: "@Ann hi", ReplyTo: "Ann", ParentID: "c1", Depth: 1}}, 0},
		{"count mismatch warns",
			fmt.Sprintf(top, 3) + "Ann (Oslo)\nHello.\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "Hello."}}, 1},
		{"furniture kept on its comment",
			fmt.Sprintf(top, 2) + "Ann (Oslo)\nTimes Pick\n3h ago\nHello.\nRead more\n1,204 Recommend\nReply\n2 Replies\nShow 2 replies\n" +
				"Bo (Rome)\nDec. 27, 2019\nHi.\nRecommend\nShare\nFlag\n",
			[]Comment{{Author: "Ann", Location: "Oslo", Text: "Hello.", Recommendations: 1204, EditorsPick: true},
				{Author: "Bo", Location: "Rome", Text: "Hi.", Created: time.Date(2019, 12, 27, 0, 0, 0, 0, time.UTC)}}, 0},
		{"names with spaces and non-ASCII, longest wins",
			fmt.Sprintf(top, 4) + "TK (LA)\nOne.\nTK Sung (SF)\nTwo.\nheinryk wüste (nyc)\nThree.\nBo (Rome)\n@TK Sung yes, and @heinryk wüste too\n",
			[]Comment{{Author: "TK", Location: "LA", Text: "One."}, {Author: "TK Sung", Location: "SF", Text: "Two."},
				{Author: "heinryk wüste", Location: "nyc", Text: "Three."},
				{Author: "Bo", Location: "Rome", Text: "@TK Sung yes, and @heinryk wüste too", ReplyTo: "TK Sung", ParentID: "c2", Depth: 1}}, 0},
		{"unmatched @name kept without parent",
			fmt.Sprintf(top, 1) + "Bo (Rome)\n@Nobody: you are wrong.\n",
			[]Comment{{Author: "Bo", Location: "Rome", Text: "@Nobody: you are wrong.", ReplyTo: "Nobody"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warns, err := readAllStream(t, "t.txt", []byte(tt.in), Options{Format: "nyt"})
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) != tt.warns {
				t.Errorf("warnings %q, want %d", warns, tt.warns)
			}
			var want []*Comment
			for i := range tt.want {
				w := tt.want[i]
				w.ID = fmt.Sprintf("c%d", i+1)
				want = append(want, &w)
			}
			sameComments(t, got, want)
		})
	}
}

func TestNYTDetection(t *testing.T) {
	for _, path := range []string{seedPath, pagePath} {
		if f := Detect(mustRead(t, path), nil); f != "nyt" {
			t.Errorf("%s: detected %q, want nyt", path, f)
		}
	}
}

func TestNYTNoBody(t *testing.T) {
	in := "Title\n\nJan 2, 2020 · 2 comments\nAnn (Oslo)\nHello.\nBo (Rome)\n"
	s, err := Open("t.txt", strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Read()
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrNoText) || pe.Line != 6 || pe.Field != "text" || !pe.Skippable {
		t.Fatalf("got %v, want a skippable no-text error on line 6", err)
	}
}
