package comments

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The oracle of the JSONL scanner is encoding/json, with the key aliases
// applied by the plain rules of [Fields], written here again without the
// resolver or record.set: oracleJSON decodes the line into a map, and
// oracleRecord files its keys. Only the conversion of the chosen values to
// a Comment (record.build, which every reader shares) is production code.

// oracleJSON decodes one line as encoding/json does: the object, or false
// when the line is not exactly one JSON object.
func oracleJSON(b []byte) (map[string]any, bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, false
	}
	return m, true
}

// oracleRef is where key goes by the rules of Fields: an exact override
// from cols first (rank -1), then the first field with key as an exact
// alias (rank: its index), then the first with it as an alias ignoring case
// (rank: index + 100). A field named in cols has no aliases.
func oracleRef(cols map[string]string, key string) (field, rank int, ok bool) {
	for i, f := range Fields {
		if col, over := cols[f.Name]; over && col == key {
			return i, -1, true
		}
	}
	for pass := 0; pass < 2; pass++ {
		for i, f := range Fields {
			if _, over := cols[f.Name]; over {
				continue
			}
			for j, a := range f.Aliases {
				if pass == 0 && a == key {
					return i, j, true
				}
				if pass == 1 && strings.EqualFold(a, key) && strings.ToLower(a) == strings.ToLower(key) {
					return i, j + 100, true
				}
			}
		}
	}
	return 0, 0, false
}

// oracleRecord files the keys of m: each field takes its best-ranked key,
// the lesser name between two of the same rank; every other key goes to
// extra.
func oracleRecord(m map[string]any, cols map[string]string) record {
	rec := record{json: true}
	for k := range m {
		f, rank, ok := oracleRef(cols, k)
		if !ok {
			continue
		}
		if rec.has&(1<<f) == 0 || rank < rec.ranks[f] || rank == rec.ranks[f] && k < rec.keys[f] {
			rec.has |= 1 << f
			rec.keys[f], rec.ranks[f], rec.vals[f] = k, rank, m[k]
		}
	}
	for k, v := range m {
		if f, _, ok := oracleRef(cols, k); !ok || rec.keys[f] != k {
			rec.extra = append(rec.extra, extraKV{k, v})
		}
	}
	return rec
}

// diffColumns is the column mapping of the differential test's odd modes.
var diffColumns = map[string]string{"text": "body_txt", "id": "Key", "parent": "text"}

// sameResult fails unless two decodings agree: the same comment, or errors
// with the same message and the same Skippable.
func sameResult(t *testing.T, what string, gc *Comment, gerr error, wc *Comment, werr error) {
	t.Helper()
	if gerr != nil || werr != nil {
		if gerr == nil || werr == nil || gerr.Error() != werr.Error() {
			t.Fatalf("%s: error %v, want %v (comment %+v, want %+v)", what, gerr, werr, gc, wc)
		}
		var gp, wp *ParseError
		if !errors.As(gerr, &gp) || !errors.As(werr, &wp) || gp.Skippable != wp.Skippable {
			t.Fatalf("%s: error %#v, want %#v", what, gerr, werr)
		}
		return
	}
	if !reflect.DeepEqual(gc, wc) {
		t.Fatalf("%s:\n got %#v\nwant %#v", what, gc, wc)
	}
}

