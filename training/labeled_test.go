package training

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/stance-dev/stance/classify"
	"github.com/stance-dev/stance/comments"
)

func readSeed(t testing.TB) []Doc {
	t.Helper()
	f, err := os.Open("default/seed-labels.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := ReadDocs(seedLabelsName, f)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestSeedLabels(t *testing.T) {
	docs := readSeed(t)
	if len(docs) != 50 {
		t.Fatalf("%d seed docs, want 50", len(docs))
	}
	// The texts are the seed thread's bodies, in order.
	seed, err := os.ReadFile("../testdata/nyt-huawei-shared-values-2019-12-27.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(seed), "\n")
	var bodies []string
	for i := 4; i < len(lines); i += 2 {
		if strings.TrimSpace(lines[i]) != "" {
			bodies = append(bodies, lines[i])
		}
	}
	if len(bodies) != 50 {
		t.Fatalf("seed thread has %d bodies", len(bodies))
	}
	tax := DefaultTaxonomy()
	if _, err := ApplyTaxonomy(docs, tax, false); err != nil {
		t.Fatal(err)
	}
	stances := map[string]bool{"for": true, "against": true, "neutral": true}
	for i, d := range docs {
		if d.Text != bodies[i] {
			t.Errorf("doc %d text differs from the seed body", i+1)
		}
		if !stances[d.Stance] || len(d.Labels) > 2 {
			t.Errorf("doc %d: stance %q labels %v", i+1, d.Stance, d.Labels)
		}
	}
}

func TestReadFormats(t *testing.T) {
	want := []Doc{
		{Text: "no proof at all", Labels: []string{"no-evidence"}},
		{Text: "trade war, plain and simple", Labels: []string{"us-protectionism", "snowden-hypocrisy"}, Stance: "for"},
	}
	inputs := map[string]string{
		FormatJSONL: "{\"text\":\"no proof at all\",\"label\":\"no-evidence\",\"author\":\"x\",\"recommendations\":3}\n\n" +
			"{\"text\":\"trade war, plain and simple\",\"labels\":[\"us-protectionism\",\"snowden-hypocrisy\"],\"stance\":\"for\"}\n",
		FormatCSV:      "\ufeffid,Text,label,stance\n1,no proof at all,no-evidence,\n2,\"trade war, plain and simple\",us-protectionism|snowden-hypocrisy,for\n",
		FormatTSV:      "sentence\tlabel\tstance\nno proof at all\tno-evidence\t\ntrade war, plain and simple\tus-protectionism|snowden-hypocrisy\tfor\n",
		FormatFastText: "__label__no-evidence no proof at all\n__label__us-protectionism __label__snowden-hypocrisy trade war, plain and simple\n",
	}
	for format, in := range inputs {
		if got := DetectFormat([]byte(in)); got != format {
			t.Errorf("DetectFormat(%s) = %s", format, got)
		}
		docs, err := ReadDocs("in", strings.NewReader(in))
		if err != nil {
			t.Errorf("%s: %v", format, err)
			continue
		}
		if len(docs) != 2 {
			t.Fatalf("%s: %d docs", format, len(docs))
		}
		for i, d := range docs {
			w := want[i]
			if format == FormatFastText {
				w.Stance = ""
			}
			if d.Text != w.Text || !slices.Equal(d.Labels, w.Labels) || d.Stance != w.Stance {
				t.Errorf("%s doc %d = %+v, want %+v", format, i, d, w)
			}
		}
	}
}

func TestLabeledErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"jsonl no label", "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"b\"}\n", "bad.txt:2: field label: no label"},
		{"jsonl no text", "{\"text\":\"a\",\"label\":\"x\"}\n\n{\"label\":\"y\"}\n", "bad.txt:3: field text: record has no text"},
		{"jsonl bad json", "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\n", "bad.txt:2:9: truncated JSON"},
		{"jsonl label type", "{\"text\":\"a\",\"label\":3}\n", "bad.txt:1: field label: want a string, got 3"},
		{"jsonl labels type", "{\"text\":\"a\",\"labels\":[1]}\n", "bad.txt:1: field labels: want an array of strings, got [1]"},
		{"jsonl label mismatch", "{\"text\":\"a\",\"label\":\"x\",\"labels\":[\"y\"]}\n", "bad.txt:1: field labels: first label \"y\" differs from label \"x\""},
		{"csv no label column", "text,lab\na,b\n", "bad.txt:1: field label: no label column"},
		{"csv no text column", "body_txt,label\na,b\n", "bad.txt:1: field text: no text column"},
		{"csv empty label", "text,label\na,b\n\"multi\nline\",\n", "bad.txt:3: field label: no label"},
		{"csv quote", "text,label\na,b\n\"a\"x,b\n", "bad.txt:3:3: extraneous or missing \" in quoted-field"},
		{"jsonl bad comment field", "{\"text\":\"a\",\"label\":\"x\",\"recommendations\":\"many\"}\n", "bad.txt:1: field recommendations: "},
		{"csv sentence column", "sentence,lab\na,b\n", "bad.txt:1: field label: no label column"},
		{"fasttext no text", "__label__a hello\n__label__b\n", "bad.txt:2: field text: record has no text"},
		{"fasttext empty label", "__label__a hello\n__label__ b\n", "bad.txt:2: field label: empty label"},
		{"binary", "\x00\x01\x02", "bad.txt:1: not a text file: NUL byte"},
		{"empty", "", "bad.txt: no labeled documents"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadDocs("bad.txt", strings.NewReader(c.in))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v, want prefix %q", err, c.want)
			}
		})
	}
}