// checkLines decodes every line of data with the scanner, and checks it
// against the oracle: the scanner alone accepts only what encoding/json
// reads as one object, and files the same values under the same keys; the
// decoder gives the oracle's comment, or for a line that is not a JSON
// object, a skippable *ParseError naming the line, which wraps ErrBadType
// when the line begins with a JSON value that is not an object.
func checkLines(t *testing.T, data []byte, cols map[string]string) {
	res, err := newResolver(cols)
	if err != nil {
		t.Fatal(err)
	}
	dec := newJSONLDecoder(res) // one for all lines, as in a reader
	for n, b := range bytes.Split(data, []byte{'\n'}) {
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			var st textStats
			b = []byte(st.clean(b, n+1))
		}
		what := fmt.Sprintf("line %d %q", n+1, b)
		m, valid := oracleJSON(b)
		rec := record{json: true}
		if dec.scan(&rec, b) {
			if !valid {
				t.Fatalf("%s: the scanner accepts what encoding/json does not read as one object", what)
			}
			want := oracleRecord(m, cols)
			if rec.has != want.has || rec.keys != want.keys || !reflect.DeepEqual(rec.vals, want.vals) {
				t.Fatalf("%s: the scanner filed\n%q %#v\nwant\n%q %#v", what, rec.keys, rec.vals, want.keys, want.vals)
			}
			if !reflect.DeepEqual(extraMap(rec.extra), extraMap(want.extra)) {
				t.Fatalf("%s: extra %#v, want %#v", what, extraMap(rec.extra), extraMap(want.extra))
			}
		}
		gc, gerr := dec.decode(b, "f", n+1, true)
		if !valid {
			var pe *ParseError
			if !errors.As(gerr, &pe) || !pe.Skippable || pe.Line != n+1 || gc != nil {
				t.Fatalf("%s: not a JSON object, read as %+v, %v", what, gc, gerr)
			}
			// Both reject the line. It is of the wrong type when its first
			// JSON value, as a json.Decoder reads it, is not an object
			// ("null", "[1]", "0" in "00"); else it is not JSON.
			var first any
			ferr := json.NewDecoder(bytes.NewReader(b)).Decode(&first)
			_, isObject := first.(map[string]any)
			if wrongType := ferr == nil && !isObject; wrongType != errors.Is(gerr, ErrBadType) {
				t.Fatalf("%s: error %v; encoding/json reads the first value as %#v (error %v)", what, gerr, first, ferr)
			}
			continue
		}
		want := oracleRecord(m, cols)
		wc, werr := want.comment("f", n+1)
		sameResult(t, what, gc, gerr, wc, werr)
	}
}

// extraMap is the extra keys of a record as Comment.Extra has them.
func extraMap(kv []extraKV) map[string]any {
	m := map[string]any{}
	for _, x := range kv {
		m[x.key] = x.val
	}
	return m
}

// readChunked reads data as `stance score` does: OpenJSONLChunks, chunks of
// every lines lines, Decode, Order and Finish. It returns the comments and
// errors in order, up to the first fatal error, the warnings and whether
// the decoder took the input at all.
func readChunked(t *testing.T, data []byte, opt Options, every int) (out []string, warns []string, ok bool) {
	opt.Warn = func(m string) { warns = append(warns, m) }
	d, rest, err := OpenJSONLChunks("in", bytes.NewReader(data), opt)
	if err != nil {
		t.Fatal(err)
	}
	if d == nil {
		return nil, nil, false
	}
	body, err := io.ReadAll(rest)
	if err != nil {
		t.Fatal(err)
	}
	var chunks [][]byte
	for len(body) > 0 {
		end, n := 0, 0
		for end < len(body) && n < every {
			if i := bytes.IndexByte(body[end:], '\n'); i >= 0 {
				end += i + 1
			} else {
				end = len(body)
			}
			n++
		}
		chunks = append(chunks, body[:end])
		body = body[end:]
	}
	// Decode every chunk first, as parallel workers would, then order.
	items := make([][]ChunkItem, len(chunks))
	for i, c := range chunks {
		items[i] = d.Decode(nil, c)
	}
	deleted := 0
	for i, c := range chunks {
		d.Order(items[i], c)
		for _, it := range items[i] {
			if errors.Is(it.Err, ErrDeleted) {
				deleted++ // skipped and counted, as Stream does (see chunksPending)
				continue
			}
			out = append(out, describe(it.Comment, it.Err))
			var pe *ParseError
			if it.Err != nil && (!errors.As(it.Err, &pe) || !pe.Skippable) {
				return out, warns, true
			}
		}
	}
	_, done := any(d).(interface{ Deleted() int })
	if err := d.Finish(); err != nil {
		out = append(out, describe(nil, err))
	} else if !done && deleted > 0 && len(out) == 0 {
		// no comment, no bad record: only deleted ones (see chunksPending)
		out = append(out, describe(nil, onlyDeletedErr(d.name, deleted)))
	}
	// the warnings Stream sends at the end after the UTF-8 one, until
	// Finish sends them (see chunksPending)
	if !done {
		if w := d.linker.duplicateWarning(d.name); w != "" {
			warns = append(warns, w)
		}
		if deleted > 0 {
			warns = append(warns, DeletedWarning(d.name, deleted))
		}
	}
	return out, warns, true
}