// A record without text is ErrNoText whatever the format.
func TestNoTextSentinel(t *testing.T) {
	for _, in := range []string{"{\"text\":\"a\",\"label\":\"x\"}\n{\"label\":\"y\"}\n", "__label__a hello\n__label__b\n", "text,label\na,x\n,y\n"} {
		_, err := ReadDocs("t", strings.NewReader(in))
		if !errors.Is(err, ErrNoText) || !errors.Is(err, comments.ErrNoText) {
			t.Errorf("%q: %v, want ErrNoText", in, err)
		}
	}
}

func TestApplyTaxonomy(t *testing.T) {
	docs, err := ReadDocs("l.jsonl", strings.NewReader("{\"text\":\"a\",\"label\":\"no-evidence\"}\n{\"text\":\"b\",\"labels\":[\"other\",\"cats\"]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	tax := DefaultTaxonomy()
	_, err = ApplyTaxonomy(docs, tax, false)
	if err == nil || !strings.HasPrefix(err.Error(), `l.jsonl:2: field label: unknown label "cats": not in the taxonomy`) {
		t.Fatalf("error %v", err)
	}
	var te *Error
	if !errors.As(err, &te) || te.Line != 2 {
		t.Errorf("error %#v", err)
	}
	added, err := ApplyTaxonomy(docs, tax, true)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(added.Arguments); n != len(tax.Arguments)+1 || added.Arguments[n-1].ID != "cats" {
		t.Errorf("added %+v", added.Arguments)
	}
	if len(tax.Arguments) != 8 {
		t.Errorf("ApplyTaxonomy changed its input")
	}
	if got := Classes(docs, nil); !slices.Equal(got, []string{"cats", "no-evidence", "other"}) {
		t.Errorf("Classes without taxonomy = %v", got)
	}
	var nilTax *classify.Taxonomy
	if got, err := ApplyTaxonomy(docs, nilTax, false); got != nil || err != nil {
		t.Errorf("nil taxonomy: %v %v", got, err)
	}
}

// checkReadErr fails unless err is a typed error of the labeled-data
// readers: a *Error or a *comments.ParseError naming the input and a line,
// or, for a fault of the whole input, naming the input and wrapping one of
// the sentinels of such faults.
func checkReadErr(t *testing.T, name string, err error) {
	t.Helper()
	var te *Error
	var pe *comments.ParseError
	file, line := "", 0
	switch {
	case errors.As(err, &te):
		file, line = te.File, te.Line
	case errors.As(err, &pe):
		file, line = pe.File, pe.Line
	default:
		t.Fatalf("error %T is neither *training.Error nor *comments.ParseError: %v", err, err)
	}
	if file != name {
		t.Fatalf("error names file %q, want %q: %v", file, name, err)
	}
	whole := errors.Is(err, ErrNoDocs) || errors.Is(err, ErrNotText) || errors.Is(err, comments.ErrTruncated)
	if line < 1 && !whole {
		t.Fatalf("error without a line: %v", err)
	}
}

// checkDocs fails if a document read from input name is not valid.
func checkDocs(t *testing.T, name string, docs []Doc) {
	t.Helper()
	for _, d := range docs {
		if len(d.Labels) == 0 || strings.TrimSpace(d.Text) == "" || d.Line < 1 || d.File != name {
			t.Fatalf("bad doc accepted: %+v", d)
		}
		if checkLabels(d.Labels) != nil {
			t.Fatalf("bad labels accepted: %q", d.Labels)
		}
		if d.Retract && d.ID == "" {
			t.Fatalf("retraction without an ID: %+v", d)
		}
	}
}

func fuzzReader(f *testing.F, read func(string, io.Reader) ([]Doc, error), seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		docs, err := read("f", strings.NewReader(in))
		if err != nil {
			checkReadErr(t, "f", err)
			return
		}
		checkDocs(t, "f", docs)
	})
}