// readStream reads data as Open does, in the same terms as readChunked.
func readStream(t *testing.T, data []byte, opt Options) (out []string, warns []string) {
	opt.Warn = func(m string) { warns = append(warns, m) }
	s, err := Open("in", bytes.NewReader(data), opt)
	if err != nil {
		return []string{describe(nil, err)}, warns
	}
	defer s.Close()
	for {
		c, err := s.Read()
		if err == io.EOF {
			return out, warns
		}
		out = append(out, describe(c, err))
		var pe *ParseError
		if err != nil && (!errors.As(err, &pe) || !pe.Skippable) {
			return out, warns
		}
	}
}

// describe renders a comment, all fields, or an error, for comparison.
func describe(c *Comment, err error) string {
	if err != nil {
		var pe *ParseError
		return fmt.Sprintf("error %v (skippable %v)", err, errors.As(err, &pe) && pe.Skippable)
	}
	b, _ := json.Marshal(c)
	return fmt.Sprintf("%s %#v", b, c.Extra)
}

// checkChunked compares readChunked with readStream.
func checkChunked(t *testing.T, data []byte, cols map[string]string, every int) {
	opt := Options{Format: "jsonl", Columns: cols}
	got, gw, ok := readChunked(t, data, opt, every)
	if !ok {
		return // Open's business: binary or compressed
	}
	want, ww := readStream(t, data, opt)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("chunks of %d lines:\n got %q\nwant %q", every, got, want)
	}
	if !reflect.DeepEqual(gw, ww) {
		t.Fatalf("chunks of %d lines: warnings %q, want %q", every, gw, ww)
	}
}

func checkDifferential(t *testing.T, data []byte, mode uint8) {
	var cols map[string]string
	if mode&1 != 0 {
		cols = diffColumns
	}
	checkLines(t, data, cols)
	checkChunked(t, data, cols, int(mode>>1)%16+1)
}

// diffCases are lines that exercise every branch of the scanner, each
// checked against the oracle.
var diffCases = []string{
	`{"text":"plain","author":"A","location":"L","id":"7","parent":"3","recommendations":12,"createDate":1577405981,"editorsSelection":true,"articleID":"a1","depth":2}`,
	`{"commentBody":"esc \" \\ \/ \b \f \n \r \t \u00e9 \u2019 \ud83d\ude00 end","userDisplayName":"\u0041nn"}`,
	`{"text":"lone \ud800 high, lone \udc00 low, \ud800\u0041 then \ud800\ud800\udc00 pair, \u0000 nul"}`,
	`{"text":"bad \ud800\u00zz"}`,
	`{"text":"x","te\u0078t":"y"}`,
	`{"text":"a","text":"b","body":"c","TEXT":"d","Text":"e","extra":{"body":"f","g":1}}`,
	`{"Body":"a","BODY":"b","body":"c"}`,
	`{"BODY":"b","Body":"a"}`,
	`{"text":"n","n1":-0,"n2":1.5e+10,"n3":-12.25E-3,"n4":123456789012345678901234567890,"t":true,"f":false,"z":null}`,
	`{"text":"n","bad":01}`,
	`{"text":"n","bad":1.}`,
	`{"text":"n","bad":-}`,
	`{"text":"n","bad":1e}`,
	`{"text":"n","bad":.5}`,
	`{"text":"n","bad":+1}`,
	`{"text":"n","bad":tru}`,
	`{"text":"n","bad":nul}`,
	`{"text":"n","bad":falsey}`,
	`{"text":"nested","a":[1,"x",{"b":[]},null],"o":{"k":{"k":{}}},"s":"[]"}`,
	`{"text":"nested bad","a":[1,}`,
	`{"text":"nested bad","a":[1}]}`,
	`{"text":"nested str","a":["]\"}"],"b":{"}":"{"}}`,
	`{"text":["not","a","string"]}`,
	`{"text":{"an":"object"}}`,
	`{"text":"x","recommendations":"12","depth":"1.0","createDate":"2019-12-27T10:00:00Z","editorsSelection":"yes"}`,
	`{"text":"x","recommendations":1.5}`,
	`{"text":"x","editorsSelection":"maybe"}`,
	`{"text":"x","createDate":true}`,
	`{"text":"x","id":true}`,
	`{"text":"   "}`,
	`{}`,
	`{ }`,
	` { "text" : "spaces" , "id" : 1 } `,
	"{\t\"text\"\t:\r\"tabs\"\n}",
	`{"text":"trailing"} x`,
	`{"text":"two"}{"text":"objects"}`,
	`{"text":"comma",}`,
	`{,"text":"x"}`,
	`{"text" "x"}`,
	`{"text":"x" "id":1}`,
	`{"text":"x"`,
	`{"text":"cut`,
	`{"text":"cut\`,
	`{"text":"cut\u12`,
	"{\"text\":\"ctl \x01 char\"}",
	`{"text":"x\q"}`,
	`{text:"x"}`,
	`{'text':'x'}`,
	`null`,
	`[]`,
	`"text"`,
	`12`,
	`true`,
	`{"text":"x","extra":"{\"k\":1}"}`,
	`{"text":"x","extra":"not json"}`,
	`{"text":"x","extra":7}`,
	`{"text":"x","k":1,"extra":{"k":2}}`,
	`{"body":"reddit","author":"u","id":"t1_aa","parent_id":"t3_x","link_id":"t3_x","score":5,"created_utc":1577456400.25}`,
	`{"body":"reddit","id":"t1_bb","parent_id":"t1_aa","link_id":"t3_x"}`,
	`{"body":"reddit","parent_id":"t3_y"}`,
	`{"text":"x","parent":0,"id":""}`,
	`{"text":"x","reply_to":5}`,
	`{"text":"x","source":"elsewhere:1","reply_to":"N"}`,
	`{"body_txt":"mapped","Key":"k1","text":"p1","body":"extra now"}`,
	"{\"text\":\"invalid \xff utf-8 \xc3\"}",
	"{\"te\xffxt\":\"invalid key\"}",
	`{"text":"deep","a":` + strings.Repeat("[", 10010) + strings.Repeat("]", 10010) + `}`,
	`{"text":"deep ok","a":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}`,
	`{"text":"long nested","a":[` + strings.Repeat(`"0123456789",`, 2000) + `1]}`,
}

func TestJSONLDifferentialCases(t *testing.T) {
	for i, c := range diffCases {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			for _, mode := range []uint8{0, 1} {
				checkDifferential(t, []byte(c), mode)
			}
		})
	}
	all := []byte(strings.Join(diffCases, "\n"))
	for _, mode := range []uint8{0, 1, 2, 6, 31} {
		checkDifferential(t, all, mode)
	}
}