func FuzzJSONL(f *testing.F) {
	seed, _ := os.ReadFile("default/seed-labels.jsonl")
	fuzzReader(f, ReadJSONL,
		string(seed[:2000]), "{\"text\":\"a\",\"labels\":[\"x\",\"y\"],\"stance\":\"for\"}\n{\"text\":\"b\",\"label\":\"z\"}")
}

func FuzzCSV(f *testing.F) {
	fuzzReader(f, func(name string, r io.Reader) ([]Doc, error) { return ReadCSV(name, r, ',') },
		"text,label,stance\n\"a, b\",x|y,for\nc,z,\n", "id,body,class\n1,\"multi\nline\",a\n")
}

func FuzzTSV(f *testing.F) {
	fuzzReader(f, func(name string, r io.Reader) ([]Doc, error) { return ReadCSV(name, r, '\t') },
		"text\tlabel\na \"b\"\tx\n", "sentence\tlabels\tstance\nhello\tx|y\tfor\n")
}

func FuzzFastText(f *testing.F) {
	fuzzReader(f, ReadFastText,
		"__label__a __label__b some text\n\n__label__c more , text\n", "text first __label__x\n")
}

// One stray Latin-1 byte is not binary junk: the file is read, and the
// record keeps its line.
func TestReadDocsStrayInvalidByte(t *testing.T) {
	src := "{\"text\":\"a\",\"label\":\"a\"}\n{\"text\":\"caf\xe9 au lait\",\"label\":\"b\"}\n"
	docs, err := ReadDocs("l.jsonl", strings.NewReader(src))
	if err != nil {
		t.Fatalf("stray invalid byte rejected the file: %v", err)
	}
	if len(docs) != 2 || !strings.Contains(docs[1].Text, "au lait") || docs[1].Label() != "b" {
		t.Fatalf("docs = %+v", docs)
	}
	junk := strings.Repeat("\xff\xfe\xfa", 100)
	if _, err := ReadDocs("junk.txt", strings.NewReader(junk)); !errors.Is(err, ErrNotText) {
		t.Fatalf("mostly invalid UTF-8: err = %v, want ErrNotText", err)
	}
}

// labelFile writes docs as a labels file of `stance label` (records with an
// id and a timestamp), with extra lines appended.
func labelFile(t testing.TB, docs []Doc, extra ...string) string {
	t.Helper()
	var b strings.Builder
	for i, d := range docs {
		rec, err := json.Marshal(map[string]any{"id": fmt.Sprintf("c%d", i+1), "text": d.Text, "label": d.Label(),
			"labels": d.Labels, "stance": d.Stance, "timestamp": "2026-12-04T18:00:00Z"})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(rec)
		b.WriteByte('\n')
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// A labels file with a retraction and a relabel trains the same model as
// the file without the retracted records, and the streaming reader yields
// the withdrawn documents as retractions, at the retraction's line.
func TestRetractions(t *testing.T) {
	seed := readSeed(t)
	relabeled := seed[11]
	relabeled.Labels = []string{"no-evidence"}
	src := labelFile(t, seed,
		`{"id":"c7","timestamp":"2026-12-04T18:01:00Z","retract":true}`,
		fmt.Sprintf(`{"id":"c12","text":%q,"label":"no-evidence","stance":%q,"timestamp":"2026-12-04T18:02:00Z"}`, relabeled.Text, relabeled.Stance))
	var want []Doc
	for i, d := range seed {
		if i != 6 && i != 11 {
			want = append(want, d)
		}
	}
	want = append(want, relabeled)
	plain := labelFile(t, want)

	got, err := ReadDocs("labels.jsonl", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d docs, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Text != want[i].Text || !slices.Equal(got[i].Labels, want[i].Labels) || got[i].Stance != want[i].Stance {
			t.Fatalf("doc %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if last := got[len(got)-1]; last.Line != 52 || last.ID != "c12" || last.File != "labels.jsonl" {
		t.Errorf("relabel at %s:%d id %q, want labels.jsonl:52 c12", last.File, last.Line, last.ID)
	}
	wantDocs, err := ReadDocs("plain.jsonl", strings.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	m1, err := Train(got, cfg)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Train(wantDocs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m1.Hash() != m2.Hash() {
		t.Errorf("model with retractions %s, without the retracted records %s", m1.ID(), m2.ID())
	}

	// The stream: 50 documents, the retraction of c7 at line 51, the
	// retraction of c12's first label at line 52, then its new label.
	dr, err := NewDocReader("labels.jsonl", strings.NewReader(src), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var stream []Doc
	for {
		d, err := dr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		stream = append(stream, d)
	}
	if len(stream) != 53 {
		t.Fatalf("%d stream items, want 53", len(stream))
	}
	for i, d := range stream[:50] {
		if d.Retract || d.Line != i+1 || d.ID != fmt.Sprintf("c%d", i+1) || d.Text != seed[i].Text {
			t.Fatalf("item %d = %+v", i, d)
		}
	}
	r7, r12, n12 := stream[50], stream[51], stream[52]
	if !r7.Retract || r7.ID != "c7" || r7.Line != 51 || r7.Text != seed[6].Text || !slices.Equal(r7.Labels, seed[6].Labels) {
		t.Errorf("retraction of c7 = %+v", r7)
	}
	if !r12.Retract || r12.ID != "c12" || r12.Line != 52 || !slices.Equal(r12.Labels, seed[11].Labels) || r12.Stance != seed[11].Stance {
		t.Errorf("retraction of c12's first label = %+v", r12)
	}
	if n12.Retract || n12.ID != "c12" || n12.Line != 52 || !slices.Equal(n12.Labels, relabeled.Labels) {
		t.Errorf("c12's new label = %+v", n12)
	}
	// Counting as a streaming trainer does (add, subtract a retraction)
	// gives the counts of the resolved documents.
	count := map[string]int{}
	for _, d := range stream {
		for _, l := range d.Labels {
			if d.Retract {
				count[l]--
			} else {
				count[l]++
			}
		}
	}
	for _, d := range want {
		for _, l := range d.Labels {
			count[l]--
		}
	}
	for l, n := range count {
		if n != 0 {
			t.Errorf("label %s: streamed count differs by %d", l, n)
		}
	}
}

// Records with the same id but no timestamp are not label records: both
// are kept, as before.
func TestSameIDWithoutTimestamp(t *testing.T) {
	docs, err := ReadDocs("d.jsonl", strings.NewReader("{\"id\":\"1\",\"text\":\"a\",\"label\":\"x\"}\n{\"id\":\"1\",\"text\":\"b\",\"label\":\"y\"}\n"))
	if err != nil || len(docs) != 2 {
		t.Fatalf("docs %+v, %v", docs, err)
	}
	// A file whose labels are all retracted has no documents.
	_, err = ReadDocs("r.jsonl", strings.NewReader("{\"id\":\"1\",\"text\":\"a\",\"label\":\"x\",\"timestamp\":\"t\"}\n{\"id\":\"1\",\"retract\":true}\n"))
	if !errors.Is(err, ErrNoDocs) {
		t.Errorf("all retracted: %v, want ErrNoDocs", err)
	}
	// A retraction of an id without a label record in force (here: no
	// timestamp) is a bad record.
	_, err = ReadDocs("r.jsonl", strings.NewReader("{\"id\":\"1\",\"text\":\"a\",\"label\":\"x\"}\n{\"id\":\"1\",\"retract\":true}\n"))
	var te *Error
	if !errors.As(err, &te) || te.Line != 2 || te.Field != "id" {
		t.Errorf("retraction of nothing: %v, want an error at r.jsonl:2, field id", err)
	}
	// A retraction record may carry the text; a record of the same id that
	// is not a label record is not retracted.
	docs, err = ReadDocs("r.jsonl", strings.NewReader("{\"id\":\"1\",\"text\":\"a\",\"label\":\"x\",\"timestamp\":\"t\"}\n"+
		"{\"id\":\"1\",\"text\":\"b\",\"label\":\"y\"}\n{\"id\":\"1\",\"text\":\"a\",\"retract\":true}\n"))
	if err != nil || len(docs) != 1 || docs[0].Text != "b" {
		t.Errorf("retraction with a text: %+v, %v", docs, err)
	}
}

// FuzzDocReader reads any bytes (compressed or not, any format) as a
// stream, skipping every bad record: it must end, with typed errors only,
// count what it skips, and agree with ReadDocs.
func FuzzDocReader(f *testing.F) {
	seed, _ := os.ReadFile("default/seed-labels.jsonl")
	f.Add(seed[:3000])
	f.Add([]byte("{\"id\":\"c1\",\"text\":\"a b\",\"label\":\"x\",\"timestamp\":\"t\"}\n{\"id\":\"c1\",\"retract\":true}\n{\"id\":\"c2\",\"text\":\"c\",\"label\":\"y\",\"timestamp\":\"t\"}\n"))
	f.Add([]byte("__label__a some text\n__label__b\n__label__c more\n"))
	f.Add([]byte("text,label\n\"a, b\",x\n\"a\"x,b\nc,\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		skips := 0
		opt := ReadOptions{MaxRecord: 1 << 10, Skip: func(err error) bool {
			checkReadErr(t, "f", err)
			skips++
			return true
		}}
		dr, err := NewDocReader("f", bytes.NewReader(in), opt)
		if err != nil {
			checkReadErr(t, "f", err)
			return
		}
		var stream []Doc
		for i := 0; ; i++ {
			if i > len(in)+1 {
				t.Fatalf("more items (%d) than bytes", i)
			}
			d, err := dr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				checkReadErr(t, "f", err)
				if _, again := dr.Next(); again != err {
					t.Fatalf("error not sticky: %v, then %v", err, again)
				}
				break
			}
			stream = append(stream, d)
		}
		checkDocs(t, "f", stream)
		if dr.Skipped() != skips {
			t.Fatalf("Skipped() = %d, Skip called %d times", dr.Skipped(), skips)
		}
		// Without Skip, ReadDocs reads the same documents, or stops at a
		// bad record.
		docs, err := ReadDocsWith("f", bytes.NewReader(in), ReadOptions{MaxRecord: 1 << 10})
		if err != nil {
			checkReadErr(t, "f", err)
			return
		}
		n := 0
		for _, d := range stream {
			if d.Retract {
				n--
			} else {
				n++
			}
		}
		if skips == 0 && len(docs) != n {
			t.Fatalf("ReadDocs has %d docs, the stream %d net", len(docs), n)
		}
	})
}

// Labeled data is read through comments.OpenText: gzip and zstd, bad
// records skipped and counted with their positions, long lines and NUL
// lines as bad records, retraction records checked.
func TestDocReaderInputs(t *testing.T) {
	ft := "__label__a one two\n__label__b three\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(ft))
	zw.Close()
	enc, _ := zstd.NewWriter(nil)
	zs := enc.EncodeAll([]byte(ft), nil)
	for name, in := range map[string][]byte{"ft.gz": gz.Bytes(), "ft.zst": zs} {
		docs, err := ReadDocs(name, bytes.NewReader(in))
		if err != nil || len(docs) != 2 || docs[1].Text != "three" || docs[1].Line != 2 || docs[1].File != name {
			t.Errorf("%s: %+v, %v", name, docs, err)
		}
	}
	// A gzip stream cut short stops at its place with ErrTruncated.
	_, err := ReadDocs("cut.gz", bytes.NewReader(gz.Bytes()[:gz.Len()-6]))
	if !errors.Is(err, comments.ErrTruncated) {
		t.Errorf("truncated gzip: %v, want ErrTruncated", err)
	}

	// Bad records, skipped: the reader counts them, Skip sees
	// each with its line.
	src := "__label__a good one\n" +
		"__label__b\n" + // no text
		"__label__a " + strings.Repeat("x", 100) + "\n" + // longer than MaxRecord
		"__label__c good two\n"
	var lines []int
	opt := ReadOptions{MaxRecord: 64, Skip: func(err error) bool {
		var te *Error
		var pe *comments.ParseError
		switch {
		case errors.As(err, &te):
			lines = append(lines, te.Line)
		case errors.As(err, &pe):
			lines = append(lines, pe.Line)
		}
		return true
	}}
	dr, err := NewDocReader("bad.ft", strings.NewReader(src), opt)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		d, err := dr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%s", d.Line, d.Text))
	}
	if !slices.Equal(got, []string{"1:good one", "4:good two"}) || dr.Skipped() != 2 || !slices.Equal(lines, []int{2, 3}) {
		t.Errorf("docs %q, skipped %d at lines %v; want 1 and 4, 2 skipped at 2 and 3", got, dr.Skipped(), lines)
	}
	// Without Skip, the long line stops the reader with its position.
	_, err = ReadDocsWith("bad.ft", strings.NewReader(src[strings.Index(src, "__label__a x"):]), ReadOptions{MaxRecord: 64})
	var pe *comments.ParseError
	if !errors.Is(err, comments.ErrTooLong) || !errors.As(err, &pe) || pe.Line != 1 || pe.File != "bad.ft" {
		t.Errorf("long line: %v, want ErrTooLong at bad.ft:1", err)
	}

	for _, c := range []struct{ in, want string }{
		{"{\"text\":\"a\",\"label\":\"x\"}\n{\"retract\":true}\n", "r.jsonl:2: field id: a retraction record without an id"},
		{"{\"text\":\"a\",\"label\":\"x\"}\n{\"id\":[1],\"retract\":true}\n", "r.jsonl:2: field id: want a string or a number, got [1]"},
		{"{\"text\":\"a\",\"label\":\"x\"}\n\n{\"id\":\"1\",\"retract\":\"yes\"}\n", "r.jsonl:3: field retract: want true or false, got \"yes\""},
		{"{\"text\":\"a\",\"label\":\"x\"}\n{\"id\":\"1\",\"text\":\"a\",\"retract\":1}\n", "r.jsonl:2: field retract: want true or false, got 1"},
		{"{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":\"a\",\"retract\":true}\n", "r.jsonl:2: field id: a retraction record without an id"},
	} {
		_, err := ReadDocs("r.jsonl", strings.NewReader(c.in))
		var te *Error
		if err == nil || err.Error() != c.want || !errors.As(err, &te) || te.Line < 2 {
			t.Errorf("error %v, want %s", err, c.want)
		}
	}
}

// BenchmarkReadDocs reads labeled data (the seed labels, repeated to 5,000
// documents) as fastText and as JSON Lines; it reports documents per
// second.
func BenchmarkReadDocs(b *testing.B) {
	src, err := os.ReadFile("default/seed-labels.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	seed, err := ReadDocs("seed", bytes.NewReader(src))
	if err != nil {
		b.Fatal(err)
	}
	var ft, jl bytes.Buffer
	n := 0
	for n < 5000 {
		for _, d := range seed {
			ft.WriteString("__label__" + strings.Join(d.Labels, " __label__") + " " + strings.Join(strings.Fields(d.Text), " ") + "\n")
			rec, _ := json.Marshal(map[string]any{"id": n, "text": d.Text, "labels": d.Labels, "stance": d.Stance})
			jl.Write(append(rec, '\n'))
			n++
		}
	}
	for _, c := range []struct {
		name string
		in   []byte
	}{{"fasttext", ft.Bytes()}, {"jsonl", jl.Bytes()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.in)))
			for b.Loop() {
				docs, err := ReadDocs("bench", bytes.NewReader(c.in))
				if err != nil || len(docs) != n {
					b.Fatalf("%d docs, %v", len(docs), err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