// TestJSONLScanner pins what the scanner reads, against what the JSON says.
func TestJSONLScanner(t *testing.T) {
	res, _ := newResolver(nil)
	dec := newJSONLDecoder(res)
	tests := []struct {
		line string
		want Comment
	}{
		{`{"commentBody":"a \"q\" \u00e9\ud83d\ude00\n","userDisplayName":"N","commentID":43,"parentID":0,"recommendations":3,"editorsSelection":true,"sectionName":"Economy","replyCount":1}`,
			Comment{ID: "43", Author: "N", Text: "a \"q\" é😀\n", Recommendations: 3, EditorsPick: true,
				Extra: map[string]any{"sectionName": "Economy", "replyCount": json.Number("1")}}},
		{`{"text":"lone \ud800x \udc00"}`, Comment{Text: "lone \ufffdx \ufffd"}},
		// a repeated key keeps its last value, as encoding/json does
		{`{"text":"a","text":"b"}`, Comment{Text: "b"}},
		// the better alias wins, the other goes to extra, in any order
		{`{"body":"b","text":"a"}`, Comment{Text: "a", Extra: map[string]any{"body": "b"}}},
		// two keys of the same rank: the lesser name wins, in any order
		{`{"Text":"a","TEXT":"b"}`, Comment{Text: "b", Extra: map[string]any{"Text": "a"}}},
		{`{"TEXT":"b","Text":"a"}`, Comment{Text: "b", Extra: map[string]any{"Text": "a"}}},
		{`{"text":"x","a":[1,{"b":null}],"t":true}`, Comment{Text: "x",
			Extra: map[string]any{"a": []any{json.Number("1"), map[string]any{"b": nil}}, "t": true}}},
		{`{"body":"r","id":"t1_b","parent_id":"t3_s"}`, Comment{ID: "b", Text: "r", ThreadID: "s"}},
	}
	for _, tt := range tests {
		rec := record{json: true}
		if !dec.scan(&rec, []byte(tt.line)) {
			t.Errorf("%s: the scanner gave up", tt.line)
			continue
		}
		c, err := dec.decode([]byte(tt.line), "f", 1, false)
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		if !reflect.DeepEqual(*c, tt.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", tt.line, *c, tt.want)
		}
	}
}

// chunksPending lists the inputs on which the chunked decoder does not yet
// do what Open does, and what chunks.go must change for it. Besides these,
// readChunked does itself what chunks.go (or its caller) must take over:
// skip and count the items whose Err wraps ErrDeleted (Order counts them as
// bad records today), send at the end, after the UTF-8 warning, the
// linker's duplicateWarning and DeletedWarning, and end an input of deleted
// comments only with onlyDeletedErr, as Stream does.
var chunksPending = map[string]string{}

// TestJSONLChunks reads generated dumps in chunks of many sizes, and checks
// that the comments, errors and warnings are those of Open.
func TestJSONLChunks(t *testing.T) {
	gen := genInput(t, true, 256<<10)
	var noIDs bytes.Buffer // no IDs, no thread: made-up IDs, @name links
	for _, c := range seedComments(t) {
		rec := map[string]any{"text": c.Text, "author": c.Author, "location": c.Location}
		b, _ := json.Marshal(rec)
		noIDs.Write(b)
		noIDs.WriteString("\r\n")
	}
	bad := strings.Join([]string{
		`{"text":"one","id":"x1"}`, ``, `  `, `{"text":"two"`, `{"text":"@x three"}`,
		"{\"text\":\"bad \xff byte\"}", `null`, `{"text":""}`, `{"text":"four","parent":"x1"}`,
		"\xef\xbb\xbf{\"text\":\"a BOM inside\"}", `{"text":"last, no newline"}`,
	}, "\n")
	nul := `{"text":"a"}` + "\n" + `{"text":"b"}` + "\n" + strings.Repeat(`{"text":"pad"}`+"\n", 5000) + "{\"text\":\"\x00\"}\n" + `{"text":"after"}`
	inputs := map[string][]byte{
		"generated": gen,
		"no-ids":    noIDs.Bytes(),
		"bad":       []byte(bad),
		"bom":       append([]byte("\xef\xbb\xbf"), bad...),
		"nul-late":  []byte(nul),
		"threads": append(genThreads(3000, 50, 1), `{"body":"[deleted]","id":"t1_d1","link_id":"t3_1"}
{"body":"x","id":"t1_t1-5","link_id":"t3_1"}
{"body":"[removed]","id":"t1_d2","link_id":"t3_2","parent_id":"t1_d1"}
{"body":"y","id":"t1_t1-5","link_id":"t3_1"}
`...),
	}
	for name, data := range inputs {
		for _, every := range []int{1, 3, 50, 1 << 20} {
			t.Run(fmt.Sprintf("%s/%d", name, every), func(t *testing.T) {
				if why := chunksPending[name]; why != "" {
					t.Skip(why)
				}
				got, gw, ok := readChunked(t, data, Options{}, every)
				if !ok {
					t.Fatal("OpenJSONLChunks did not take JSON Lines")
				}
				want, ww := readStream(t, data, Options{})
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("chunked:\n%s\nOpen:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if !reflect.DeepEqual(gw, ww) {
					t.Fatalf("warnings %q, want %q", gw, ww)
				}
			})
		}
	}
	// what the checks above compare is not empty
	got, warns, _ := readChunked(t, []byte(bad), Options{}, 2)
	if len(got) != 9 || !strings.Contains(got[1], "truncated JSON") || !strings.Contains(got[6], `"parent":"x1","depth":1`) {
		t.Errorf("bad input read as %q", got)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "in: replaced 1 invalid UTF-8 bytes with U+FFFD (first on line 6)") {
		t.Errorf("warnings %q", warns)
	}
	got, _ = readStream(t, []byte(nul), Options{})
	if len(got) < 2 || !strings.Contains(got[len(got)-2], "in:5003:10: NUL byte in the record (skippable true)") || !strings.Contains(got[len(got)-1], `"after"`) {
		t.Errorf("NUL byte: last items %q", got[max(0, len(got)-2):])
	}
	got, _, _ = readChunked(t, []byte("\n \n\t\n"), Options{Format: "jsonl"}, 1)
	if len(got) != 1 || !strings.Contains(got[0], "in: no comments: empty input") {
		t.Errorf("blank input: %q", got)
	}
}

// TestOpenJSONLChunksDeclines checks that OpenJSONLChunks leaves to Open
// what is not plain JSON Lines, and hands on every byte it peeked at.
func TestOpenJSONLChunksDeclines(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"text":"zipped"}` + "\n"))
	zw.Close()
	seed := mustRead(t, seedPath)
	binary := append([]byte(`{"text":"x"}`+"\n"), bytes.Repeat([]byte{0xff, 0xfe, 'a'}, 100)...)
	for name, c := range map[string]struct {
		data []byte
		opt  Options
	}{
		"gzip":        {gz.Bytes(), Options{}},
		"gzip-jsonl":  {gz.Bytes(), Options{Format: "jsonl"}},
		"nyt":         {seed, Options{}},
		"forced-csv":  {[]byte(`{"text":"x"}`), Options{Format: "csv"}},
		"nul":         {[]byte("{\"text\":\"\x00\"}"), Options{}},
		"binary":      {binary, Options{}},
		"bad-columns": {[]byte(`{"text":"x"}`), Options{Columns: map[string]string{"nope": "x"}}},
		"bom-nyt":     {append([]byte("\xef\xbb\xbf"), seed...), Options{}},
	} {
		d, rest, err := OpenJSONLChunks(name, bytes.NewReader(c.data), c.opt)
		if err != nil || d != nil {
			t.Errorf("%s: decoder %v, error %v; want neither", name, d, err)
			continue
		}
		if b, _ := io.ReadAll(rest); !bytes.Equal(b, c.data) {
			t.Errorf("%s: the reader handed on %d bytes, want the %d of the input", name, len(b), len(c.data))
		}
	}
}

// loadCorpus adds the seed corpus of another fuzz target, whose only
// argument is a []byte.
func loadCorpus(f *testing.F, target string, add func([]byte)) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		_, lit, ok := strings.Cut(string(b), "\n[]byte(")
		if !ok {
			continue
		}
		s, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(lit), ")")))
		if err != nil {
			f.Fatalf("%s: %v", p, err)
		}
		add([]byte(s))
	}
}

// FuzzJSONLDifferential checks the JSONL scanner against encoding/json (the
// oracle): for every line, the same comment or the same error; and the
// chunked decoder against Open. mode&1 maps columns; mode>>1 sets the
// lines per chunk. Seeds: testdata/fuzz/FuzzJSONLDifferential, diffCases
// and the FuzzJSONL corpus.
func FuzzJSONLDifferential(f *testing.F) {
	for i, c := range diffCases {
		if len(c) < 4096 {
			f.Add([]byte(c), uint8(i))
		}
	}
	n := uint8(0)
	loadCorpus(f, "FuzzJSONL", func(b []byte) { n++; f.Add(b, n) })
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		checkDifferential(t, data, mode)
	})
}
